import { compareBson, TypeBound, TypeRank, typeRank } from './bson-order.ts';
import type { CollectionIndex, IndexEntry } from './collection-index.ts';
import { isPlainObject } from './doc-path.ts';
import type { Document } from './wire.ts';

// The planner narrows candidates only; every candidate is still tested against the full filter, so a
// plan can be loose but never too tight.

type FieldPredicate = {
  points?: unknown[];
  low?: { value: unknown; inclusive: boolean };
  high?: { value: unknown; inclusive: boolean };
};

export type Interval = { low: unknown[]; lowInclusive: boolean; high: unknown[]; highInclusive: boolean };

export type Plan =
  | { kind: 'collscan'; reverse: boolean; sorted: boolean }
  | { kind: 'ixscan'; index: CollectionIndex; intervals: Interval[]; reverse: boolean; sorted: boolean };

const MAX_INTERVALS = 2_000;

function isOperatorObject(v: unknown): v is Document {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

// Values an index point may stand for: arrays and regexes match in ways a point lookup would miss.
function pointable(v: unknown): boolean {
  return (
    !Array.isArray(v) && !(v instanceof RegExp) && (v as { _bsontype?: string })?._bsontype !== 'BSONRegExp'
  );
}

function rangeable(v: unknown): boolean {
  const r = typeRank(v);
  return (
    r !== TypeRank.Null &&
    r !== TypeRank.MinKey &&
    r !== TypeRank.MaxKey &&
    r !== TypeRank.RegExp &&
    r !== TypeRank.Array
  );
}

/** Predicates on top-level field paths that an index can bound, from the filter and its `$and`s. */
export function extractPredicates(
  filter: Document,
  out = new Map<string, FieldPredicate>(),
): Map<string, FieldPredicate> {
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(cond)) {
      for (const sub of cond) if (isPlainObject(sub)) extractPredicates(sub, out);
      continue;
    }
    if (field.startsWith('$')) continue;
    const p = out.get(field) ?? {};
    if (isOperatorObject(cond)) {
      for (const [op, v] of Object.entries(cond)) {
        if (op === '$eq' && pointable(v)) p.points = intersectPoints(p.points, [v]);
        else if (op === '$in' && Array.isArray(v) && v.every(pointable))
          p.points = intersectPoints(p.points, v);
        else if ((op === '$gt' || op === '$gte') && rangeable(v)) {
          const inclusive = op === '$gte';
          if (!p.low || compareBson(v, p.low.value) > 0) p.low = { value: v, inclusive };
        } else if ((op === '$lt' || op === '$lte') && rangeable(v)) {
          const inclusive = op === '$lte';
          if (!p.high || compareBson(v, p.high.value) < 0) p.high = { value: v, inclusive };
        }
      }
    } else if (pointable(cond)) {
      p.points = intersectPoints(p.points, [cond]);
    }
    if (p.points || p.low || p.high) out.set(field, p);
  }
  return out;
}

function intersectPoints(a: unknown[] | undefined, b: unknown[]): unknown[] {
  const sorted = [...b].sort(compareBson).filter((v, i, xs) => i === 0 || compareBson(xs[i - 1], v) !== 0);
  if (!a) return sorted;
  return a.filter((v) => sorted.some((w) => compareBson(v, w) === 0));
}

type Candidate = {
  index: CollectionIndex;
  intervals: Interval[];
  score: number;
  sorted: boolean;
  reverse: boolean;
};

function buildIntervals(
  index: CollectionIndex,
  preds: Map<string, FieldPredicate>,
): { intervals: Interval[]; bounded: number; range: boolean; singles: Set<string> } {
  let prefixes: unknown[][] = [[]];
  let bounded = 0;
  let range = false;
  const singles = new Set<string>();
  let lowTail: { value: unknown; inclusive: boolean } | undefined;
  let highTail: { value: unknown; inclusive: boolean } | undefined;
  for (let i = 0; i < index.fields.length; i++) {
    const field = index.fields[i]!;
    const p = preds.get(field);
    if (!p) break;
    if (index.sparse && p.points?.some((v) => v === null)) break;
    if (p.points) {
      if (prefixes.length * p.points.length > MAX_INTERVALS) break;
      const points = index.dirs[i]! > 0 ? p.points : [...p.points].reverse();
      prefixes = prefixes.flatMap((pre) => points.map((v) => [...pre, v]));
      if (p.points.length === 1) singles.add(field);
      bounded++;
      continue;
    }
    // A range: type-bracketed like MongoDB's bounds ($lte: date never reaches numbers).
    let low = p.low ?? { value: new TypeBound(typeRank(p.high!.value), false), inclusive: true };
    let high = p.high ?? { value: new TypeBound(typeRank(p.low!.value), true), inclusive: true };
    // On a multikey index two range predicates may be met by different elements: keep one bound.
    if (index.multikey && p.low && p.high)
      high = { value: new TypeBound(typeRank(p.low.value), true), inclusive: true };
    if (index.dirs[i]! < 0) [low, high] = [high, low];
    lowTail = low;
    highTail = high;
    bounded++;
    range = true;
    break;
  }
  const intervals = prefixes.map((pre) => ({
    low: lowTail ? [...pre, lowTail.value] : pre,
    lowInclusive: lowTail ? lowTail.inclusive : true,
    high: highTail ? [...pre, highTail.value] : pre,
    highInclusive: highTail ? highTail.inclusive : true,
  }));
  return { intervals, bounded, range, singles };
}

/** Whether walking `index` (forward or backward) yields documents in `sort` order. */
function sortOrder(
  index: CollectionIndex,
  sort: [string, number][],
  singles: Set<string>,
): 'forward' | 'backward' | undefined {
  if (index.multikey) return undefined;
  const wanted = sort.filter(([f]) => !singles.has(f));
  if (wanted.length === 0) return 'forward';
  let w = 0;
  let direction: number | undefined;
  for (let i = 0; i < index.fields.length && w < wanted.length; i++) {
    const f = index.fields[i]!;
    const [sf, sd] = wanted[w]!;
    if (f !== sf) {
      if (singles.has(f)) continue;
      return undefined;
    }
    const rel = sd * index.dirs[i]!;
    if (direction === undefined) direction = rel;
    else if (direction !== rel) return undefined;
    w++;
  }
  if (w < wanted.length) return undefined;
  return direction === -1 ? 'backward' : 'forward';
}

/**
 * Picks an index by the query's equality and range fields and the requested sort, the way MongoDB's
 * planner would for these simple shapes; falls back to a collection scan when nothing fits.
 */
export function planQuery(
  filter: Document,
  sort: Document | undefined,
  indexes: CollectionIndex[],
  hint?: CollectionIndex,
): Plan {
  const sortSpec = Object.entries(sort ?? {}).map(
    ([f, d]) => [f, Number(d) < 0 ? -1 : 1] as [string, number],
  );
  if (sortSpec.length === 1 && sortSpec[0]![0] === '$natural') {
    return { kind: 'collscan', reverse: sortSpec[0]![1] < 0, sorted: true };
  }
  const preds = extractPredicates(filter);
  let best: Candidate | undefined;
  for (const index of hint ? [hint] : indexes) {
    if (index.partial && index !== hint) continue;
    // Without a sort to serve, an index whose first field the filter does not bound scores 0 and
    // is never chosen: its intervals need not be built.
    if (!hint && sortSpec.length === 0 && !preds.has(index.fields[0]!)) continue;
    const { intervals, bounded, range, singles } = buildIntervals(index, preds);
    // A sparse index lacks documents without its fields: only a bound on them makes it complete.
    if (index.sparse && bounded === 0 && index !== hint) continue;
    const order = sortSpec.length > 0 ? sortOrder(index, sortSpec, singles) : 'forward';
    const sorted = sortSpec.length === 0 || order !== undefined;
    // Bounded fields narrow the most; serving the sort avoids reading every match before a limit.
    const score =
      bounded * 4 +
      (range ? -1 : 0) +
      (sortSpec.length > 0 && sorted ? 4 : 0) +
      (index.unique && bounded === index.fields.length && !range ? 2 : 0);
    if (!hint && score <= 0) continue;
    if (!best || score > best.score)
      best = { index, intervals, score, sorted, reverse: order === 'backward' };
  }
  if (!best) return { kind: 'collscan', reverse: false, sorted: sortSpec.length === 0 };
  return {
    kind: 'ixscan',
    index: best.index,
    intervals: best.intervals,
    reverse: best.reverse,
    sorted: best.sorted,
  };
}

/** Index entries inside the plan's intervals, in index order (or reverse). */
export function* scanIndex(
  index: CollectionIndex,
  intervals: Interval[],
  reverse: boolean,
): Generator<IndexEntry> {
  const ordered = reverse ? [...intervals].reverse() : intervals;
  for (const iv of ordered) {
    if (!reverse) {
      for (const e of index.entries.forward(index.seekKey(iv.low, !iv.lowInclusive))) {
        const c = index.compareKeys(e.key, iv.high);
        if (iv.highInclusive ? c > 0 : c >= 0) break;
        yield e;
      }
    } else {
      for (const e of index.entries.backward(index.seekKey(iv.high, iv.highInclusive))) {
        const c = index.compareKeys(e.key, iv.low);
        if (iv.lowInclusive ? c < 0 : c <= 0) break;
        yield e;
      }
    }
  }
}
