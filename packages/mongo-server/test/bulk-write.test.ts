import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import {
  type AnyClientBulkWriteModel,
  type ClientBulkWriteOptions,
  type Db,
  type Document,
  type MongoClient,
  MongoClientBulkWriteError,
} from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The driver's MongoClient.bulkWrite (the 8.0 `bulkWrite` admin command). Runs unchanged against a
// real MongoDB 8 (MONGODB_URI).
describe('client bulkWrite across namespaces', () => {
  let mongo: TestMongo;
  let db: Db;
  let client: MongoClient;
  beforeAll(async () => {
    mongo = await useTestMongo();
    db = await mongo.db();
    client = await mongo.client();
  });
  afterAll(() => mongo.close());

  const ns = (c: string) => `${db.databaseName}.${c}` as const;
  // Models with plain ids; the driver's typing assumes ObjectId.
  const bulk = (models: object[], options?: ClientBulkWriteOptions) =>
    client.bulkWrite(models as AnyClientBulkWriteModel<Document>[], options);

  it('applies inserts, updates, upserts and deletes on two collections in order, with counts', async () => {
    await db.collection('bw_a').insertMany([
      { _id: 1, n: 1 },
      { _id: 2, n: 2 },
    ] as never[]);
    await db.collection('bw_b').insertOne({ _id: 'x', held: true } as never);
    const r = await bulk(
      [
        { namespace: ns('bw_a'), name: 'updateOne', filter: { _id: 1 }, update: { $inc: { n: 10 } } },
        { namespace: ns('bw_a'), name: 'updateOne', filter: { _id: 99, n: 0 }, update: { $set: { m: 1 } } },
        { namespace: ns('bw_b'), name: 'deleteMany', filter: { $or: [{ _id: 'x' }, { _id: 'y' }] } },
        { namespace: ns('bw_b'), name: 'insertOne', document: { _id: 'ev', after: 'delete' } },
        {
          namespace: ns('bw_a'),
          name: 'updateOne',
          filter: { _id: 3, n: { $lte: 0 } },
          update: { $set: { n: 3 } },
          upsert: true,
        },
      ],
      { verboseResults: true },
    );
    expect(r).toMatchObject({
      insertedCount: 1,
      matchedCount: 1,
      modifiedCount: 1,
      upsertedCount: 1,
      deletedCount: 1,
    });
    expect(r.updateResults?.get(1)).toMatchObject({ matchedCount: 0, modifiedCount: 0 });
    expect(r.updateResults?.get(4)).toMatchObject({ upsertedId: 3 });
    expect(await db.collection('bw_a').find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, n: 11 },
      { _id: 2, n: 2 },
      { _id: 3, n: 3 },
    ]);
    expect(await db.collection('bw_b').find().toArray()).toEqual([{ _id: 'ev', after: 'delete' }]);
  });

  it('stops an ordered bulk at a duplicate key and reports its index; an unordered one goes on', async () => {
    await db.collection('bw_c').insertOne({ _id: 'k' } as never);
    const ordered = bulk([
      { namespace: ns('bw_c'), name: 'insertOne', document: { _id: 'k' } },
      { namespace: ns('bw_c'), name: 'insertOne', document: { _id: 'after' } },
    ]);
    const err = await ordered.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoClientBulkWriteError);
    expect((err as MongoClientBulkWriteError).writeErrors.get(0)).toMatchObject({ code: 11000 });
    expect(await db.collection('bw_c').countDocuments({ _id: 'after' } as never)).toBe(0);

    const unordered = await bulk(
      [
        { namespace: ns('bw_c'), name: 'insertOne', document: { _id: 'k' } },
        { namespace: ns('bw_c'), name: 'insertOne', document: { _id: 'later' } },
      ],
      { ordered: false },
    ).catch((e: unknown) => e as MongoClientBulkWriteError);
    expect(unordered).toBeInstanceOf(MongoClientBulkWriteError);
    expect(await db.collection('bw_c').countDocuments({ _id: 'later' } as never)).toBe(1);
  });

  it('is refused outside the admin database', async () => {
    const reply = await db
      .command({ bulkWrite: 1, ops: [], nsInfo: [] })
      .catch((e: unknown) => e as { code: number });
    expect(reply).toMatchObject({ code: 13 });
  });
});
