import { bsonEquals } from './bson-order.ts';
import { cloneValue, isPlainObject } from './doc-path.ts';
import type { Document } from './wire.ts';

const SIMPLE_OPS = new Set(['$set', '$unset', '$inc']);

/**
 * `$set`/`$unset`/`$inc` on plain dotted paths through embedded documents, which is what lock and
 * state changes use. Returns undefined for anything else (positional paths, arrays on the way,
 * conflicting paths, non-numeric `$inc`): mingo then applies it and reports errors as MongoDB does.
 * mingo re-matches the query and rebuilds its operator tables per call, which costs more than the
 * rest of a claim.
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
    }
  }
  let changed = false;
  for (const [op, arg] of Object.entries(modifier)) {
    for (const [p, v] of Object.entries(arg as Document)) {
      const key = last(p);
      if (op === '$unset') {
        const parent = walk(next, p, false);
        if (parent && key in parent) {
          delete parent[key];
          changed = true;
        }
        continue;
      }
      const parent = walk(next, p, true)!;
      const cur = parent[key];
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
 */
function walk(doc: Document, path: string, create: boolean): Document | null | undefined {
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
    cur = v;
  }
  return cur;
}
