import { createStore, RECEIPT_ID_SUFFIX, SmsState } from '@smsc/store';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cleanup } from '../src/index.ts';
import { fakeClock, message } from './helpers.ts';

describe('cleanup job', () => {
  let mongo: TestMongo;
  beforeAll(async () => {
    mongo = await useTestMongo();
  });
  afterAll(() => mongo.close());

  it('runs in one process at a time and resets, unlocks, expires and purges in bounded batches', async () => {
    const clock = fakeClock();
    const store = createStore({ db: await mongo.db(), now: clock.now });
    await store.migrate();
    const opts = { store, intervalMs: 60_000, leaseMs: 120_000, batchSize: 2, retentionMs: 3_600_000 };
    const one = new Cleanup({ ...opts, id: 'one' });
    const two = new Cleanup({ ...opts, id: 'two' });

    for (let i = 0; i < 3; i += 1) {
      await store.queue(message(`700${i}`));
      const c = await store.claimOne({
        owner: 'dead',
        token: store.newToken(),
        leaseMs: 1000,
        targets: ['test'],
      });
      await store.claimDestination(`700${i}`, { owner: 'dead', token: c!.token, leaseMs: 1000 });
    }
    const old = await store.queue(
      message('7010', { expiresAt: new Date(clock.now().getTime() + 500), receipt: 'final' }),
    );
    clock.advance(1000);

    const report = await one.runOnce();
    expect(report).toEqual({ leasesReset: 3, locksRemoved: 3, expired: 1, receiptsRecovered: 0, purged: 0 });
    expect(await two.runOnce()).toBeNull();
    expect((await store.get(old._id))?.state).toBe(SmsState.expired);
    expect(await store.get(old._id + RECEIPT_ID_SUFFIX)).not.toBeNull();

    clock.advance(3_600_001);
    // The lease of `one` ran out: `two` takes over and purges the expired record.
    expect((await two.runOnce())?.purged).toBe(1);
    expect(await store.get(old._id)).toBeNull();
    await one.close();
    await two.close();
    expect(await store.collections.locks.countDocuments({ _id: 'lease:cleanup' })).toBe(0);
  });
});
