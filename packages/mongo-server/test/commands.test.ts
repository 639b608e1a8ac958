import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { type Db, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc } from './doc-type.ts';

describe('server and namespace commands', () => {
  let mongo: TestMongo;
  let db: Db;
  beforeAll(async () => {
    mongo = await useTestMongo();
    db = await mongo.db();
  });
  afterAll(() => mongo.close());

  it('fails an unknown command with CommandNotFound naming it', async () => {
    const err = await db.command({ frobnicate: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect(err).toMatchObject({ code: 59, codeName: 'CommandNotFound' });
    expect((err as Error).message).toContain('frobnicate');
  });

  it('answers ping, hello, buildInfo and serverStatus', async () => {
    expect((await db.command({ ping: 1 })).ok).toBe(1);
    const hello = await db.admin().command({ hello: 1 });
    expect(hello).toMatchObject({ isWritablePrimary: true, ok: 1 });
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
    expect((await db.admin().command({ buildInfo: 1 })).version).toMatch(/^\d+\.\d+/);
    expect((await db.admin().command({ serverStatus: 1 })).ok).toBe(1);
  });

  it('creates, lists, drops collections and databases with MongoDB codes', async () => {
    await db.createCollection('made');
    await expect(db.createCollection('made')).rejects.toMatchObject({
      code: 48,
      codeName: 'NamespaceExists',
    });
    await db.collection('implicit').insertOne({ a: 1 });
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    expect(names).toEqual(['implicit', 'made']);
    expect(await db.listCollections({ name: 'made' }).toArray()).toHaveLength(1);
    expect(await db.collection('made').drop()).toBe(true);
    // This server answers NamespaceNotFound (26), which the driver turns into `false`; MongoDB 7.0+
    // may answer ok (true) for a missing namespace instead, so only the in-memory answer is pinned.
    const dropped = await db.dropCollection('never-existed');
    if (mongo.kind === 'memory') expect(dropped).toBe(false);
    const dbs = await db.admin().listDatabases();
    expect(dbs.databases.map((d) => d.name)).toContain(db.databaseName);
    const other = (await mongo.client()).db(`${mongo.dbName}_x`);
    await other.collection('c').insertOne({});
    expect(await other.dropDatabase()).toBe(true);
    const after = await db.admin().listDatabases({ nameOnly: true });
    expect(after.databases.map((d) => d.name)).not.toContain(`${mongo.dbName}_x`);
  });

  it('answers count and distinct, and finds nothing in a missing collection', async () => {
    const coll = db.collection<Doc>('cd');
    await coll.insertMany([{ k: 'a', t: [1, 2] }, { k: 'b', t: [2, 3] }, { k: 'a' }]);
    expect(await coll.countDocuments({ k: 'a' })).toBe(2);
    expect((await coll.distinct('t')).sort()).toEqual([1, 2, 3]);
    expect(await coll.distinct('k', { t: 3 })).toEqual(['b']);
    expect(await db.collection('nope').find({}).toArray()).toEqual([]);
    expect(await db.collection('nope').countDocuments()).toBe(0);
  });

  it('fails $inc on a non-number (14) and $push on a non-array (2) as MongoDB does', async () => {
    const coll = db.collection<Doc>('types');
    await coll.insertOne({ _id: 1, s: 'text' });
    await expect(coll.updateOne({ _id: 1 }, { $inc: { s: 1 } })).rejects.toMatchObject({ code: 14 });
    await expect(coll.updateOne({ _id: 1 }, { $push: { s: 1 } as never })).rejects.toMatchObject({ code: 2 });
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, s: 'text' });
  });

  it('refuses to create a field inside a non-document (28) and conflicting paths (40)', async () => {
    const coll = db.collection<Doc>('paths');
    await coll.insertOne({ _id: 1, lock: null, n: 1 });
    const err = await coll.updateOne({ _id: 1 }, { $set: { 'lock.owner': 'w' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 28 });
    expect((err as Error).message).toContain("Cannot create field 'owner' in element {lock: null}");
    await expect(coll.updateOne({ _id: 1 }, { $set: { n: 2 }, $inc: { n: 1 } })).rejects.toMatchObject({
      code: 40,
    });
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, lock: null, n: 1 });
  });

  it('refuses collation, views and validators on the in-memory server instead of ignoring them', async (ctx) => {
    // A real server supports all three.
    if (mongo.kind !== 'memory') ctx.skip();
    await expect(
      db
        .collection('c')
        .find({}, { collation: { locale: 'fr' } })
        .toArray(),
    ).rejects.toMatchObject({ code: 115 });
    await expect(db.createCollection('v', { viewOn: 'c', pipeline: [] })).rejects.toMatchObject({
      code: 115,
    });
    await expect(db.createCollection('val', { validator: { a: { $exists: true } } })).rejects.toMatchObject({
      code: 115,
    });
  });

  it('refuses transactions explicitly on the in-memory server', async (ctx) => {
    // A real replica set runs transactions; only the in-memory server refuses them.
    if (mongo.kind !== 'memory') ctx.skip();
    const client = await mongo.client();
    const session = client.startSession();
    try {
      session.startTransaction();
      const err = await db
        .collection('tx')
        .insertOne({ a: 1 }, { session })
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 263, codeName: 'OperationNotSupportedInTransaction' });
      expect((err as Error).message).toMatch(/Transactions are not supported/);
    } finally {
      await session.abortTransaction().catch(() => {});
      await session.endSession();
    }
  });

  it('accepts w:0 writes, which get no reply', async () => {
    const coll = db.collection<Doc>('w0');
    await coll.insertOne({ _id: 'unacked' }, { writeConcern: { w: 0 } });
    // The next command on the pool is answered only after the fire-and-forget insert was applied.
    const started = Date.now();
    while (Date.now() - started < 2_000 && !(await coll.findOne({ _id: 'unacked' }))) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await coll.findOne({ _id: 'unacked' })).toEqual({ _id: 'unacked' });
  });
});
