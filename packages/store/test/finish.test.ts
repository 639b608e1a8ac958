import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import type { Db } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RECEIPT_ID_SUFFIX, SmsState, type Store } from '../src/index.ts';
import { fakeClock, message, migratedStore } from './helpers.ts';

const LEASE = 30_000;

// The same outcomes through both recording paths: the multi-collection bulkWrite (two commands per
// flush) and one command per collection (servers before MongoDB 8.0).
describe.each([
  ['multi-collection bulkWrite', undefined],
  ['one command per collection', false],
] as const)('finish through %s', (_name, multiCollectionWrites) => {
  let mongo: TestMongo;
  let store: Store;
  const dbs: Db[] = [];
  beforeAll(async () => {
    mongo = await useTestMongo();
  });
  beforeEach(async () => {
    const db = (await mongo.client()).db(`${mongo.dbName}_${Math.random().toString(36).slice(2, 8)}`);
    dbs.push(db);
    store = await migratedStore(db, { now: fakeClock().now, multiCollectionWrites });
  });
  afterAll(async () => {
    for (const db of dbs) await db.dropDatabase();
    await mongo.close();
  });

  async function claimBatch(dest: string, owner: string) {
    const c = await store.claimOne({ owner, token: store.newToken(), leaseMs: LEASE, targets: ['smpp:up'] });
    expect(await store.claimDestination(dest, { owner, token: c!.token, leaseMs: LEASE })).toBe(true);
    const { batch } = await store.claimMore(c!.message, { owner, token: c!.token, leaseMs: LEASE });
    return { token: c!.token, batch };
  }

  const eventsOf = async (smsId: string) =>
    (await store.collections.events.find({ smsId }).toArray()).map((e) => e.type);

  it('records applied outcomes with their events and receipts, skips fenced ones, and frees the locks', async () => {
    const a = await store.queue(message('2001', { receipt: 'final' }));
    const b = await store.queue(message('2001'));
    const x = await store.queue(message('2002'));
    const one = await claimBatch('2001', 'w');
    const two = await claimBatch('2002', 'w');
    const { applied } = await store.finish(
      [
        { message: one.batch[0]!, token: one.token, owner: 'w', outcome: { type: 'delivered' } },
        { message: one.batch[1]!, token: 'not-ours', owner: 'w', outcome: { type: 'failed', error: 'x' } },
        { message: two.batch[0]!, token: two.token, owner: 'w', outcome: { type: 'retry', at: new Date(0) } },
      ],
      [
        { destMsisdn: '2001', token: one.token },
        { destMsisdn: '2002', token: two.token },
      ],
    );
    expect([...applied].sort()).toEqual([a._id, x._id].sort());
    expect((await store.get(a._id))?.state).toBe(SmsState.delivered);
    expect((await store.get(a._id))?.receiptPending).toBeUndefined();
    expect((await store.get(b._id))?.state).toBe(SmsState.delivering);
    expect((await store.get(x._id))?.state).toBe(SmsState.queued);
    expect(await store.get(a._id + RECEIPT_ID_SUFFIX)).toMatchObject({ kind: 'receipt', state: 'queued' });
    expect(await store.collections.locks.countDocuments({ _id: { $in: ['2001', '2002'] } })).toBe(0);
    expect(await eventsOf(a._id)).toContain('sms.delivered');
    expect(await eventsOf(b._id)).not.toContain('sms.failed');
    expect(await eventsOf(x._id)).toContain('sms.retry');
    expect(await eventsOf(a._id + RECEIPT_ID_SUFFIX)).toEqual(['sms.queued']);
    expect(store.metrics.get('smsc_receipts_queued_total')).toBe(1);
    expect(store.metrics.get('smsc_transitions_fenced_total')).toBe(1);
  });

  it('gives back a lost race message quietly: queued in its old place, no event, counted as a release', async () => {
    const m = await store.queue(message('2004'));
    const c = await store.claimOne({
      owner: 'w',
      token: store.newToken(),
      leaseMs: LEASE,
      targets: ['smpp:up'],
    });
    const item = {
      message: c!.message,
      owner: 'w',
      outcome: { type: 'released', at: m.arrivedAt, quiet: true },
    } as const;
    await store.finish([{ ...item, token: 'stale' }]);
    const { applied } = await store.finish([{ ...item, token: c!.token }]);
    expect([...applied]).toEqual([m._id]);
    const stored = await store.get(m._id);
    expect([stored?.state, stored?.lock, stored?.nextAttemptAt, stored?.attempts]).toEqual([
      SmsState.queued,
      null,
      m.arrivedAt,
      0,
    ]);
    expect(await eventsOf(m._id)).toEqual(['sms.queued']);
    expect(store.metrics.get('smsc_releases_total', { result: 'released' })).toBe(1);
    expect(store.metrics.get('smsc_releases_total', { result: 'fenced' })).toBe(1);
  });

  it('releases a destination lock by its token alone, leaving a lock taken over by someone else', async () => {
    await store.queue(message('2003'));
    const one = await claimBatch('2003', 'w');
    await store.finish([], [{ destMsisdn: '2003', token: 'stale' }]);
    expect(await store.collections.locks.countDocuments({ _id: '2003' })).toBe(1);
    await store.finish([], [{ destMsisdn: '2003', token: one.token }]);
    expect(await store.collections.locks.countDocuments({ _id: '2003' })).toBe(0);
  });
});
