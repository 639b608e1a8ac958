import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { dockerReachable, resolveMongo, useTestMongo } from '../src/index.ts';

describe('resolveMongo', () => {
  it('uses MONGODB_URI when it is set, without starting anything', async () => {
    const m = await resolveMongo({ env: { MONGODB_URI: 'mongodb://example.invalid:27017' } });
    expect(m).toMatchObject({ kind: 'env', uri: 'mongodb://example.invalid:27017' });
    await m.stop();
  });

  it('reports no Docker engine when DOCKER_HOST points at a missing socket', async () => {
    expect(await dockerReachable({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' })).toBe(false);
  });

  it('reports no Docker engine when a TCP DOCKER_HOST does not answer', async () => {
    expect(await dockerReachable({ DOCKER_HOST: 'tcp://127.0.0.1:1' }, 200)).toBe(false);
  });

  it('falls through to the in-memory server when neither a URI nor Docker is available', async () => {
    const m = await resolveMongo({ env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    try {
      expect(m.kind).toBe('memory');
      const client = new MongoClient(m.uri);
      try {
        expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
      } finally {
        await client.close();
      }
    } finally {
      await m.stop();
    }
  });
});

describe('useTestMongo', () => {
  it('gives each call its own database named after the test file', async () => {
    const a = await useTestMongo();
    const b = await useTestMongo();
    try {
      expect(a.dbName).not.toBe(b.dbName);
      expect(a.dbName).toMatch(/^resolve_[0-9a-f]{12}$/);
      const db = await a.db();
      await db.collection('x').insertOne({ k: 1 });
      expect(await (await b.db()).collection('x').countDocuments()).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
