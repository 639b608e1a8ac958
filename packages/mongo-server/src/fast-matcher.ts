import { compareBson, TypeRank, typeRank } from './bson-order.ts';
import { isPlainObject, pathValues } from './doc-path.ts';
import type { Document } from './wire.ts';

// mingo builds a fresh operator context for every compiled query (tens of microseconds), more than
// a whole indexed claim should take. Filters made only of equality, comparison, $in/$nin, $ne and
// $exists on field paths are compiled here instead; anything else returns undefined and goes to mingo.

type Pred = (doc: Document) => boolean;

const COMPARISON = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists']);

// Operands this matcher handles exactly: scalars of a definite type, no arrays, regexes or documents.
function simpleOperand(v: unknown): boolean {
  const r = typeRank(v);
  return (
    r === TypeRank.Number ||
    r === TypeRank.String ||
    r === TypeRank.Boolean ||
    r === TypeRank.Date ||
    r === TypeRank.ObjectId
  );
}

/** The values a predicate is tested against: the path's values and the elements of array values. */
function candidates(doc: Document, parts: string[]): unknown[] {
  const out: unknown[] = [];
  for (const v of pathValues(doc, parts)) {
    if (Array.isArray(v)) out.push(...v);
    else out.push(v);
  }
  return out;
}

function equalsAny(values: unknown[], operand: unknown): boolean {
  for (const v of values) if (typeRank(v) === typeRank(operand) && compareBson(v, operand) === 0) return true;
  return false;
}

function compileField(path: string, cond: unknown): Pred | undefined {
  const parts = path.split('.');
  if (!isPlainObject(cond) || Object.keys(cond).length === 0 || !Object.keys(cond)[0]!.startsWith('$')) {
    if (!simpleOperand(cond)) {
      // Embedded-document equality is exact, field order included (mingo ignores the order).
      if (isPlainObject(cond)) return (doc) => equalsAny(candidates(doc, parts), cond);
      if (cond !== null || parts.length !== 1) return undefined;
      // {field: null} matches a missing field, null, or an array holding null.
      return (doc) => {
        const vs = candidates(doc, parts);
        return vs.length === 0 || vs.some((v) => v === null || v === undefined);
      };
    }
    return (doc) => equalsAny(candidates(doc, parts), cond);
  }
  const preds: Pred[] = [];
  for (const [op, arg] of Object.entries(cond)) {
    if (!COMPARISON.has(op)) return undefined;
    if (op === '$exists') {
      if (parts.length !== 1) return undefined;
      const want = Boolean(arg);
      preds.push((doc) => (doc[path] !== undefined) === want);
      continue;
    }
    if (op === '$in' || op === '$nin') {
      if (!Array.isArray(arg) || !arg.every(simpleOperand)) return undefined;
      const neg = op === '$nin';
      const set = arg.every((v) => typeof v === 'string') ? new Set(arg as string[]) : undefined;
      preds.push((doc) => {
        const vs = candidates(doc, parts);
        const hit = set
          ? vs.some((v) => typeof v === 'string' && set.has(v))
          : arg.some((a) => equalsAny(vs, a));
        return neg ? !hit : hit;
      });
      continue;
    }
    if (!simpleOperand(arg)) return undefined;
    if (op === '$eq') preds.push((doc) => equalsAny(candidates(doc, parts), arg));
    else if (op === '$ne') preds.push((doc) => !equalsAny(candidates(doc, parts), arg));
    else {
      // Comparisons only match values of the operand's type bracket, as on MongoDB.
      const rank = typeRank(arg);
      const test =
        op === '$gt'
          ? (c: number) => c > 0
          : op === '$gte'
            ? (c: number) => c >= 0
            : op === '$lt'
              ? (c: number) => c < 0
              : (c: number) => c <= 0;
      preds.push((doc) => {
        for (const v of candidates(doc, parts))
          if (typeRank(v) === rank && test(compareBson(v, arg))) return true;
        return false;
      });
    }
  }
  if (preds.length === 1) return preds[0];
  return (doc) => preds.every((p) => p(doc));
}

/** A predicate for simple filters, or undefined when mingo must evaluate the filter. */
export function compileFastFilter(filter: Document): Pred | undefined {
  const preds: Pred[] = [];
  for (const [key, cond] of Object.entries(filter)) {
    if (key === '$or' || key === '$nor') {
      if (!Array.isArray(cond) || cond.length === 0) return undefined;
      const branches: Pred[] = [];
      for (const sub of cond) {
        if (!isPlainObject(sub)) return undefined;
        const p = compileFastFilter(sub);
        if (!p) return undefined;
        branches.push(p);
      }
      const nor = key === '$nor';
      preds.push((doc) => branches.some((b) => b(doc)) !== nor);
      continue;
    }
    if (key === '$and') {
      if (!Array.isArray(cond) || cond.length === 0) return undefined;
      for (const sub of cond) {
        if (!isPlainObject(sub)) return undefined;
        const p = compileFastFilter(sub);
        if (!p) return undefined;
        preds.push(p);
      }
      continue;
    }
    if (key.startsWith('$') || key.length === 0) return undefined;
    const p = compileField(key, cond);
    if (!p) return undefined;
    preds.push(p);
  }
  if (preds.length === 1) return preds[0];
  return (doc) => {
    for (const p of preds) if (!p(doc)) return false;
    return true;
  };
}
