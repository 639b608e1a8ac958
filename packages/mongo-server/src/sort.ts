import { compareBson } from './bson-order.ts';
import { pathValues } from './doc-path.ts';
import type { Document } from './wire.ts';

/**
 * The value a document sorts by on one field: for arrays, the smallest element ascending and the
 * largest descending, and missing as null (MongoDB's sort semantics).
 */
export function sortValue(doc: Document, path: string, dir: number): unknown {
  const values: unknown[] = [];
  for (const v of pathValues(doc, path)) {
    if (Array.isArray(v)) values.push(...(v.length === 0 ? [undefined] : v));
    else values.push(v);
  }
  if (values.length === 0) return null;
  let best = values[0];
  for (let i = 1; i < values.length; i++) {
    const c = compareBson(values[i], best);
    if (dir > 0 ? c < 0 : c > 0) best = values[i];
  }
  return best;
}

/** Stable in-place sort of items by a MongoDB sort spec. */
export function sortBy<T>(items: T[], spec: Document, docOf: (item: T) => Document): T[] {
  const fields = Object.entries(spec)
    .filter(([f]) => f !== '$natural')
    .map(([f, d]) => [f, Number(d) < 0 ? -1 : 1] as const);
  if (fields.length === 0) return items;
  const keyed = items.map((item, i) => ({
    item,
    i,
    keys: fields.map(([f, d]) => sortValue(docOf(item), f, d)),
  }));
  keyed.sort((a, b) => {
    for (let k = 0; k < fields.length; k++) {
      const c = compareBson(a.keys[k], b.keys[k]);
      if (c !== 0) return c * fields[k]![1];
    }
    return a.i - b.i;
  });
  for (let i = 0; i < keyed.length; i++) items[i] = keyed[i]!.item;
  return items;
}
