import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { type ChangeStreamDocument, type Db, MongoClient, type ResumeToken } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMongoServer } from '../src/index.ts';
import type { Doc } from './doc-type.ts';

// Change streams need a replica set; against a standalone MONGODB_URI these tests are skipped.
describe('change streams', () => {
  let mongo: TestMongo;
  let client: MongoClient;
  let db: Db;
  let replicaSet = false;
  beforeAll(async () => {
    mongo = await useTestMongo();
    client = await mongo.client();
    db = client.db(mongo.dbName);
    replicaSet = typeof (await db.admin().command({ hello: 1 })).setName === 'string';
  });
  afterAll(() => mongo.close());

  async function next(stream: {
    next(): Promise<ChangeStreamDocument<Doc>>;
  }): Promise<ChangeStreamDocument<Doc>> {
    return stream.next();
  }

  it('reports inserts, updates, replaces and deletes in commit order', async (ctx) => {
    if (!replicaSet) ctx.skip(); // change streams need a replica set (MONGODB_URI may be a standalone)
    const coll = db.collection<Doc>('cs1');
    await coll.insertOne({ _id: 0 });
    const stream = coll.watch([], { fullDocument: 'updateLookup', maxAwaitTimeMS: 200 });
    try {
      // Open the server-side cursor before writing, as real servers start at "now".
      await stream.tryNext();
      await coll.insertOne({ _id: 1, state: 'queued' });
      await coll.updateOne({ _id: 1 }, { $set: { state: 'locked' } });
      await coll.replaceOne({ _id: 1 }, { state: 'replaced' });
      await coll.deleteOne({ _id: 1 });
      const ins = await next(stream);
      expect(ins).toMatchObject({
        operationType: 'insert',
        fullDocument: { _id: 1, state: 'queued' },
        documentKey: { _id: 1 },
      });
      expect(ins).toMatchObject({ ns: { db: mongo.dbName, coll: 'cs1' } });
      const upd = await next(stream);
      expect(upd).toMatchObject({
        operationType: 'update',
        documentKey: { _id: 1 },
        updateDescription: { updatedFields: { state: 'locked' }, removedFields: [] },
      });
      // updateLookup reads the document when the event is read: it has been replaced and deleted by now.
      expect(upd).toHaveProperty('fullDocument');
      const rep = await next(stream);
      expect(rep).toMatchObject({ operationType: 'replace', fullDocument: { _id: 1, state: 'replaced' } });
      const del = await next(stream);
      expect(del).toMatchObject({ operationType: 'delete', documentKey: { _id: 1 } });
      expect(del._id).toBeTruthy();
    } finally {
      await stream.close();
    }
  });

  it('filters events with a $match stage and resumes after a token', async (ctx) => {
    if (!replicaSet) ctx.skip(); // change streams need a replica set (MONGODB_URI may be a standalone)
    const coll = db.collection<Doc>('cs2');
    await coll.insertOne({ _id: 'seed' });
    const stream = coll.watch([{ $match: { operationType: 'insert' } }], { maxAwaitTimeMS: 200 });
    let token: ResumeToken;
    try {
      await stream.tryNext();
      await coll.insertOne({ _id: 'a' });
      await coll.updateOne({ _id: 'a' }, { $set: { x: 1 } });
      await coll.insertOne({ _id: 'b' });
      await coll.insertOne({ _id: 'c' });
      const first = await next(stream);
      expect(first).toMatchObject({ operationType: 'insert', documentKey: { _id: 'a' } });
      token = first._id;
      expect(await next(stream)).toMatchObject({ documentKey: { _id: 'b' } });
    } finally {
      await stream.close();
    }
    const resumed = coll.watch([{ $match: { operationType: 'insert' } }], {
      resumeAfter: token,
      maxAwaitTimeMS: 200,
    });
    try {
      expect(await next(resumed)).toMatchObject({ documentKey: { _id: 'b' } });
      expect(await next(resumed)).toMatchObject({ documentKey: { _id: 'c' } });
    } finally {
      await resumed.close();
    }
  });

  it('ends a collection stream with drop and invalidate when the collection is dropped', async (ctx) => {
    if (!replicaSet) ctx.skip(); // change streams need a replica set (MONGODB_URI may be a standalone)
    const coll = db.collection<Doc>('cs3');
    await coll.insertOne({ _id: 1 });
    const stream = coll.watch([], { maxAwaitTimeMS: 200 });
    try {
      await stream.tryNext();
      await coll.drop();
      expect(await next(stream)).toMatchObject({
        operationType: 'drop',
        ns: { db: mongo.dbName, coll: 'cs3' },
      });
      expect(await next(stream)).toMatchObject({ operationType: 'invalidate' });
    } finally {
      await stream.close();
    }
  });

  it('watches a whole database', async (ctx) => {
    if (!replicaSet) ctx.skip(); // change streams need a replica set (MONGODB_URI may be a standalone)
    const stream = db.watch([], { maxAwaitTimeMS: 200 });
    try {
      await stream.tryNext();
      await db.collection<Doc>('cs4a').insertOne({ _id: 1 });
      await db.collection<Doc>('cs4b').insertOne({ _id: 2 });
      const a = await next(stream);
      const b = await next(stream);
      expect([a, b].map((e) => (e as { ns: { coll: string } }).ns.coll)).toEqual(['cs4a', 'cs4b']);
    } finally {
      await stream.close();
    }
  });

  it('refuses a change stream on a standalone with 40573', async () => {
    // Server-specific setup (a standalone in-memory server), MongoDB's documented answer.
    const standalone = await startMongoServer({ replicaSet: false });
    const sc = new MongoClient(standalone.uri);
    try {
      await expect(
        sc
          .db('x')
          .collection('y')
          .aggregate([{ $changeStream: {} }])
          .toArray(),
      ).rejects.toMatchObject({ code: 40573 });
    } finally {
      await sc.close();
      await standalone.close();
    }
  });
});
