import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { type Collection, type Db, Long } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Doc } from './doc-type.ts';

// The driver's ordinary API with default options. Runs unchanged against a real MongoDB (MONGODB_URI).
describe('driver CRUD with default options', () => {
  let mongo: TestMongo;
  let db: Db;
  let coll: Collection<Doc>;
  beforeAll(async () => {
    mongo = await useTestMongo();
    db = await mongo.db();
  });
  afterAll(() => mongo.close());
  beforeEach(async () => {
    coll = db.collection<Doc>(`c${Math.random().toString(36).slice(2, 8)}`);
  });

  it('inserts, finds, updates and deletes one document', async () => {
    const { insertedId } = await coll.insertOne({ name: 'a', n: 1 });
    expect(await coll.findOne({ _id: insertedId })).toEqual({ _id: insertedId, name: 'a', n: 1 });
    const upd = await coll.updateOne({ _id: insertedId }, { $inc: { n: 2 }, $set: { tag: 'x' } });
    expect(upd).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await coll.findOne({ _id: insertedId }, { projection: { _id: 0, n: 1, tag: 1 } })).toEqual({
      n: 3,
      tag: 'x',
    });
    const same = await coll.updateOne({ _id: insertedId }, { $set: { tag: 'x' } });
    expect(same).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    expect((await coll.deleteOne({ _id: insertedId })).deletedCount).toBe(1);
    expect(await coll.findOne({ _id: insertedId })).toBeNull();
  });

  it('inserts many, counts, sorts, skips, limits and pages through more than one batch', async () => {
    const docs = Array.from({ length: 250 }, (_, i) => ({ i, even: i % 2 === 0 }));
    const res = await coll.insertMany(docs);
    expect(res.insertedCount).toBe(250);
    expect(await coll.countDocuments()).toBe(250);
    expect(await coll.countDocuments({ even: true })).toBe(125);
    expect(await coll.estimatedDocumentCount()).toBe(250);
    const all = await coll
      .find({}, { projection: { _id: 0, i: 1 } })
      .sort({ i: -1 })
      .toArray();
    expect(all).toHaveLength(250);
    expect(all[0]).toEqual({ i: 249 });
    const page = await coll.find({ even: true }).sort({ i: 1 }).skip(10).limit(5).toArray();
    expect(page.map((d) => d.i)).toEqual([20, 22, 24, 26, 28]);
    const small = await coll.find({}).batchSize(7).toArray();
    expect(small).toHaveLength(250);
  });

  it('replaces a document keeping its _id and refuses to change _id', async () => {
    const { insertedId } = await coll.insertOne({ a: 1, b: 2 });
    await coll.replaceOne({ _id: insertedId }, { c: 3 });
    expect(await coll.findOne({ _id: insertedId })).toEqual({ _id: insertedId, c: 3 });
    await expect(coll.replaceOne({ _id: insertedId }, { _id: 'other', c: 4 })).rejects.toMatchObject({
      code: 66,
    });
    await expect(coll.updateOne({ _id: insertedId }, { $set: { _id: 'other' } })).rejects.toMatchObject({
      code: 66,
    });
  });

  it('upserts with the query equality fields and $setOnInsert only on insert', async () => {
    const first = await coll.updateOne(
      { key: 'k', 'meta.kind': 'x' },
      { $set: { v: 1 }, $setOnInsert: { created: true } },
      { upsert: true },
    );
    expect(first.upsertedCount).toBe(1);
    const doc = await coll.findOne({ key: 'k' });
    expect(doc).toMatchObject({ key: 'k', meta: { kind: 'x' }, v: 1, created: true });
    const second = await coll.updateOne(
      { key: 'k' },
      { $set: { v: 2 }, $setOnInsert: { created: 'again' } },
      { upsert: true },
    );
    expect(second).toMatchObject({ matchedCount: 1, upsertedCount: 0 });
    expect(await coll.findOne({ key: 'k' }, { projection: { _id: 0, v: 1, created: 1 } })).toEqual({
      v: 2,
      created: true,
    });
    const repl = await coll.replaceOne({ key: 'r' }, { key: 'r', whole: true }, { upsert: true });
    expect(repl.upsertedId).toBeTruthy();
    expect(await coll.findOne({ key: 'r' }, { projection: { _id: 0 } })).toEqual({ key: 'r', whole: true });
  });

  it('findOneAndUpdate takes the first document in sort order and can upsert', async () => {
    await coll.insertMany([
      { q: 'queued', p: 1, at: 3 },
      { q: 'queued', p: 5, at: 2 },
      { q: 'queued', p: 5, at: 1 },
      { q: 'done', p: 9, at: 0 },
    ]);
    const got = await coll.findOneAndUpdate(
      { q: 'queued' },
      { $set: { q: 'locked' } },
      { sort: { p: -1, at: 1 }, returnDocument: 'after' },
    );
    expect(got).toMatchObject({ q: 'locked', p: 5, at: 1 });
    const before = await coll.findOneAndUpdate(
      { q: 'queued' },
      { $set: { q: 'locked' } },
      { sort: { p: -1, at: 1 } },
    );
    expect(before).toMatchObject({ q: 'queued', p: 5, at: 2 });
    const none = await coll.findOneAndUpdate({ q: 'nothing' }, { $set: { x: 1 } });
    expect(none).toBeNull();
    const up = await coll.findOneAndUpdate(
      { q: 'new' },
      { $set: { x: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(up).toMatchObject({ q: 'new', x: 1 });
    const del = await coll.findOneAndDelete({ q: 'done' });
    expect(del).toMatchObject({ p: 9 });
    const withMeta = await coll.findOneAndUpdate(
      { q: 'locked', at: 1 },
      { $inc: { p: 1 } },
      { includeResultMetadata: true },
    );
    expect(withMeta.lastErrorObject).toMatchObject({ n: 1, updatedExisting: true });
  });

  it('updates many with update operators, array filters and pipelines', async () => {
    await coll.insertMany([
      { g: 1, xs: [1, 5, 9], n: 1 },
      { g: 1, xs: [2], n: 2 },
      { g: 2, xs: [], n: 3 },
    ]);
    const many = await coll.updateMany({ g: 1 }, { $push: { xs: 10 } as never, $mul: { n: 10 } });
    expect(many).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    await coll.updateOne({ n: 10 }, { $set: { 'xs.$[big]': 0 } }, { arrayFilters: [{ big: { $gte: 5 } }] });
    expect((await coll.findOne({ n: 10 }))?.xs).toEqual([1, 0, 0, 0]);
    await coll.updateMany({}, [{ $set: { total: { $add: ['$n', 1] } } }]);
    expect(
      (
        await coll
          .find({}, { projection: { _id: 0, total: 1 } })
          .sort({ total: 1 })
          .toArray()
      ).map((d) => d.total),
    ).toEqual([4, 11, 21]);
    const unset = await coll.updateMany({ g: 2 }, { $unset: { xs: '' }, $currentDate: { at: true } });
    expect(unset.modifiedCount).toBe(1);
    expect((await coll.findOne({ g: 2 }))?.at).toBeInstanceOf(Date);
  });

  it('projects findOneAndUpdate results and honours hints, skip and limit in counts', async () => {
    await coll.createIndex({ k: 1 });
    await coll.insertMany(Array.from({ length: 10 }, (_, i) => ({ k: i, secret: 's', keep: i * 2 })));
    const got = await coll.findOneAndUpdate(
      { k: 3 },
      { $set: { seen: true } },
      { projection: { _id: 0, keep: 1, seen: 1 }, returnDocument: 'after' },
    );
    expect(got).toEqual({ keep: 6, seen: true });
    expect(await coll.countDocuments({ k: { $gte: 2 } }, { skip: 3, limit: 4 })).toBe(4);
    expect(
      (
        await coll
          .find({ k: { $lt: 5 } })
          .hint({ k: 1 })
          .sort({ k: -1 })
          .limit(2)
          .toArray()
      ).map((d) => d.k),
    ).toEqual([4, 3]);
    expect((await coll.find({}).hint({ $natural: -1 }).limit(1).toArray()).map((d) => d.k)).toEqual([9]);
    await expect(coll.find({}).hint('no_such_index').toArray()).rejects.toMatchObject({ code: 2 });
    const upserted = await coll.findOneAndUpdate(
      { k: 100 },
      { $setOnInsert: { _id: 'chosen' } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(upserted).toEqual({ _id: 'chosen', k: 100 });
  });

  it('keeps a bounded history with $push $each/$slice/$sort, on new and existing arrays', async () => {
    const { insertedId } = await coll.insertOne({ n: 1 });
    await coll.updateOne(
      { _id: insertedId },
      { $push: { history: { $each: [{ a: 3 }, { a: 1 }, { a: 2 }], $sort: { a: 1 }, $slice: -2 } } as never },
    );
    expect((await coll.findOne({ _id: insertedId }))?.history).toEqual([{ a: 2 }, { a: 3 }]);
    await coll.updateOne(
      { _id: insertedId },
      { $push: { history: { $each: [{ a: 9 }], $slice: -2 } } as never },
    );
    expect((await coll.findOne({ _id: insertedId }))?.history).toEqual([{ a: 3 }, { a: 9 }]);
    await coll.updateOne(
      { _id: insertedId },
      { $push: { history: { $each: [{ a: 0 }], $position: 0 } } as never },
    );
    expect((await coll.findOne({ _id: insertedId }))?.history).toEqual([{ a: 0 }, { a: 3 }, { a: 9 }]);
  });

  it('deletes many and reports the count', async () => {
    await coll.insertMany(Array.from({ length: 20 }, (_, i) => ({ i })));
    expect((await coll.deleteMany({ i: { $lt: 15 } })).deletedCount).toBe(15);
    expect(await coll.countDocuments()).toBe(5);
  });

  it('runs bulkWrite ordered and unordered with every operation kind', async () => {
    const res = await coll.bulkWrite([
      { insertOne: { document: { _id: 1, v: 1 } } },
      { insertOne: { document: { _id: 2, v: 2 } } },
      { updateOne: { filter: { _id: 1 }, update: { $set: { v: 10 } } } },
      { updateMany: { filter: {}, update: { $inc: { w: 1 } } } },
      { replaceOne: { filter: { _id: 2 }, replacement: { v: 20 } } },
      { updateOne: { filter: { _id: 3 }, update: { $set: { v: 3 } }, upsert: true } },
      { deleteOne: { filter: { _id: 2 } } },
    ]);
    expect(res).toMatchObject({
      insertedCount: 2,
      matchedCount: 4,
      modifiedCount: 4,
      upsertedCount: 1,
      deletedCount: 1,
    });
    const unordered = await coll.bulkWrite(
      [{ insertOne: { document: { _id: 10 } } }, { deleteMany: { filter: { v: { $gte: 3 } } } }],
      { ordered: false },
    );
    expect(unordered).toMatchObject({ insertedCount: 1, deletedCount: 2 });
    expect(await coll.find({}).sort({ _id: 1 }).toArray()).toEqual([{ _id: 10 }]);
  });

  it('aggregates with $match, $group, $sort, $project and gives no document for $count on no input', async () => {
    await coll.insertMany([
      { dest: 'a', n: 1 },
      { dest: 'a', n: 2 },
      { dest: 'b', n: 5 },
    ]);
    const grouped = await coll
      .aggregate([
        { $match: { n: { $gt: 0 } } },
        { $group: { _id: '$dest', total: { $sum: '$n' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(grouped).toEqual([
      { _id: 'a', total: 3 },
      { _id: 'b', total: 5 },
    ]);
    expect(await coll.aggregate([{ $match: { dest: 'a' } }, { $count: 'n' }]).toArray()).toEqual([{ n: 2 }]);
    // MongoDB emits nothing for $count over an empty input (mingo alone would emit {n: 0}).
    expect(await coll.aggregate([{ $match: { dest: 'zzz' } }, { $count: 'n' }]).toArray()).toEqual([]);
    expect(await coll.countDocuments({ dest: 'zzz' })).toBe(0);
    expect((await coll.distinct('dest')).sort()).toEqual(['a', 'b']);
  });

  it('joins with $lookup and splits with $facet', async () => {
    const accounts = db.collection<Doc>(`${coll.collectionName}_acc`);
    await accounts.insertMany([
      { _id: 'acme', name: 'Acme' },
      { _id: 'zeta', name: 'Zeta' },
    ]);
    await coll.insertMany([
      { account: 'acme', n: 1 },
      { account: 'acme', n: 2 },
      { account: 'zeta', n: 3 },
    ]);
    const joined = await coll
      .aggregate([
        { $lookup: { from: accounts.collectionName, localField: 'account', foreignField: '_id', as: 'acc' } },
        { $unwind: '$acc' },
        { $group: { _id: '$acc.name', total: { $sum: '$n' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(joined).toEqual([
      { _id: 'Acme', total: 3 },
      { _id: 'Zeta', total: 3 },
    ]);
    const [facets] = await coll
      .aggregate([
        {
          $facet: {
            small: [{ $match: { n: { $lt: 2 } } }, { $count: 'c' }],
            none: [{ $match: { n: { $gt: 99 } } }, { $count: 'c' }],
            all: [{ $count: 'c' }],
          },
        },
      ])
      .toArray();
    // $count over nothing yields no document, inside $facet too.
    expect(facets).toEqual({ small: [{ c: 1 }], none: [], all: [{ c: 3 }] });
  });

  it('matches and sorts dates, ObjectIds, nested fields and arrays as MongoDB does', async () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    await coll.insertMany([
      { at: new Date(t0.getTime() + 2000), tags: ['x', 'y'], nested: { k: 2 } },
      { at: new Date(t0.getTime() + 1000), tags: ['y'], nested: { k: 1 } },
      { at: t0, tags: [], nested: { k: 3 } },
    ]);
    expect(await coll.countDocuments({ at: { $lte: new Date(t0.getTime() + 1000) } })).toBe(2);
    expect(await coll.countDocuments({ tags: 'y' })).toBe(2);
    expect(await coll.countDocuments({ tags: { $size: 0 } })).toBe(1);
    const byNested = await coll
      .find({}, { sort: { 'nested.k': -1 }, projection: { _id: 0, 'nested.k': 1 } })
      .toArray();
    expect(byNested.map((d) => d.nested.k)).toEqual([3, 2, 1]);
    const ids = (await coll.find({}).sort({ _id: 1 }).toArray()).map((d) => String(d._id));
    expect([...ids].sort()).toEqual(ids);
  });

  it('compares 64-bit integers numerically beyond 2^53 and embedded documents by field order', async () => {
    const big = Long.fromString('9007199254740993');
    await coll.insertMany([
      { _id: 1, v: Long.fromString('9007199254740995'), sub: { a: 1, b: 2 } },
      { _id: 2, v: big, sub: { b: 2, a: 1 } },
      { _id: 3, v: 10, sub: { a: 1 } },
    ]);
    expect((await coll.find({ v: { $gt: big } }).toArray()).map((d) => d._id)).toEqual([1]);
    expect((await coll.find({}).sort({ v: -1 }).toArray()).map((d) => d._id)).toEqual([1, 2, 3]);
    expect((await coll.find({ sub: { a: 1, b: 2 } }).toArray()).map((d) => d._id)).toEqual([1]);
  });

  it('keeps a cursor snapshot consistent while documents change between batches', async () => {
    await coll.insertMany(Array.from({ length: 150 }, (_, i) => ({ i })));
    const cursor = coll.find({}).sort({ i: 1 }).batchSize(50);
    const seen: number[] = [];
    for await (const d of cursor) {
      seen.push(d.i);
      if (seen.length === 1) await coll.deleteMany({ i: { $gte: 140 } });
    }
    // A real server may or may not return the deleted tail; what must hold is order and no repeats.
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});
