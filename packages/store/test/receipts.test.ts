import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/context.ts';
import { RECEIPT_ID_SUFFIX, SmsState, type Store } from '../src/index.ts';
import { queueReceipts } from '../src/receipts.ts';
import { fakeClock, message, migratedStore } from './helpers.ts';

const LEASE = 30_000;

describe('receipts', () => {
  let mongo: TestMongo;
  let store: Store;
  const clock = fakeClock();
  beforeAll(async () => {
    mongo = await useTestMongo();
    store = await migratedStore(await mongo.db(), { now: clock.now });
  });
  afterAll(() => mongo.close());

  async function claimAndFinish(
    dest: string,
    receipt: 'none' | 'final' | 'failure',
    outcome: 'delivered' | 'failed',
  ) {
    const m = await store.queue(message(dest, { receipt }));
    const c = await store.claimOne({
      owner: 'w',
      token: store.newToken(),
      leaseMs: LEASE,
      targets: ['smpp:up'],
    });
    expect(c?.message._id).toBe(m._id);
    if (outcome === 'delivered') await store.complete(c!.message, c!.token, 'w');
    else await store.fail(c!.message, c!.token, 'w', 'unknown subscriber');
    return m._id;
  }

  it('queues exactly one receipt back to the submitter when a final outcome asked for one', async () => {
    const id = await claimAndFinish('3001', 'final', 'delivered');
    const receipt = await store.get(id + RECEIPT_ID_SUFFIX);
    expect(receipt).toMatchObject({
      kind: 'receipt',
      state: SmsState.queued,
      target: 'esme:acme',
      receiptOf: { messageId: id, state: SmsState.delivered },
    });
    expect(receipt?.payload.esmClass).toBe(0x04);
    expect(receipt?.payload.destination.addr).toBe('4915100000000');
    expect(receipt?.destMsisdn).toMatch(/^receipt:acme:\d+$/);
    expect((await store.get(id))?.receiptPending).toBeUndefined();
  });

  it('follows registered_delivery: failure-only receipts skip successes, none never', async () => {
    const ok = await claimAndFinish('3002', 'failure', 'delivered');
    const bad = await claimAndFinish('3003', 'failure', 'failed');
    const quiet = await claimAndFinish('3004', 'none', 'failed');
    expect(await store.get(ok + RECEIPT_ID_SUFFIX)).toBeNull();
    expect((await store.get(bad + RECEIPT_ID_SUFFIX))?.receiptOf?.error).toBe('unknown subscriber');
    expect(await store.get(quiet + RECEIPT_ID_SUFFIX)).toBeNull();
  });

  it('recovers a receipt a crash left owed, and queueing it twice still yields one', async () => {
    const m = await store.queue(message('3005', { receipt: 'final' }));
    const c = await store.claimOne({
      owner: 'w',
      token: store.newToken(),
      leaseMs: LEASE,
      targets: ['smpp:up'],
    });
    // The crash: the final write applied (receiptPending set) but the receipt was never queued.
    await store.collections.sms.updateOne(
      { _id: m._id, 'lock.token': c!.token },
      { $set: { state: SmsState.delivered, finalAt: clock.now(), receiptPending: true, lock: null } },
    );
    expect(await store.get(m._id + RECEIPT_ID_SUFFIX)).toBeNull();
    clock.advance(120_000);
    expect(await store.recoverReceipts(new Date(clock.now().getTime() - 60_000), 100)).toBe(1);
    // A second writer that still thinks the receipt is owed inserts nothing new.
    const ctx = createContext({ db: await mongo.db(), now: clock.now });
    const again = await queueReceipts(ctx, [{ ...(await store.get(m._id))!, receiptPending: true }]);
    expect(again).toEqual([]);
    expect(await store.collections.sms.countDocuments({ 'receiptOf.messageId': m._id })).toBe(1);
    expect(await store.recoverReceipts(clock.now(), 100)).toBe(0);
  });
});
