import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc } from './doc-type.ts';

// The harness's in-memory server sweeps TTL indexes every 500 ms; MongoDB's monitor runs every 60 s,
// so against a real server this test waits up to ~75 s.
describe('TTL indexes', () => {
  let mongo: TestMongo;
  beforeAll(async () => {
    mongo = await useTestMongo();
  });
  afterAll(() => mongo.close());

  it('deletes documents whose indexed date has passed and keeps the rest', { timeout: 90_000 }, async () => {
    const db = await mongo.db();
    const coll = db.collection<Doc>('correlations');
    await coll.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    const now = Date.now();
    await coll.insertMany([
      { _id: 'past', expiresAt: new Date(now - 60_000) },
      { _id: 'past-in-array', expiresAt: [new Date(now + 3_600_000), new Date(now - 60_000)] },
      { _id: 'future', expiresAt: new Date(now + 3_600_000) },
      { _id: 'not-a-date', expiresAt: 'tomorrow' },
      { _id: 'missing' },
    ]);
    const limit = mongo.kind === 'memory' ? 10_000 : 80_000;
    const started = Date.now();
    while (Date.now() - started < limit && (await coll.countDocuments()) > 3) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const left = (await coll.find({}).toArray()).map((d) => d._id).sort();
    expect(left).toEqual(['future', 'missing', 'not-a-date']);
  });

  it('honours expireAfterSeconds relative to the indexed date', { timeout: 90_000 }, async () => {
    const db = await mongo.db();
    const coll = db.collection<Doc>('sessions');
    await coll.createIndex({ seenAt: 1 }, { expireAfterSeconds: 3600 });
    const now = Date.now();
    await coll.insertMany([
      { _id: 'two-hours-ago', seenAt: new Date(now - 7_200_000) },
      { _id: 'ten-minutes-ago', seenAt: new Date(now - 600_000) },
    ]);
    const limit = mongo.kind === 'memory' ? 10_000 : 80_000;
    const started = Date.now();
    while (Date.now() - started < limit && (await coll.countDocuments()) > 1) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await coll.find({}).toArray()).map((d) => d._id)).toEqual(['ten-minutes-ago']);
  });
});
