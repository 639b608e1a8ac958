import { Long, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { compareBson, TypeBound, TypeRank } from '../src/bson-order.ts';
import { CollectionIndex, type IndexEntry, type Rec } from '../src/collection-index.ts';
import { entryCode, probeCode } from '../src/key-code.ts';

// The codes must order entries exactly as the generic comparison does: compareBson per field in
// the field's direction, then the record id.

let seed = 11;
function rnd(n: number): number {
  seed = (seed * 48271) % 2147483647;
  return seed % n;
}

const strings = [
  '',
  'a',
  'a\u0000',
  'a\u0000b',
  'a\u0001',
  'ab',
  'b',
  '\u00ff',
  '\u0100',
  'é',
  '\ud83d\ude00',
  '\uffff',
];
const numbers = [-Infinity, -1e300, -2.5, -1, -0, 0, 1e-300, 1, 2, 2.5, 1e15, Infinity];
const dates = [
  new Date(-1e12),
  new Date(0),
  new Date(1),
  new Date(1_700_000_000_000),
  new Date(1_700_000_000_001),
];
const oids = [
  new ObjectId('000000000000000000000000'),
  new ObjectId('000000000000000000000001'),
  new ObjectId('0000000000ff000000000000'),
  new ObjectId('65f000000000000000000001'),
  new ObjectId('ffffffffffffffffffffffff'),
];

function value(): unknown {
  switch (rnd(8)) {
    case 0:
      return strings[rnd(strings.length)];
    case 1:
      return numbers[rnd(numbers.length)];
    case 2:
      return dates[rnd(dates.length)];
    case 3:
      return oids[rnd(oids.length)];
    case 4:
      return rnd(2) === 0;
    case 5:
      return rnd(2) === 0 ? null : undefined;
    case 6:
      return strings[rnd(3)];
    default:
      return rnd(3);
  }
}

function genericCompare(a: unknown[], ida: number, b: unknown[], idb: number, dirs: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareBson(a[i], b[i]);
    if (c !== 0) return c * dirs[i]!;
  }
  return ida - idb;
}

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);
const compareCodes = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

describe('index entry codes', () => {
  for (const dirs of [[1], [-1], [1, -1], [-1, 1, 1], [1, 1, -1]]) {
    it(`order keys as compareBson does, directions ${dirs.join(',')}`, () => {
      const keys = Array.from({ length: 400 }, (_, i) => ({ key: dirs.map(() => value()), id: i + 1 }));
      for (let i = 0; i < keys.length; i++) {
        for (let j = 0; j < keys.length; j += 1 + rnd(3)) {
          const a = keys[i]!;
          const b = keys[j]!;
          const expected = sign(genericCompare(a.key, a.id, b.key, b.id, dirs));
          expect(compareCodes(entryCode(a.key, dirs, a.id)!, entryCode(b.key, dirs, b.id)!)).toBe(expected);
        }
        // Probes: before every entry of the prefix, or after all of them.
        const a = keys[i]!;
        for (let n = 0; n <= dirs.length; n++) {
          const prefix = keys[rnd(keys.length)]!.key.slice(0, n);
          const vsPrefix = sign(genericCompare(a.key, 0, prefix, 0, dirs));
          const entry = entryCode(a.key, dirs, a.id)!;
          expect(compareCodes(entry, probeCode(prefix, dirs, false)!)).toBe(vsPrefix === 0 ? 1 : vsPrefix);
          expect(compareCodes(entry, probeCode(prefix, dirs, true)!)).toBe(vsPrefix === 0 ? -1 : vsPrefix);
        }
      }
    });
  }

  it('leave out values compareBson orders otherwise (those entries compare field by field)', () => {
    for (const v of [
      Number.NaN,
      new Date(Number.NaN),
      Long.fromNumber(1),
      { a: 1 },
      [1],
      1n,
      new TypeBound(TypeRank.Date, false),
    ]) {
      expect(entryCode([v], [1], 1)).toBeUndefined();
      expect(probeCode([v], [1], false)).toBeUndefined();
    }
    expect(entryCode(['x'.repeat(5000)], [1], 1)).toBeUndefined();
    expect(entryCode([1], [1], 2 ** 50)).toBeUndefined();
  });

  it('keep an index with coded and uncoded entries in compareBson order', () => {
    const idx = new CollectionIndex({ v: 2, key: { a: 1, b: -1 }, name: 'a_1_b_-1' });
    // Not NaN: compareBson finds it equal to every number, which is no order to compare with.
    const pool = [1, 2, Long.fromNumber(2), 2.5, 'x', { o: 1 }, null, new Date(5), true, [3, 'y']];
    const recs: Rec[] = [];
    for (let i = 1; i <= 600; i++) {
      const rec: Rec = {
        id: i,
        doc: { a: pool[rnd(pool.length)], b: pool[rnd(pool.length)] },
        size: 0,
        entries: [],
      };
      rec.entries.push(idx.entriesFor(rec, idx.keysFor(rec.doc)));
      idx.add(rec.entries[0]!);
      recs.push(rec);
    }
    for (const rec of recs.filter((_, i) => i % 4 === 0)) idx.remove(rec.entries[0]!);
    const entries = [...idx.entries.forward()] as IndexEntry[];
    const sorted = [...entries].sort((x, y) => idx.compareKeys(x.key, y.key) || x.rec.id - y.rec.id);
    expect(entries.map((e) => e.rec.id)).toEqual(sorted.map((e) => e.rec.id));
    // Seeks find the same range as a scan with compareKeys.
    for (const probe of [[2], [Long.fromNumber(2)], ['x'], [null], [1, 2], [new Date(5), true]]) {
      const start = [...idx.entries.forward(idx.seekKey(probe))].map((e) => e.rec.id);
      expect(start).toEqual(sorted.filter((e) => idx.compareKeys(e.key, probe) >= 0).map((e) => e.rec.id));
      const end = [...idx.entries.backward(idx.seekKey(probe, true))].map((e) => e.rec.id);
      expect(end).toEqual(
        sorted
          .filter((e) => idx.compareKeys(e.key, probe) <= 0)
          .map((e) => e.rec.id)
          .reverse(),
      );
    }
  });
});
