import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import type { Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  RECEIPT_ID_SUFFIX,
  type ReceiptClaim,
  receiptTarget,
  type SmsRecord,
  SmsState,
  type Store,
} from '../src/index.ts';
import { type FakeClock, fakeClock, message, migratedStore, recordCommands } from './helpers.ts';

const LEASE = 30_000;

// Receipts stored already claimed by the worker that will deliver them (finish's claimReceipts):
// written in the transitions' own command, locked by the claim, no queued event, no receiptPending.
describe('finish with claimed receipts', () => {
  let mongo: TestMongo;
  let client: MongoClient;
  let store: Store;
  let clock: FakeClock;
  let commands: string[];
  const dbs: Db[] = [];
  const claim: ReceiptClaim = { owner: 'acme-worker', token: 'receipt-token', leaseMs: LEASE };
  const forAcme = (target: string) => (target === receiptTarget('acme') ? claim : undefined);

  beforeAll(async () => {
    mongo = await useTestMongo();
    client = await mongo.newClient({ monitorCommands: true });
  });
  beforeEach(async () => {
    clock = fakeClock();
    const db = client.db(`${mongo.dbName}_${Math.random().toString(36).slice(2, 8)}`);
    dbs.push(db);
    store = await migratedStore(db, { now: clock.now });
    // Claimed receipts need the multi-collection bulkWrite known to work: one finish finds out.
    const first = await claimed('3000', 'acme', 'none');
    await store.finish([{ ...first, owner: 'sink-worker', outcome: { type: 'delivered' } }]);
    commands = [];
  });
  afterAll(async () => {
    for (const db of dbs) await db.dropDatabase();
    await mongo.close();
  });

  const counted = <T>(fn: () => Promise<T>): Promise<T> => recordCommands(client, commands, fn);

  async function claimed(dest: string, accountId = 'acme', receipt: 'final' | 'none' = 'final') {
    const m = await store.queue(message(dest, { receipt, accountId }));
    const token = store.newToken();
    const { batches } = await store.claimMany({
      owner: 'sink-worker',
      token,
      leaseMs: LEASE,
      targets: ['smpp:up'],
      maxDestinations: 1,
    });
    expect(batches.map((b) => b.batch[0]!._id)).toEqual([m._id]);
    return { message: batches[0]!.batch[0]!, token };
  }

  const eventsOf = async (smsId: string) =>
    (await store.collections.events.find({ smsId }).toArray()).map((e) => e.type);

  it('stores the receipt locked by the claim in the transition command, and returns it for delivery', async () => {
    const { message: m, token } = await claimed('3001');
    const result = await counted(() =>
      store.finish(
        [{ message: m, token, owner: 'sink-worker', outcome: { type: 'delivered' } }],
        [{ destMsisdn: '3001', token }],
        { claimReceipts: forAcme },
      ),
    );
    // One bulkWrite (receipt, transition, lock release), then the events: no second receipt step.
    expect(commands).toEqual(['bulkWrite', 'insert']);
    expect([...result.applied]).toEqual([m._id]);
    const receiptId = m._id + RECEIPT_ID_SUFFIX;
    expect(result.claimedReceipts).toHaveLength(1);
    expect(result.claimedReceipts[0]!.claim).toBe(claim);
    expect(result.claimedReceipts[0]!.receipts.map((r) => r._id)).toEqual([receiptId]);
    const until = new Date(clock.now().getTime() + LEASE);
    const stored = (await store.get(receiptId)) as SmsRecord;
    expect(stored).toMatchObject({
      kind: 'receipt',
      state: SmsState.delivering,
      lock: { owner: 'acme-worker', token: 'receipt-token', until },
      nextAttemptAt: until,
      target: receiptTarget('acme'),
      receiptOf: { messageId: m._id, state: SmsState.delivered },
    });
    expect(result.claimedReceipts[0]!.receipts[0]).toEqual(stored);
    const original = await store.get(m._id);
    expect(original?.state).toBe(SmsState.delivered);
    expect(original?.receiptPending).toBeUndefined();
    expect(await store.collections.locks.countDocuments({ _id: '3001' })).toBe(0);
    expect(await eventsOf(m._id)).toEqual(['sms.queued', 'sms.delivered']);
    // Claimed as it was stored: nothing to wake a worker for.
    expect(await eventsOf(receiptId)).toEqual([]);
    expect(store.metrics.get('smsc_receipts_queued_total')).toBe(1);
  });

  it('queues receipts of targets without a claim as before', async () => {
    const { message: m, token } = await claimed('3002', 'other');
    const result = await store.finish(
      [{ message: m, token, owner: 'sink-worker', outcome: { type: 'failed', error: 'x' } }],
      [{ destMsisdn: '3002', token }],
      { claimReceipts: forAcme },
    );
    expect(result.claimedReceipts).toEqual([]);
    expect(await store.get(m._id + RECEIPT_ID_SUFFIX)).toMatchObject({ state: SmsState.queued, lock: null });
    expect(await eventsOf(m._id + RECEIPT_ID_SUFFIX)).toEqual(['sms.queued']);
  });

  it('takes back the receipt of a fenced transition: the message and its receipt belong to its new holder', async () => {
    const { message: m } = await claimed('3003');
    const result = await store.finish(
      [{ message: m, token: 'stale', owner: 'sink-worker', outcome: { type: 'delivered' } }],
      [],
      { claimReceipts: forAcme },
    );
    expect(result.applied.size).toBe(0);
    expect(result.claimedReceipts).toEqual([]);
    expect(await store.get(m._id + RECEIPT_ID_SUFFIX)).toBeNull();
    expect((await store.get(m._id))?.state).toBe(SmsState.delivering);
  });

  it('leaves a receipt that exists already (a message made final again) to its own course', async () => {
    const { message: m, token } = await claimed('3004');
    const receiptId = m._id + RECEIPT_ID_SUFFIX;
    await store.collections.sms.insertOne({
      ...(m as SmsRecord),
      _id: receiptId,
      kind: 'receipt',
      state: SmsState.delivered,
      lock: null,
    });
    const result = await store.finish(
      [{ message: m, token, owner: 'sink-worker', outcome: { type: 'delivered' } }],
      [{ destMsisdn: '3004', token }],
      { claimReceipts: forAcme },
    );
    expect([...result.applied]).toEqual([m._id]);
    expect(result.claimedReceipts).toEqual([]);
    expect((await store.get(receiptId))?.state).toBe(SmsState.delivered);
    expect(store.metrics.get('smsc_receipts_queued_total') ?? 0).toBe(0);
  });

  it('renews a claimed receipt by its token; once its lease runs out cleanup queues it again', async () => {
    const { message: m, token } = await claimed('3005');
    await store.finish(
      [{ message: m, token, owner: 'sink-worker', outcome: { type: 'delivered' } }],
      [{ destMsisdn: '3005', token }],
      { claimReceipts: forAcme },
    );
    const receiptId = m._id + RECEIPT_ID_SUFFIX;
    clock.advance(LEASE / 2);
    expect(await store.extendClaim(claim.token, LEASE)).toBe(true);
    expect((await store.get(receiptId))?.lock?.until).toEqual(new Date(clock.now().getTime() + LEASE));
    expect(await store.extendClaim('nobody', LEASE)).toBe(false);
    // Its worker died: nothing renews it.
    clock.advance(LEASE + 1);
    expect(await store.resetExpiredLeases(10)).toBe(1);
    expect(await store.get(receiptId)).toMatchObject({ state: SmsState.queued, lock: null });
    expect(await store.extendClaim(claim.token, LEASE)).toBe(false);
    const again = await store.claimMany({
      owner: 'acme-worker-2',
      token: store.newToken(),
      leaseMs: LEASE,
      targets: [receiptTarget('acme')],
      maxDestinations: 1,
    });
    expect(again.batches.flatMap((b) => b.batch.map((r) => r._id))).toEqual([receiptId]);
  });
});
