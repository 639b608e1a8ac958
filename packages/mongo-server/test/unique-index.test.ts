import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { type Db, MongoBulkWriteError, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc } from './doc-type.ts';

function fresh(db: Db) {
  return db.collection<Doc>(`u${Math.random().toString(36).slice(2, 8)}`);
}

describe('unique indexes and write errors', () => {
  let mongo: TestMongo;
  let db: Db;
  beforeAll(async () => {
    mongo = await useTestMongo();
    db = await mongo.db();
  });
  afterAll(() => mongo.close());

  it('rejects a duplicate with the E11000 message, keyPattern and keyValue', async () => {
    const coll = fresh(db);
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertOne({ email: 'a@x' });
    const err = await coll.insertOne({ email: 'a@x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err).toMatchObject({ code: 11000, keyPattern: { email: 1 }, keyValue: { email: 'a@x' } });
    expect((err as Error).message).toBe(
      `E11000 duplicate key error collection: ${db.databaseName}.${coll.collectionName} index: email_1 dup key: { email: "a@x" }`,
    );
  });

  it('rejects a duplicate _id on the _id_ index', async () => {
    const coll = fresh(db);
    await coll.insertOne({ _id: 7 });
    await expect(coll.insertOne({ _id: 7 })).rejects.toMatchObject({
      code: 11000,
      keyPattern: { _id: 1 },
      keyValue: { _id: 7 },
    });
  });

  it('enforces compound unique keys on the whole tuple', async () => {
    const coll = fresh(db);
    await coll.createIndex({ a: 1, b: -1 }, { unique: true, name: 'ab' });
    await coll.insertMany([
      { a: 1, b: 1 },
      { a: 1, b: 2 },
    ]);
    const err = await coll.insertOne({ a: 1, b: 2 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 11000, keyPattern: { a: 1, b: -1 }, keyValue: { a: 1, b: 2 } });
    expect((err as Error).message).toContain('index: ab dup key: { a: 1, b: 2 }');
  });

  it('treats a missing field as null unless the index is sparse', async () => {
    const plain = fresh(db);
    await plain.createIndex({ k: 1 }, { unique: true });
    await plain.insertOne({ other: 1 });
    const err = await plain.insertOne({ other: 2 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 11000, keyValue: { k: null } });
    expect((err as Error).message).toContain('dup key: { k: null }');
    const sparse = fresh(db);
    await sparse.createIndex({ k: 1 }, { unique: true, sparse: true });
    await sparse.insertMany([{ other: 1 }, { other: 2 }, { k: 'x' }]);
    await expect(sparse.insertOne({ k: 'x' })).rejects.toMatchObject({ code: 11000 });
  });

  it('enforces a partial unique index only on documents matching its filter', async () => {
    const coll = fresh(db);
    await coll.createIndex({ dest: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await coll.insertMany([
      { dest: 'd', active: false },
      { dest: 'd', active: false },
      { dest: 'd', active: true },
    ]);
    await expect(coll.insertOne({ dest: 'd', active: true })).rejects.toMatchObject({ code: 11000 });
    // An update that brings a document into the filter is checked too.
    await expect(coll.updateOne({ active: false }, { $set: { active: true } })).rejects.toMatchObject({
      code: 11000,
    });
    expect(await coll.countDocuments({ active: true })).toBe(1);
  });

  it('reports a duplicate from findOneAndUpdate as a command error with keyValue', async () => {
    const coll = fresh(db);
    await coll.createIndex({ owner: 1 }, { unique: true });
    await coll.insertMany([{ owner: 'w1' }, { owner: 'w2' }]);
    const err = await coll
      .findOneAndUpdate({ owner: 'w2' }, { $set: { owner: 'w1' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err).toMatchObject({ code: 11000, codeName: 'DuplicateKey', keyValue: { owner: 'w1' } });
    expect(await coll.countDocuments({ owner: 'w2' })).toBe(1);
  });

  it('lets racing upserts on a unique equality key all succeed into one document', async () => {
    const coll = fresh(db);
    await coll.createIndex({ key: 1 }, { unique: true });
    const client = await mongo.client();
    const c = client.db(db.databaseName).collection<Doc>(coll.collectionName);
    const results = await Promise.allSettled(
      Array.from({ length: 16 }, () => c.updateOne({ key: 'k' }, { $inc: { n: 1 } }, { upsert: true })),
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(await coll.find({ key: 'k' }, { projection: { _id: 0 } }).toArray()).toEqual([
      { key: 'k', n: 16 },
    ]);
  });

  it('fails an upsert whose query is not a plain equality on the clashing key (held lock)', async () => {
    const coll = fresh(db);
    const now = new Date();
    await coll.insertOne({ _id: '+4711', owner: 'a', until: new Date(now.getTime() + 60_000) });
    // The lease has not run out, so the query matches nothing and the upsert inserts the same _id.
    const err = await coll
      .updateOne(
        { _id: '+4711', until: { $lt: now } },
        { $set: { owner: 'b', until: new Date(now.getTime() + 60_000) } },
        { upsert: true },
      )
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 11000, keyValue: { _id: '+4711' } });
    expect((err as Error).message).toContain('index: _id_ dup key: { _id: "+4711" }');
    expect(await coll.findOne({ _id: '+4711' })).toMatchObject({ owner: 'a' });
  });

  it('stops an ordered insertMany at the first error and reports its index', async () => {
    const coll = fresh(db);
    await coll.insertOne({ _id: 2 });
    const err = await coll.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const bulk = err as MongoBulkWriteError;
    expect(bulk.insertedCount).toBe(1);
    const errors = [bulk.writeErrors].flat();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ index: 1, code: 11000 });
    expect((await coll.find({}).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([1, 2]);
  });

  it('goes on after errors in an unordered bulk write and reports each one', async () => {
    const coll = fresh(db);
    await coll.insertOne({ _id: 2 });
    const err = await coll
      .bulkWrite(
        [
          { insertOne: { document: { _id: 1 } } },
          { insertOne: { document: { _id: 2 } } },
          { insertOne: { document: { _id: 3 } } },
          { insertOne: { document: { _id: 1 } } },
          { insertOne: { document: { _id: 4 } } },
        ],
        { ordered: false },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoBulkWriteError);
    const bulk = err as MongoBulkWriteError;
    expect(bulk.insertedCount).toBe(3);
    expect([bulk.writeErrors].flat().map((e) => e.index)).toEqual([1, 3]);
    expect((await coll.find({}).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([1, 2, 3, 4]);
  });

  it('refuses to build a unique index over existing duplicates', async () => {
    const coll = fresh(db);
    await coll.insertMany([{ k: 1 }, { k: 1 }]);
    await expect(coll.createIndex({ k: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    expect((await coll.indexes()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('lists, names, conflicts and drops indexes like MongoDB', async () => {
    const coll = fresh(db);
    await coll.createIndex({ state: 1, prio: -1, at: 1 }, { name: 'claim' });
    await coll.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
    expect(await coll.createIndex({ state: 1, prio: -1, at: 1 }, { name: 'claim' })).toBe('claim');
    const indexes = await coll.indexes();
    expect(indexes.map((i) => [i.name, i.key])).toEqual([
      ['_id_', { _id: 1 }],
      ['claim', { state: 1, prio: -1, at: 1 }],
      ['at_1', { at: 1 }],
    ]);
    expect(indexes[2]).toMatchObject({ expireAfterSeconds: 3600 });
    await expect(coll.createIndex({ other: 1 }, { name: 'claim' })).rejects.toMatchObject({ code: 86 });
    await expect(
      coll.createIndex({ at: 1 }, { name: 'other', expireAfterSeconds: 3600 }),
    ).rejects.toMatchObject({ code: 85 });
    await coll.dropIndex('claim');
    await expect(coll.dropIndex('claim')).rejects.toMatchObject({ code: 27 });
    await expect(coll.dropIndex('_id_')).rejects.toMatchObject({ code: 72 });
    expect((await coll.indexes()).map((i) => i.name)).toEqual(['_id_', 'at_1']);
    await coll.dropIndexes();
    expect((await coll.indexes()).map((i) => i.name)).toEqual(['_id_']);
  });
});
