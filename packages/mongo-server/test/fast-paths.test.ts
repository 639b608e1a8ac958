import { Binary, ObjectId } from 'bson';
import { Query } from 'mingo';
import { describe, expect, it } from 'vitest';
import { cloneValue } from '../src/doc-path.ts';
import { compileFastFilter } from '../src/fast-matcher.ts';
import { applyUpdate, buildUpsert, seedFromQuery } from '../src/update-apply.ts';
import { tryFastUpdate } from '../src/update-fast.ts';
import type { Document } from '../src/wire.ts';

// The fast filter and update paths must agree with mingo (the reference for semantics here) on
// every shape they accept. Deterministic pseudo-random corpus, so failures reproduce.
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const oid = new ObjectId('650000000000000000000001');
const values: unknown[] = [
  0,
  1,
  2,
  2.5,
  -1,
  'a',
  'b',
  'queued',
  true,
  false,
  new Date(1000),
  new Date(2000),
  oid,
  null,
];

function randomDoc(r: () => number): Document {
  const doc: Document = { _id: Math.floor(r() * 1000) };
  for (const f of ['a', 'b', 'c']) {
    const x = r();
    if (x < 0.15) continue;
    if (x < 0.3) doc[f] = [values[Math.floor(r() * values.length)], values[Math.floor(r() * values.length)]];
    else if (x < 0.4) doc[f] = { d: values[Math.floor(r() * values.length)] };
    // Documents in an array: a dotted path fans out over them.
    else if (x < 0.45) doc[f] = [{ d: values[Math.floor(r() * values.length)] }, { e: 1 }];
    else doc[f] = values[Math.floor(r() * values.length)];
  }
  return doc;
}

function randomFilter(r: () => number): Document {
  const pick = () => values[Math.floor(r() * (values.length - 1))];
  const field = ['a', 'b', 'c', 'a.d'][Math.floor(r() * 4)]!;
  const ops = [
    () => ({ [field]: pick() }),
    () => ({ [field]: { $eq: pick() } }),
    () => ({ [field]: { $ne: pick() } }),
    () => ({ [field]: { $gt: pick() } }),
    () => ({ [field]: { $gte: pick(), $lt: pick() } }),
    () => ({ [field]: { $lte: pick() } }),
    () => ({ [field]: { $in: [pick(), pick()] } }),
    () => ({ [field]: { $nin: [pick(), pick()] } }),
    () => ({ a: { $exists: r() < 0.5 } }),
    () => ({ a: null }),
    () => ({ $and: [{ [field]: pick() }, { b: { $ne: pick() } }] }),
    () => ({ $or: [{ [field]: pick() }, { b: { $gt: pick() } }] }),
    () => ({ $nor: [{ [field]: pick() }, { c: { $exists: true } }] }),
  ];
  return ops[Math.floor(r() * ops.length)]!();
}

describe('fast filter', () => {
  it('agrees with mingo on equality, comparison, $in/$nin, $ne, $exists and null over mixed types', () => {
    const r = rng(42);
    const docs = Array.from({ length: 200 }, () => randomDoc(r));
    let compared = 0;
    for (let i = 0; i < 300; i++) {
      const filter = randomFilter(r);
      const fast = compileFastFilter(filter);
      if (!fast) continue;
      const q = new Query(filter, {});
      for (const d of docs) expect([filter, d, fast(d)]).toEqual([filter, d, q.test(d)]);
      compared++;
    }
    expect(compared).toBeGreaterThan(250);
  });

  it('agrees with mingo on $exists over dotted paths through arrays and documents', () => {
    const docs: Document[] = [
      { _id: 1 },
      { _id: 2, history: [] },
      { _id: 3, history: [{ at: 1 }] },
      { _id: 4, history: [{ at: 1 }, { at: null }] },
      { _id: 5, history: { '0': 'x' } },
      { _id: 6, history: null },
      { _id: 7, history: 'text' },
      { _id: 8, history: [[]] },
      { _id: 9, lock: { token: 't' } },
      { _id: 10, lock: { token: null } },
      { _id: 11, lock: null },
      { _id: 12, lock: [{ token: 't' }, 3] },
      { _id: 13, lock: [1, 2] },
      { _id: 14, lock: [{ other: 1 }] },
      { _id: 15, lock: { token: [] } },
      { _id: 16, lock: new Date(0) },
      { _id: 17, lock: [[{ token: 1 }]] },
      { _id: 18, history: [null] },
      { _id: 19, lock: 'text' },
      { _id: 20, lock: ['text', { token: 1 }] },
    ];
    for (const path of ['history.0', 'lock.0', 'history.at', 'lock.token', 'lock.x.y', 'lock.length']) {
      for (const want of [true, false]) {
        const filter = { [path]: { $exists: want } };
        const fast = compileFastFilter(filter);
        expect(fast, path).toBeDefined();
        const q = new Query(filter, {});
        for (const d of docs) expect([filter, d, fast!(d)]).toEqual([filter, d, q.test(d)]);
      }
    }
    // A numeric part other than a last `0` may also name a field of the array's documents.
    expect(compileFastFilter({ 'history.1': { $exists: true } })).toBeUndefined();
    expect(compileFastFilter({ 'history.0.at': { $exists: true } })).toBeUndefined();
    expect(compileFastFilter({ 'lock.token.0': { $exists: true } })).toBeUndefined();
  });

  it('declines filters it cannot evaluate exactly', () => {
    expect(compileFastFilter({ a: /x/ })).toBeUndefined();
    expect(compileFastFilter({ $or: [{ a: /x/ }] })).toBeUndefined();
    expect(compileFastFilter({ a: { $elemMatch: { b: 1 } } })).toBeUndefined();
    expect(compileFastFilter({ a: [1, 2] })).toBeUndefined();
    expect(compileFastFilter({ a: { $gt: null } })).toBeUndefined();
  });
});

describe('fast update', () => {
  it('agrees with mingo on $set, $unset and $inc over nested paths', () => {
    const base = { _id: 1, a: 1, n: { x: 1, y: 'y' }, s: 'str' };
    const mods: Document[] = [
      { $set: { a: 2, 'n.x': 5, 'm.k': 1 } },
      { $set: { a: 1 } },
      { $unset: { 'n.y': '', missing: '' } },
      { $inc: { a: 2, 'n.z': 1 } },
      { $set: { lock: { owner: 'w', until: new Date(5) } }, $inc: { attempts: 1 } },
    ];
    for (const m of mods) {
      const fastDoc = structuredClone(base) as Document;
      const fastChanged = tryFastUpdate(fastDoc, m);
      expect(fastChanged).toBeDefined();
      const viaApply = applyUpdate(base, m);
      expect(fastDoc).toEqual(viaApply.doc);
      expect(fastChanged).toBe(viaApply.changed);
    }
  });

  it('pushes values and bounded $each/$slice as MongoDB does, and reports no-ops', () => {
    const cases: [Document, Document, Document, boolean][] = [
      [{ h: [1, 2] }, { $push: { h: 3 } }, { h: [1, 2, 3] }, true],
      [{}, { $push: { h: { $each: [1, 2, 3], $slice: -2 } } }, { h: [2, 3] }, true],
      [{ h: [1, 2] }, { $push: { h: { $each: [3], $slice: -2 } } }, { h: [2, 3] }, true],
      [{ h: [1, 2] }, { $push: { h: { $each: [3], $slice: 2 } } }, { h: [1, 2] }, false],
      [{ h: [1] }, { $push: { h: { $each: [2], $slice: 0 } } }, { h: [] }, true],
      [{ n: {} }, { $push: { 'n.h': { x: 1 } } }, { n: { h: [{ x: 1 }] } }, true],
      [{}, { $push: { h: { $each: [] } } }, { h: [] }, true],
    ];
    for (const [doc, m, want, changed] of cases) {
      const next = structuredClone(doc);
      expect([m, tryFastUpdate(next, m)]).toEqual([m, changed]);
      expect(next).toEqual(want);
    }
  });

  it('never writes into the stored document: changed paths are copied, untouched parts shared', () => {
    const stored: Document = {
      _id: 'm1',
      lock: { owner: 'a', token: 't', until: new Date(1) },
      payload: { source: { addr: '1' }, tlvs: [{ tag: 1 }] },
      history: [{ attempt: 0 }],
      n: { a: { b: 1 } },
    };
    const snapshot = cloneValue(stored);
    const mods: Document[] = [
      { $set: { 'lock.token': 'u', 'lock.until': new Date(2), state: 'x' } },
      { $unset: { 'n.a.b': '' }, $inc: { attempts: 1 } },
      { $push: { history: { $each: [{ attempt: 1 }], $slice: -20 } }, $set: { 'n.a.c': 2 } },
      { $set: { lock: null } },
      { $set: { 'history.0.attempt': 5 } },
    ];
    for (const [i, m] of mods.entries()) {
      const { doc } = applyUpdate(stored, m);
      expect(stored).toEqual(snapshot);
      // The last one (a path through an array) goes to mingo, on a deep copy.
      if (i < mods.length - 1) expect(doc.payload).toBe(stored.payload);
      else expect(doc.history).toEqual([{ attempt: 5 }]);
    }
    expect(applyUpdate(stored, mods[0]!).doc.lock).not.toBe(stored.lock);
  });

  it('leaves $push with $sort or $position, and $push onto a non-array, to mingo', () => {
    expect(tryFastUpdate({ h: [2] }, { $push: { h: { $each: [1], $sort: 1 } } })).toBeUndefined();
    expect(tryFastUpdate({ h: [2] }, { $push: { h: { $each: [1], $position: 0 } } })).toBeUndefined();
    expect(tryFastUpdate({ h: 1 }, { $push: { h: 2 } })).toBeUndefined();
    expect(applyUpdate({ _id: 1, h: [2] }, { $push: { h: { $each: [3, 1], $sort: 1 } } }).doc).toEqual({
      _id: 1,
      h: [1, 2, 3],
    });
  });

  it('leaves array paths, positional operators and bad $inc to mingo', () => {
    expect(tryFastUpdate({ a: [1] }, { $set: { 'a.0': 2 } })).toBeUndefined();
    expect(tryFastUpdate({ a: [1] }, { $set: { 'a.$': 2 } })).toBeUndefined();
    expect(tryFastUpdate({ a: 's' }, { $inc: { a: 1 } })).toBeUndefined();
    expect(tryFastUpdate({ a: {} }, { $set: { a: 1, 'a.b': 2 } })).toBeUndefined();
    // Where mingo would silently skip, MongoDB fails: TypeMismatch (14) and BadValue (2).
    expect(() => applyUpdate({ _id: 1, a: 's' }, { $inc: { a: 1 } })).toThrow(
      expect.objectContaining({ code: 14 }),
    );
    expect(() => applyUpdate({ _id: 1, a: 's' }, { $push: { a: 1 } })).toThrow(
      expect.objectContaining({ code: 2 }),
    );
  });

  it('applies one parsed update to each document of a statement as it would one by one', () => {
    const docs: Document[] = [
      { _id: 1, n: 1, h: [] },
      { _id: 2, n: 'x', h: [1] },
      { _id: 3, h: 5 },
    ];
    const updates: Document[] = [
      { $set: { s: 'a', 'l.t': 1 }, $inc: { n: 1 }, $push: { h: { $each: [2], $slice: -2 } } },
      { $set: { _id: 2, s: 'b' } },
      { $unset: { n: '' }, $setOnInsert: { z: 1 } },
    ];
    const outcome = (f: () => unknown) => {
      try {
        return f();
      } catch (err) {
        return (err as Error).message;
      }
    };
    for (const u of updates) {
      const reuse = {};
      for (const d of docs) {
        const shared = outcome(() => applyUpdate(d, u, { reuse }));
        expect([u, d, shared]).toEqual([u, d, outcome(() => applyUpdate(d, u))]);
      }
    }
  });
});

describe('insert by upsert', () => {
  const generic = (query: Document, update: Document) => {
    const doc = applyUpdate(seedFromQuery(query), update, { inserting: true }).doc;
    const { _id, ...rest } = doc;
    return { _id, ...rest };
  };

  it('builds the document the generic path builds, _id first, taking the decoded values as they are', () => {
    const fields = {
      kind: 'receipt',
      at: new Date(5),
      payload: { source: { addr: '4670' }, data: new Binary(Buffer.from('x')) },
      history: [{ at: new Date(6) }],
      lock: null,
    };
    const query = { _id: 'm1.r' };
    const update = { $setOnInsert: fields };
    const doc = buildUpsert(query, update);
    expect(doc).toEqual(generic(query, update));
    expect(Object.keys(doc)[0]).toBe('_id');
    expect(doc.payload).toBe(fields.payload);
  });

  it('leaves every other shape to the generic path', () => {
    const cases: [Document, Document][] = [
      [{ _id: 'a', x: 1 }, { $setOnInsert: { y: 1 } }],
      [{ _id: { $eq: 'a' } }, { $setOnInsert: { y: 1 } }],
      [{ _id: 'a' }, { $setOnInsert: { 'y.z': 1 } }],
      [{ _id: 'a' }, { $setOnInsert: { y: 1 }, $set: { z: 2 } }],
      [{ _id: 'a' }, { $setOnInsert: { _id: 'a', y: 1 } }],
    ];
    for (const [query, update] of cases) expect(buildUpsert(query, update)).toEqual(generic(query, update));
  });
});
