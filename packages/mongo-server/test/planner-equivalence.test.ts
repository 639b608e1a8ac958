import { ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { Collection } from '../src/collection.ts';
import { cloneValue } from '../src/doc-path.ts';
import { sortValue } from '../src/sort.ts';
import type { Document } from '../src/wire.ts';

// Whatever index the planner picks, the answer must equal a collection scan's (with the same sort).
// Deterministic pseudo-random documents, indexes, filters and sorts over mixed BSON types.
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const pool: unknown[] = [
  0,
  1,
  2,
  3,
  2.5,
  -1,
  'a',
  'b',
  'c',
  true,
  false,
  null,
  new Date(1000),
  new Date(2000),
  new Date(3000),
  new ObjectId('650000000000000000000001'),
];

describe('planner equivalence', () => {
  it('returns the same documents in the same order as a collection scan', () => {
    const r = rng(7);
    const pick = () => pool[Math.floor(r() * pool.length)];
    const coll = new Collection('db', 'eq');
    coll.createIndex({ v: 2, key: { a: 1, b: -1 }, name: 'a_b' });
    coll.createIndex({ v: 2, key: { b: 1, c: 1 }, name: 'b_c' });
    coll.createIndex({ v: 2, key: { c: -1 }, name: 'c' });
    coll.createIndex({ v: 2, key: { t: 1 }, name: 't_multikey' });
    coll.createIndex({ v: 2, key: { s: 1 }, name: 's_sparse', sparse: true });
    for (let i = 0; i < 400; i++) {
      const doc: Document = { _id: i };
      for (const f of ['a', 'b', 'c', 's']) if (r() < 0.85) doc[f] = pick();
      if (r() < 0.5) doc.t = [pick(), pick()];
      coll.insert(doc);
    }
    const fields = ['a', 'b', 'c', 't', 's', '_id'];
    const makeFilter = (): Document => {
      const f: Document = {};
      const n = 1 + Math.floor(r() * 3);
      for (let k = 0; k < n; k++) {
        const field = fields[Math.floor(r() * fields.length)]!;
        const kind = Math.floor(r() * 6);
        if (kind === 0) f[field] = pick();
        else if (kind === 1) f[field] = { $in: [pick(), pick(), pick()] };
        else if (kind === 2) f[field] = { $gt: pick() };
        else if (kind === 3) f[field] = { $gte: pick(), $lte: pick() };
        else if (kind === 4) f[field] = { $lt: pick() };
        else f[field] = { $ne: pick() };
      }
      return f;
    };
    const makeQuery = (): Document => (r() < 0.2 ? { $or: [makeFilter(), makeFilter()] } : makeFilter());
    const sorts: (Document | undefined)[] = [
      undefined,
      { a: 1 },
      { a: -1, b: 1 },
      { b: 1, c: 1 },
      { c: 1 },
      { _id: -1 },
      { t: 1 },
    ];
    let indexed = 0;
    let unions = 0;
    for (let i = 0; i < 600; i++) {
      const filter = makeQuery();
      const sort = sorts[Math.floor(r() * sorts.length)];
      const limit = r() < 0.5 ? 0 : 1 + Math.floor(r() * 5);
      const stats = { plan: '', keysExamined: 0, docsExamined: 0 };
      const planned = coll.find(filter, { sort, limit, stats }).map((x) => x.doc._id);
      const scanned = coll.find(filter, { sort, limit, hint: { $natural: 1 } }).map((x) => x.doc._id);
      if (stats.plan !== 'COLLSCAN') indexed++;
      if (stats.plan.startsWith('OR')) unions++;
      if (sort) {
        // Ties may come in any order: compare the sort keys, and the sets when there is no limit.
        const keysOf = (ids: unknown[]) =>
          ids.map((id) => {
            const doc = coll.find({ _id: id })[0]!.doc;
            return JSON.stringify(Object.entries(sort).map(([k, d]) => sortValue(doc, k, Number(d)) ?? null));
          });
        expect([filter, sort, limit, stats.plan, keysOf(planned)]).toEqual([
          filter,
          sort,
          limit,
          stats.plan,
          keysOf(scanned),
        ]);
        if (!limit) expect([...planned].sort()).toEqual([...scanned].sort());
      } else if (limit) {
        expect(planned.length).toBe(scanned.length);
      } else {
        expect([filter, stats.plan, [...planned].sort()]).toEqual([filter, stats.plan, [...scanned].sort()]);
      }
    }
    expect(indexed).toBeGreaterThan(200);
    expect(unions).toBeGreaterThan(10);
  });

  it('keeps every index equal to one built afresh after updates that keep, change or retype keys', () => {
    const r = rng(11);
    const pick = () => pool[Math.floor(r() * pool.length)];
    const specs = [
      { v: 2 as const, key: { a: 1, b: -1 }, name: 'a_b' },
      { v: 2 as const, key: { 'n.x': 1 }, name: 'n_x' },
      { v: 2 as const, key: { t: 1 }, name: 't_multikey' },
      { v: 2 as const, key: { s: 1 }, name: 's_sparse', sparse: true },
    ];
    const coll = new Collection('db', 'upd');
    for (const spec of specs) coll.createIndex(spec);
    for (let i = 0; i < 200; i++)
      coll.insert({ _id: i, a: pick(), b: pick(), n: { x: pick() }, t: [pick()] });
    for (let i = 0; i < 2000; i++) {
      const rec = coll.find({ _id: Math.floor(r() * 200) })[0]!;
      const next: Document = cloneValue(rec.doc);
      const roll = r();
      // Same value in a new object (a Date), an unchanged key with another field changed, a new key.
      if (roll < 0.2 && next.b instanceof Date) next.b = new Date(next.b.getTime());
      else if (roll < 0.4) next.other = i;
      else if (roll < 0.6) next.n = { x: pick() };
      else if (roll < 0.7) next.t = [pick(), pick()];
      else if (roll < 0.8) {
        if (next.s === undefined) next.s = pick();
        else delete next.s;
      } else next[r() < 0.5 ? 'a' : 'b'] = pick();
      coll.replace(rec, next);
    }
    const fresh = new Collection('db', 'fresh');
    for (const spec of specs) fresh.createIndex(spec);
    for (const rec of coll.find({}, { hint: { $natural: 1 } })) fresh.insert(cloneValue(rec.doc));
    for (const spec of specs) {
      const entries = (c: Collection) =>
        [...c.indexes.find((x) => x.name === spec.name)!.entries.forward()].map((e) => [
          e.key,
          e.rec.doc._id,
        ]);
      expect([spec.name, entries(coll)]).toEqual([spec.name, entries(fresh)]);
    }
  });
});
