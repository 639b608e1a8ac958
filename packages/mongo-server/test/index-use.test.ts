import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import type { Db, Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc } from './doc-type.ts';

// The SMSC's hot queries must be served by indexes, never by scanning the collection. Pinned through
// explain's executionStats, which both MongoDB and this server report.
describe('index use of the SMSC queries', () => {
  let mongo: TestMongo;
  let db: Db;
  const n = 5_000;
  const t0 = Date.UTC(2026, 0, 1);
  const now = new Date(t0 + (n / 2) * 1000);
  beforeAll(async () => {
    mongo = await useTestMongo();
    db = await mongo.db();
    const sms = db.collection<Doc>('sms');
    await sms.createIndex({ state: 1, priority: -1, nextAttemptAt: 1 }, { name: 'claim' });
    await sms.createIndex({ destMsisdn: 1, state: 1, priority: -1, arrivedAt: 1 }, { name: 'dest' });
    await sms.insertMany(
      Array.from({ length: n }, (_, i) => ({
        destMsisdn: `+44${i % 250}`,
        state: i % 5 === 0 ? 'delivered' : 'queued',
        priority: i % 3,
        arrivedAt: new Date(t0 + i * 1000),
        nextAttemptAt: new Date(t0 + ((i * 7919) % n) * 1000),
      })),
    );
  });
  afterAll(() => mongo.close());

  async function stats(
    cmd: Document,
  ): Promise<{ totalDocsExamined: number; totalKeysExamined: number; nReturned: number }> {
    const res = await db.command({ explain: cmd, verbosity: 'executionStats' });
    return res.executionStats;
  }

  const claimFilter = () => ({
    state: 'queued',
    nextAttemptAt: { $lte: now },
    destMsisdn: { $nin: ['+440', '+441'] },
  });

  it('claims the next due message without scanning', async () => {
    const s = await stats({
      find: 'sms',
      filter: claimFilter(),
      sort: { priority: -1, nextAttemptAt: 1 },
      limit: 1,
    });
    expect(s.nReturned).toBe(1);
    expect(s.totalDocsExamined).toBeLessThan(50);
    expect(s.totalKeysExamined).toBeLessThan(100);
    const fam = await stats({
      findAndModify: 'sms',
      query: claimFilter(),
      sort: { priority: -1, nextAttemptAt: 1 },
      update: { $set: { state: 'locked' } },
    });
    expect(fam.totalDocsExamined).toBeLessThan(50);
    // explain does not perform the write.
    expect(await db.collection('sms').countDocuments({ state: 'locked' })).toBe(0);
  });

  it("reads a destination's next three messages from the index alone", async () => {
    const s = await stats({
      find: 'sms',
      filter: { destMsisdn: '+44123', state: 'queued' },
      sort: { priority: -1, arrivedAt: 1 },
      limit: 3,
    });
    expect(s.nReturned).toBe(3);
    expect(s.totalDocsExamined).toBe(3);
  });

  it('scans the whole collection when no index fits', async () => {
    const s = await stats({ find: 'sms', filter: { priority: 7 } });
    expect(s.nReturned).toBe(0);
    expect(s.totalDocsExamined).toBe(n);
  });

  it('names the chosen index in the plan', async (ctx) => {
    // Plan shapes differ between MongoDB's engines; the stage tree is pinned for this server only.
    if (mongo.kind !== 'memory') ctx.skip();
    const res = await db
      .collection('sms')
      .find(claimFilter())
      .sort({ priority: -1, nextAttemptAt: 1 })
      .limit(1)
      .explain('queryPlanner');
    expect(res.queryPlanner.winningPlan).toMatchObject({
      stage: 'LIMIT',
      inputStage: { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName: 'claim' } },
    });
  });
});
