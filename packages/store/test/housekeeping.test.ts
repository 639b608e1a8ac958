import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECEIPT_ID_SUFFIX, SmsState, type Store } from '../src/index.ts';
import { fakeClock, message, migratedStore } from './helpers.ts';

const LEASE = 30_000;

describe('cleanup operations', () => {
  let mongo: TestMongo;
  let store: Store;
  const clock = fakeClock();
  beforeAll(async () => {
    mongo = await useTestMongo();
    store = await migratedStore(await mongo.db(), { now: clock.now });
  });
  afterAll(() => mongo.close());

  it('resets messages and removes destination locks whose lease ran out, in bounded batches', async () => {
    for (let i = 0; i < 5; i += 1) {
      await store.queue(message(`40${i}`));
      const c = await store.claimOne({
        owner: 'dead',
        token: store.newToken(),
        leaseMs: LEASE,
        targets: ['*'],
      });
      await store.claimDestination(`40${i}`, { owner: 'dead', token: c!.token, leaseMs: LEASE });
    }
    expect(await store.resetExpiredLeases(10)).toBe(0);
    clock.advance(LEASE);
    expect(await store.resetExpiredLeases(3)).toBe(3);
    expect(await store.resetExpiredLeases(3)).toBe(2);
    expect(await store.removeExpiredDestinationLocks(10)).toBe(5);
    const reset = await store.find({ destMsisdn: '400' });
    expect(reset[0]?.state).toBe(SmsState.queued);
    expect(reset[0]?.lock).toBeNull();
    expect(reset[0]?.history.at(-1)?.outcome).toBe('reset');
  });

  it('expires messages past validity with a receipt where one was asked, but not under a live lease', async () => {
    const soon = new Date(clock.now().getTime() + 1000);
    const a = await store.queue(message('501', { expiresAt: soon, receipt: 'final' }));
    const b = await store.queue(message('502', { expiresAt: soon }));
    const held = await store.queue(message('503', { expiresAt: soon }));
    const c = await store.claimOne({
      owner: 'w',
      token: store.newToken(),
      leaseMs: LEASE,
      targets: ['*'],
      exclude: ['501', '502', '400', '401', '402', '403', '404'],
    });
    expect(c?.message._id).toBe(held._id);
    clock.advance(1000);
    expect(await store.expireDue(100)).toBe(2);
    expect((await store.get(a._id))?.state).toBe(SmsState.expired);
    expect((await store.get(b._id))?.state).toBe(SmsState.expired);
    expect((await store.get(held._id))?.state).toBe(SmsState.delivering);
    expect((await store.get(a._id + RECEIPT_ID_SUFFIX))?.receiptOf?.state).toBe(SmsState.expired);
    expect(await store.get(b._id + RECEIPT_ID_SUFFIX)).toBeNull();
  });

  it('purges final records older than the retention period only', async () => {
    const before = await store.collections.sms.countDocuments({ state: SmsState.expired });
    expect(before).toBeGreaterThan(0);
    expect(await store.purgeFinal(new Date(clock.now().getTime() - 1), 100)).toBe(0);
    clock.advance(10);
    expect(await store.purgeFinal(clock.now(), 1)).toBe(1);
    expect(await store.purgeFinal(clock.now(), 100)).toBe(before - 1);
  });

  it('grants the cleanup lease to one owner at a time', async () => {
    expect(await store.acquireLease('cleanup', 'a', 10_000)).toBe(true);
    expect(await store.acquireLease('cleanup', 'b', 10_000)).toBe(false);
    expect(await store.acquireLease('cleanup', 'a', 10_000)).toBe(true);
    clock.advance(10_000);
    expect(await store.acquireLease('cleanup', 'b', 10_000)).toBe(true);
    expect(await store.releaseLease('cleanup', 'a')).toBe(false);
    expect(await store.releaseLease('cleanup', 'b')).toBe(true);
  });
});
