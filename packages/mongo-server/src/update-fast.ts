import { bsonEquals } from './bson-order.ts';
import { cloneValue, isPlainObject, splitPath } from './doc-path.ts';
import type { Document } from './wire.ts';

const SIMPLE_OPS = new Set(['$set', '$unset', '$inc', '$push']);

/** `$push` of one value or of `$each` with an optional integer `$slice` (bounded histories). */
function pushSpec(v: unknown): { each: unknown[]; slice: number | undefined } | undefined {
  if (!isPlainObject(v)) return { each: [v], slice: undefined };
  const keys = Object.keys(v);
  if (!keys.some((k) => k.startsWith('$'))) return { each: [v], slice: undefined };
  if (!keys.every((k) => k === '$each' || k === '$slice') || !Array.isArray(v.$each)) return undefined;
  const slice = v.$slice;
  if (slice !== undefined && !(typeof slice === 'number' && Number.isInteger(slice))) return undefined;
  return { each: v.$each, slice };
}

/** `cur` with `each` appended, then sliced: only the kept elements are read (or copied, if pushed). */
function pushed(cur: unknown[] | undefined, spec: { each: unknown[]; slice: number | undefined }): unknown[] {
  const old = cur ?? [];
  const each = spec.each;
  const total = old.length + each.length;
  const n = spec.slice;
  const from = n !== undefined && n < 0 ? Math.max(0, total + n) : 0;
  const to = n !== undefined && n >= 0 ? Math.min(total, n) : total;
  const out: unknown[] = [];
  for (let i = from; i < to; i++) out.push(i < old.length ? old[i] : cloneValue(each[i - old.length]));
  return out;
}

/** One field an operator writes, parsed once: the path's parts and its last part. */
export type FieldOp = {
  op: string;
  path: string;
  parts: string[];
  key: string;
  value: unknown;
  push: { each: unknown[]; slice: number | undefined } | undefined;
};

/**
 * `$set`/`$unset`/`$inc`, and `$push` of values with `$each`/`$slice`, on plain dotted paths
 * through embedded documents, which is what lock and state changes use. Returns undefined for
 * anything else (positional paths, arrays on the way, conflicting paths, non-numeric `$inc`): mingo
 * then applies it and reports errors as MongoDB does. mingo re-matches the query and rebuilds its
 * operator tables per call, which costs more than the rest of a claim.
 *
 * Copy-on-write: `next` may share its sub-documents with the stored document (a shallow copy of
 * it); every object on a path that changes is copied before the change, so the stored document and
 * its unchanged parts (payload, history entries) are shared, never written.
 */
export function tryFastUpdate(next: Document, modifier: Document): boolean | undefined {
  const fields = parseFastUpdate(modifier);
  return fields && applyFastUpdate(next, fields);
}

/** tryFastUpdate with the modifier already parsed (an update of many documents parses it once). */
export function applyFastUpdate(next: Document, fields: FieldOp[]): boolean | undefined {
  // Check every path before changing anything, so a fallback starts from the untouched copy.
  for (const f of fields) {
    const parent = walk(next, f.parts, false, false);
    if (parent === null) return undefined;
    const cur = parent?.[f.key];
    if (f.op === '$inc' && cur !== undefined && typeof cur !== 'number') return undefined;
    if (f.op === '$push' && cur !== undefined && !Array.isArray(cur)) return undefined;
  }
  let changed = false;
  for (const f of fields) {
    const key = f.key;
    if (f.op === '$unset') {
      const parent = walk(next, f.parts, false, true);
      if (parent && key in parent) {
        delete parent[key];
        changed = true;
      }
      continue;
    }
    const parent = walk(next, f.parts, true, true)!;
    const cur = parent[key];
    if (f.push) {
      const before = cur as unknown[] | undefined;
      const after = pushed(before, f.push);
      parent[key] = after;
      if (
        before === undefined ||
        before.length !== after.length ||
        after.some((x, i) => !bsonEquals(x, before[i]))
      )
        changed = true;
      continue;
    }
    const value =
      f.op === '$inc' ? (typeof cur === 'number' ? cur : 0) + (f.value as number) : cloneValue(f.value);
    if (cur === undefined || !bsonEquals(cur, value)) {
      parent[key] = value;
      changed = true;
    }
  }
  return changed;
}

/** The fields a modifier writes, or undefined when the fast path does not apply. */
export function parseFastUpdate(modifier: Document): FieldOp[] | undefined {
  const fields: FieldOp[] = [];
  for (const op in modifier) {
    const arg = modifier[op];
    if (!SIMPLE_OPS.has(op) || !isPlainObject(arg)) return undefined;
    for (const path in arg) {
      if (
        path.length === 0 ||
        path.includes('$') ||
        path.startsWith('.') ||
        path.endsWith('.') ||
        path.includes('..')
      )
        return undefined;
      if (path === '_id' || path.startsWith('_id.')) return undefined;
      const value = arg[path];
      if (op === '$inc' && typeof value !== 'number') return undefined;
      const push = op === '$push' ? pushSpec(value) : undefined;
      if (op === '$push' && push === undefined) return undefined;
      const parts = splitPath(path);
      fields.push({ op, path, parts, key: parts[parts.length - 1]!, value, push });
    }
  }
  if (fields.length > 1 && fields.some((f) => f.parts.length > 1)) {
    const paths = fields.map((f) => f.path).sort();
    for (let i = 1; i < paths.length; i++) {
      const prev = paths[i - 1]!;
      if (paths[i] === prev || paths[i]!.startsWith(`${prev}.`)) return undefined;
    }
  } else {
    // Top-level fields only: a conflict is a field named twice (across operators).
    for (let i = 1; i < fields.length; i++) {
      for (let j = 0; j < i; j++) if (fields[i]!.path === fields[j]!.path) return undefined;
    }
  }
  return fields;
}

/**
 * The object holding a path's last field: undefined when a missing parent would have to be created
 * (and `create` is false), null when a parent is an array, a number, or any other non-document.
 * With `copy`, each document on the way is replaced by a copy first (see tryFastUpdate).
 */
function walk(doc: Document, parts: string[], create: boolean, copy: boolean): Document | null | undefined {
  let cur: Document = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    const v = cur[part];
    if (v === undefined) {
      if (!create) return undefined;
      const fresh: Document = {};
      cur[part] = fresh;
      cur = fresh;
      continue;
    }
    if (!isPlainObject(v)) return null;
    if (copy) {
      const copied: Document = { ...v };
      cur[part] = copied;
      cur = copied;
    } else cur = v;
  }
  return cur;
}
