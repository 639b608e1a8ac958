import { bsonEquals } from './bson-order.ts';
import { cloneValue, isPlainObject } from './doc-path.ts';
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

function pushed(cur: unknown[] | undefined, spec: { each: unknown[]; slice: number | undefined }): unknown[] {
  const all = [...(cur ?? []), ...spec.each.map(cloneValue)];
  const n = spec.slice;
  if (n === undefined) return all;
  if (n === 0) return [];
  return n < 0 ? all.slice(Math.max(0, all.length + n)) : all.slice(0, n);
}

/**
 * `$set`/`$unset`/`$inc`, and `$push` of values with `$each`/`$slice`, on plain dotted paths through embedded documents, which is what lock and
 * state changes use. Returns undefined for anything else (positional paths, arrays on the way,
 * conflicting paths, non-numeric `$inc`): mingo then applies it and reports errors as MongoDB does.
 * mingo re-matches the query and rebuilds its operator tables per call, which costs more than the
 * rest of a claim.
 */
/**
 * Copy-on-write: `next` may share its sub-documents with the stored document (a shallow copy of
 * it); every object on a path that changes is copied before the change, so the stored document and
 * its unchanged parts (payload, history entries) are shared, never written.
 */
export function tryFastUpdate(next: Document, modifier: Document): boolean | undefined {
  const paths: string[] = [];
  for (const [op, arg] of Object.entries(modifier)) {
    if (!SIMPLE_OPS.has(op) || !isPlainObject(arg)) return undefined;
    for (const p of Object.keys(arg)) {
      if (p.length === 0 || p.includes('$') || p.startsWith('.') || p.endsWith('.') || p.includes('..'))
        return undefined;
      if (p === '_id' || p.startsWith('_id.')) return undefined;
      paths.push(p);
    }
  }
  paths.sort();
  for (let i = 1; i < paths.length; i++) {
    const prev = paths[i - 1]!;
    if (paths[i] === prev || paths[i]!.startsWith(`${prev}.`)) return undefined;
  }
  // Check every path before changing anything, so a fallback starts from the untouched copy.
  for (const [op, arg] of Object.entries(modifier)) {
    for (const [p, v] of Object.entries(arg as Document)) {
      const parent = walk(next, p, false);
      if (parent === null) return undefined;
      if (op === '$inc') {
        if (typeof v !== 'number') return undefined;
        const cur = parent?.[last(p)];
        if (cur !== undefined && typeof cur !== 'number') return undefined;
      }
      if (op === '$push') {
        if (pushSpec(v) === undefined) return undefined;
        const cur = parent?.[last(p)];
        if (cur !== undefined && !Array.isArray(cur)) return undefined;
      }
    }
  }
  let changed = false;
  for (const [op, arg] of Object.entries(modifier)) {
    for (const [p, v] of Object.entries(arg as Document)) {
      const key = last(p);
      if (op === '$unset') {
        const parent = walk(next, p, false, true);
        if (parent && key in parent) {
          delete parent[key];
          changed = true;
        }
        continue;
      }
      const parent = walk(next, p, true, true)!;
      const cur = parent[key];
      if (op === '$push') {
        const before = cur as unknown[] | undefined;
        const after = pushed(before, pushSpec(v)!);
        parent[key] = after;
        if (
          before === undefined ||
          before.length !== after.length ||
          after.some((x, i) => !bsonEquals(x, before[i]))
        )
          changed = true;
        continue;
      }
      const value = op === '$inc' ? (typeof cur === 'number' ? cur : 0) + (v as number) : cloneValue(v);
      if (cur === undefined || !bsonEquals(cur, value)) {
        parent[key] = value;
        changed = true;
      }
    }
  }
  return changed;
}

function last(path: string): string {
  const i = path.lastIndexOf('.');
  return i < 0 ? path : path.slice(i + 1);
}

/**
 * The object holding a path's last field: undefined when a missing parent would have to be created
 * (and `create` is false), null when a parent is an array, a number, or any other non-document.
 * With `copy`, each document on the way is replaced by a copy first (see tryFastUpdate).
 */
function walk(doc: Document, path: string, create: boolean, copy = false): Document | null | undefined {
  const parts = path.split('.');
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
