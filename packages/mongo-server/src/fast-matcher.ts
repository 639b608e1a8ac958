import { Query } from 'mingo';
import { compareBson, TypeRank, typeRank } from './bson-order.ts';
import { firstKey, isPlainObject, pathValues, splitPath } from './doc-path.ts';
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

const UNSURE = 2;

/**
 * Whether a dotted path reaches a value: true, false, or UNSURE when it meets anything but
 * documents, arrays of documents and null on the way (an array in an array, a string or a BSON
 * value with a part still to read), where mingo's reading of the path is the reference.
 */
function existsAt(value: unknown, parts: string[], i: number): boolean | typeof UNSURE {
  if (i === parts.length) return true;
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) {
    // A numeric part is only ever `0`, the second and last (see compileField).
    if (parts[i] === '0') return value.length > 0;
    let unsure = false;
    for (const el of value) {
      if (el === null) continue;
      if (!isPlainObject(el)) {
        unsure = true;
        continue;
      }
      const r = existsAt(el, parts, i);
      if (r === true) return true;
      if (r === UNSURE) unsure = true;
    }
    return unsure ? UNSURE : false;
  }
  if (!isPlainObject(value)) return UNSURE;
  const next = value[parts[i]!];
  if (next === undefined) return false;
  return existsAt(next, parts, i + 1);
}

/** `v` and `operand` are of one type bracket and equal, as an equality predicate compares them. */
function equal(v: unknown, operand: unknown, rank: number): boolean {
  return typeRank(v) === rank && compareBson(v, operand) === 0;
}

const FANS_OUT = Symbol('fans out');

/**
 * The value a path reaches through embedded documents (undefined when it reaches none), or FANS_OUT
 * when an array is met on the way, where candidates() is the reference.
 */
function reach(doc: Document, parts: string[]): unknown {
  let v: unknown = doc;
  for (let i = 0; i < parts.length; i++) {
    if (Array.isArray(v)) return FANS_OUT;
    if (!isPlainObject(v)) return undefined;
    v = v[parts[i]!];
    if (v === undefined) return undefined;
  }
  return v;
}

/**
 * Whether any candidate (see candidates()) passes `test`, without building the list in the common
 * case: a path through embedded documents to a scalar or an array of scalars. Filters run once per
 * examined document, and those lists were most of their garbage.
 */
function anyCandidate(doc: Document, parts: string[], test: (v: unknown) => boolean): boolean {
  const v = reach(doc, parts);
  if (v === undefined) return false;
  if (v === FANS_OUT) return candidates(doc, parts).some(test);
  if (!Array.isArray(v)) return test(v);
  for (const x of v) if (test(x)) return true;
  return false;
}

function equalsPred(parts: string[], operand: unknown): Pred {
  const rank = typeRank(operand);
  const test = (v: unknown) => equal(v, operand, rank);
  return (doc) => anyCandidate(doc, parts, test);
}

function compileField(path: string, cond: unknown): Pred | undefined {
  const parts = splitPath(path);
  const first = isPlainObject(cond) ? firstKey(cond) : undefined;
  if (first === undefined || !first.startsWith('$')) {
    if (!simpleOperand(cond)) {
      // Embedded-document equality is exact, field order included (mingo ignores the order).
      if (isPlainObject(cond)) return equalsPred(parts, cond);
      if (cond !== null || parts.length !== 1) return undefined;
      // {field: null} matches a missing field, null, or an array holding null.
      return (doc) => {
        const vs = candidates(doc, parts);
        return vs.length === 0 || vs.some((v) => v === null || v === undefined);
      };
    }
    return equalsPred(parts, cond);
  }
  const preds: Pred[] = [];
  const ops = cond as Document;
  for (const op in ops) {
    const arg = ops[op];
    if (!COMPARISON.has(op)) return undefined;
    if (op === '$exists') {
      const want = Boolean(arg);
      if (parts.length === 1) {
        preds.push((doc) => (doc[path] !== undefined) === want);
        continue;
      }
      // A dotted path fans out over arrays of documents on the way, which pathValues does. A
      // numeric part is an array index there, but MongoDB also reads it as a field of the array's
      // documents, and mingo reads such paths its own way after a fan-out. Only `field.0` (has a
      // history) is left here: an array has an element 0 exactly when it has any element.
      const numeric = parts.findIndex((p) => /^\d+$/.test(p));
      if (numeric >= 0 && !(parts.length === 2 && parts[1] === '0')) return undefined;
      let reference: Query | undefined;
      preds.push((doc) => {
        const found = existsAt(doc, parts, 0);
        if (found !== UNSURE) return found === want;
        // Rare shapes (no SMSC document has them): mingo's answer, compiled once when first met.
        reference ??= new Query({ [path]: { $exists: want } }, {});
        return reference.test(doc);
      });
      continue;
    }
    if (op === '$in' || op === '$nin') {
      if (!Array.isArray(arg) || !arg.every(simpleOperand)) return undefined;
      const neg = op === '$nin';
      const set = arg.every((v) => typeof v === 'string') ? new Set(arg as string[]) : undefined;
      const ranks = arg.map(typeRank);
      const test = set
        ? (v: unknown) => typeof v === 'string' && set.has(v)
        : (v: unknown) => arg.some((a, i) => equal(v, a, ranks[i]!));
      preds.push((doc) => anyCandidate(doc, parts, test) !== neg);
      continue;
    }
    if (!simpleOperand(arg)) return undefined;
    if (op === '$eq') preds.push(equalsPred(parts, arg));
    else if (op === '$ne') {
      const eq = equalsPred(parts, arg);
      preds.push((doc) => !eq(doc));
    } else {
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
      const passes = (v: unknown) => typeRank(v) === rank && test(compareBson(v, arg));
      preds.push((doc) => anyCandidate(doc, parts, passes));
    }
  }
  if (preds.length === 1) return preds[0];
  return (doc) => preds.every((p) => p(doc));
}

/** A predicate for simple filters, or undefined when mingo must evaluate the filter. */
export function compileFastFilter(filter: Document): Pred | undefined {
  const preds: Pred[] = [];
  for (const key in filter) {
    const cond = filter[key];
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
