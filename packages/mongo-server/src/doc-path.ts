import type { Document } from './wire.ts';

/** True for `{...}` literals as BSON decodes them, false for Date, ObjectId and other BSON classes. */
export function isPlainObject(v: unknown): v is Document {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A document's first field name, without listing all of them (for-in follows Object.keys' order). */
export function firstKey(doc: Document): string | undefined {
  for (const k in doc) return k;
  return undefined;
}

const splitPaths = new Map<string, string[]>();

/**
 * `path.split('.')`, from a table of the paths seen (filters and updates name the same few fields
 * in every command). The array is shared: callers must not change it.
 */
export function splitPath(path: string): string[] {
  let parts = splitPaths.get(path);
  if (parts === undefined) {
    if (splitPaths.size >= 10_000) splitPaths.clear();
    parts = path.split('.');
    splitPaths.set(path, parts);
  }
  return parts;
}

/**
 * Every value a dotted path reaches, descending into arrays as MongoDB does for index keys and
 * sorts (`a.b` over `a: [{b: 1}, {b: 2}]` gives 1 and 2). Leaf arrays are returned whole.
 */
export function pathValues(doc: unknown, path: string | string[]): unknown[] {
  const out: unknown[] = [];
  const parts = typeof path === 'string' ? path.split('.') : path;
  // Top-level scalar: the common case for index keys, without the recursive walk.
  if (parts.length === 1 && isPlainObject(doc)) {
    const v = doc[parts[0]!];
    if (v !== undefined) out.push(v);
    return out;
  }
  collect(doc, parts, 0, out);
  return out;
}

function collect(value: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    out.push(value);
    return;
  }
  if (Array.isArray(value)) {
    const part = parts[i]!;
    // A numeric component addresses an element; otherwise the path fans out over the elements.
    if (/^\d+$/.test(part)) {
      const el = value[Number(part)];
      if (el !== undefined) collect(el, parts, i + 1, out);
      return;
    }
    for (const el of value) if (isPlainObject(el)) collect(el, parts, i, out);
    return;
  }
  if (!isPlainObject(value)) return;
  const next = value[parts[i]!];
  if (next === undefined) return;
  collect(next, parts, i + 1, out);
}

/** Sets a dotted path, creating plain objects on the way (used to seed upserted documents). */
export function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Document = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i]!;
    if (!isPlainObject(cur[p])) cur[p] = {};
    cur = cur[p] as Document;
  }
  cur[parts[parts.length - 1]!] = value;
}

/** Deep copy of plain objects, arrays and Dates; BSON class instances are immutable and shared. */
export function cloneValue<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(cloneValue) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (!isPlainObject(v)) return v;
  const out: Document = {};
  for (const k of Object.keys(v)) out[k] = cloneValue((v as Document)[k]);
  return out as T;
}
