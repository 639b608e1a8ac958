import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MongoServerHandle, startMongoServer } from '../src/index.ts';

describe('in-memory server through the driver', () => {
  let server: MongoServerHandle;
  let client: MongoClient;
  beforeAll(async () => {
    server = await startMongoServer();
    client = new MongoClient(server.uri);
    await client.connect();
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('connects as a replica set primary and round-trips a document', async () => {
    const coll = client.db('smoke').collection('docs');
    const { insertedId } = await coll.insertOne({ a: 1 });
    expect(await coll.findOne({ _id: insertedId })).toEqual({ _id: insertedId, a: 1 });
    expect(server.uri).toContain('replicaSet=rs0');
  });

  it('connects to a standalone with default driver options', async () => {
    const standalone = await startMongoServer({ replicaSet: false });
    const c = new MongoClient(standalone.uri);
    try {
      const res = await c.db('admin').command({ ping: 1 });
      expect(res.ok).toBe(1);
    } finally {
      await c.close();
      await standalone.close();
    }
  });
});
