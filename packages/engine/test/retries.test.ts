import { createStore, RECEIPT_ID_SUFFIX, SmsState, type Store } from '@smsc/store';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeliveryResult, Worker } from '../src/index.ts';
import { type FakeClock, fakeClock, message, scriptedOutlet } from './helpers.ts';

describe('retries, backoff and expiry (hand-moved clock)', () => {
  let mongo: TestMongo;
  const extra: Db[] = [];
  beforeAll(async () => {
    mongo = await useTestMongo();
  });
  afterAll(async () => {
    for (const db of extra) await db.dropDatabase();
    await mongo.close();
  });

  async function setup(answers: DeliveryResult[], name: string) {
    const clock: FakeClock = fakeClock();
    const db = (await mongo.client()).db(`${mongo.dbName}_${name}`);
    extra.push(db);
    const store: Store = createStore({ db, now: clock.now });
    await store.migrate();
    const outlet = scriptedOutlet(
      (_m, call) => answers[Math.min(call, answers.length) - 1] as DeliveryResult,
    );
    const worker = new Worker({
      store,
      outlets: [outlet],
      tail: false,
      retry: {
        maxAttempts: 3,
        backoff: { baseMs: 1000, factor: 2, maxMs: 60_000, jitter: 0 },
        classes: { slow: { baseMs: 10_000 } },
        throttleDelayMs: 500,
      },
    });
    await worker.start();
    const step = async (ms: number) => {
      clock.advance(ms);
      worker.poke();
      await worker.whenIdle();
    };
    return { clock, store, outlet, worker, step };
  }

  it('retries a temporary failure after exponential backoff and fails it finally at the maximum attempts', async () => {
    const t = await setup(Array(5).fill({ status: 'temporary', error: 'absent subscriber' }), 'backoff');
    const m = await t.store.queue(message('100', { receipt: 'final' }));
    await t.step(0);
    expect(t.outlet.calls.length).toBe(1);
    let stored = await t.store.get(m._id);
    expect(stored).toMatchObject({ state: SmsState.queued, attempts: 1, lastError: 'absent subscriber' });
    expect(stored?.nextAttemptAt.getTime()).toBe(t.clock.now().getTime() + 1000);
    await t.step(999);
    expect(t.outlet.calls.length).toBe(1);
    await t.step(1);
    expect(t.outlet.calls.length).toBe(2);
    stored = await t.store.get(m._id);
    expect(stored?.nextAttemptAt.getTime()).toBe(t.clock.now().getTime() + 2000);
    await t.step(2000);
    expect(t.outlet.calls.length).toBe(3);
    stored = await t.store.get(m._id);
    expect(stored?.state).toBe(SmsState.failed);
    expect(stored?.attempts).toBe(3);
    expect(stored?.lastError).toMatch(/max attempts/);
    expect((await t.store.get(m._id + RECEIPT_ID_SUFFIX))?.receiptOf?.state).toBe(SmsState.failed);
    await t.worker.close();
  });

  it('keeps a destination in order across a retry: later messages wait for the one that failed', async () => {
    // The first attempt of "old" fails (1 s backoff); "new" arrives for the same number meanwhile.
    const t = await setup([], 'order');
    const answers = new Map<string, DeliveryResult[]>();
    t.outlet.deliver = async (_d, messages) => {
      t.outlet.calls.push([...messages]);
      return messages.map((m) => answers.get(m._id)?.shift() ?? { status: 'delivered' });
    };
    const old = await t.store.queue(message('200'));
    answers.set(old._id, [{ status: 'temporary', error: 'absent subscriber' }]);
    await t.step(0);
    t.clock.advance(10);
    const later = await t.store.queue(message('200'));
    await t.step(0);
    await t.step(500);
    // Nothing overtook the message waiting for its retry, and nobody spun on the destination.
    expect(t.outlet.calls.flat().map((m) => m._id)).toEqual([old._id]);
    expect((await t.store.get(later._id))?.state).toBe(SmsState.queued);
    await t.step(500);
    expect(t.outlet.calls.flat().map((m) => m._id)).toEqual([old._id, old._id, later._id]);
    expect((await t.store.get(later._id))?.state).toBe(SmsState.delivered);
    await t.worker.close();
  });

  it('does not hold a destination for a message scheduled later that was never tried', async () => {
    const t = await setup([{ status: 'delivered' }], 'scheduled');
    const clockNow = t.clock.now().getTime();
    const scheduled = await t.store.queue(message('201', { scheduledAt: new Date(clockNow + 60_000) }));
    t.clock.advance(10);
    const now = await t.store.queue(message('201'));
    await t.step(0);
    expect(t.outlet.calls.flat().map((m) => m._id)).toEqual([now._id]);
    expect((await t.store.get(scheduled._id))?.state).toBe(SmsState.queued);
    await t.worker.close();
  });

  it('does not count throttling as an attempt and uses the outlet retryAfter or the throttle delay', async () => {
    const t = await setup(
      [
        { status: 'throttled' },
        { status: 'throttled', retryAfterMs: 5000 },
        { status: 'delivered', upstreamId: 'up-1' },
      ],
      'throttle',
    );
    const m = await t.store.queue(message('200'));
    await t.step(0);
    expect((await t.store.get(m._id))?.nextAttemptAt.getTime()).toBe(t.clock.now().getTime() + 500);
    await t.step(500);
    expect((await t.store.get(m._id))?.nextAttemptAt.getTime()).toBe(t.clock.now().getTime() + 5000);
    await t.step(4999);
    expect(t.outlet.calls.length).toBe(2);
    await t.step(1);
    const stored = await t.store.get(m._id);
    expect(stored).toMatchObject({ state: SmsState.delivered, attempts: 1, upstreamId: 'up-1' });
    expect(stored?.history.filter((h) => h.outcome === 'throttled')).toHaveLength(2);
    await t.worker.close();
  });

  it('uses the backoff of the error class and expires a message whose next attempt would pass its validity', async () => {
    const t = await setup([{ status: 'temporary', errorClass: 'slow' }], 'expiry');
    const m = await t.store.queue(
      message('300', { expiresAt: new Date(t.clock.now().getTime() + 5000), receipt: 'failure' }),
    );
    await t.step(0);
    const stored = await t.store.get(m._id);
    expect(stored?.state).toBe(SmsState.expired);
    expect((await t.store.get(m._id + RECEIPT_ID_SUFFIX))?.receiptOf?.state).toBe(SmsState.expired);
    await t.worker.close();
  });

  it('expires a claimed message past its validity without handing it to the outlet', async () => {
    const t = await setup([{ status: 'delivered' }], 'late');
    const m = await t.store.queue(message('400', { expiresAt: new Date(t.clock.now().getTime() + 1000) }));
    await t.step(1000);
    expect(t.outlet.calls.length).toBe(0);
    expect((await t.store.get(m._id))?.state).toBe(SmsState.expired);
    await t.worker.close();
  });

  it('fails a message at once on a permanent failure, with the reason', async () => {
    const t = await setup([{ status: 'permanent', reason: 'unknown subscriber' }], 'permanent');
    const m = await t.store.queue(message('500'));
    await t.step(0);
    expect(await t.store.get(m._id)).toMatchObject({
      state: SmsState.failed,
      attempts: 1,
      lastError: 'unknown subscriber',
    });
    await t.worker.close();
  });
});
