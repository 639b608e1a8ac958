import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import type { Db } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SmsState, type Store } from '../src/index.ts';
import { type FakeClock, fakeClock, message, migratedStore } from './helpers.ts';

const LEASE = 30_000;
const targets = ['smpp:up'];

describe('the lock protocol', () => {
  let mongo: TestMongo;
  let store: Store;
  let clock: FakeClock;
  const extra: Db[] = [];
  beforeAll(async () => {
    mongo = await useTestMongo();
  });
  beforeEach(async () => {
    clock = fakeClock();
    const db = (await mongo.client()).db(`${mongo.dbName}_${Math.random().toString(36).slice(2, 8)}`);
    extra.push(db);
    store = await migratedStore(db, { now: clock.now });
  });
  afterAll(async () => {
    for (const db of extra) await db.dropDatabase();
    await mongo.close();
  });

  const claim = (owner: string, exclude: string[] = []) =>
    store.claimOne({ owner, token: store.newToken(), leaseMs: LEASE, targets, exclude });

  it('claims the highest priority, then the longest waiting message, once', async () => {
    const low = await store.queue(message('1'));
    clock.advance(10);
    const high = await store.queue(message('2', { priority: 2 }));
    expect((await claim('a'))?.message._id).toBe(high._id);
    expect((await claim('b'))?.message._id).toBe(low._id);
    expect(await claim('c')).toBeNull();
  });

  it('does not claim messages scheduled later, for other targets, or for excluded destinations', async () => {
    const now = clock.now().getTime();
    await store.queue(message('1', { scheduledAt: new Date(now + 60_000) }));
    await store.queue(message('2', { target: 'http:hook' }));
    await store.queue(message('3'));
    expect(await claim('a', ['3'])).toBeNull();
    clock.advance(60_000);
    expect((await claim('a', ['3']))?.message.destMsisdn).toBe('1');
  });

  it('hands a destination to one worker at a time and lets a lease that ran out be taken over', async () => {
    const opts = (owner: string) => ({ owner, token: `${owner}-t`, leaseMs: LEASE });
    expect(await store.claimDestination('4477', opts('a'))).toBe(true);
    expect(await store.claimDestination('4477', opts('b'))).toBe(false);
    clock.advance(LEASE);
    expect(await store.claimDestination('4477', opts('b'))).toBe(true);
    expect(await store.releaseDestination('4477', 'a-t')).toBe(false);
    expect(await store.releaseDestination('4477', 'b-t')).toBe(true);
  });

  it('claims up to four of a held destination oldest first, taking over a message a loser holds', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      ids.push((await store.queue(message('555')))._id);
      clock.advance(1);
    }
    const a = await claim('a');
    const b = await claim('b');
    expect(a?.message._id).toBe(ids[0]);
    expect(b?.message._id).toBe(ids[1]);
    expect(await store.claimDestination('555', { owner: 'a', token: a!.token, leaseMs: LEASE })).toBe(true);
    expect(await store.claimDestination('555', { owner: 'b', token: b!.token, leaseMs: LEASE })).toBe(false);
    const { batch } = await store.claimMore(a!.message, { owner: 'a', token: a!.token, leaseMs: LEASE });
    expect(batch.map((m) => m._id)).toEqual(ids.slice(0, 4));
    for (const m of batch) expect(m.lock?.token).toBe(a!.token);
    // The loser's release is fenced: the winner took its message over.
    expect(await store.release(b!.message, b!.token, 'b')).toBe(false);
    const stored = await store.get(ids[1] as string);
    expect(stored?.lock?.owner).toBe('a');
  });

  it('releases the first message when older ones of its destination fill the batch', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      ids.push((await store.queue(message('666', { priority: i === 4 ? 0 : 0 })))._id);
      clock.advance(1);
    }
    // Claim the newest by excluding nothing but pushing the older ones out of reach first.
    const newest = await store.get(ids[4] as string);
    const token = store.newToken();
    await store.collections.sms.updateOne(
      { _id: ids[4] as string },
      {
        $set: {
          state: SmsState.delivering,
          lock: { owner: 'a', token, until: new Date(clock.now().getTime() + LEASE) },
        },
      },
    );
    const first = {
      ...(newest as NonNullable<typeof newest>),
      lock: { owner: 'a', token, until: clock.now() },
    };
    expect(await store.claimDestination('666', { owner: 'a', token, leaseMs: LEASE })).toBe(true);
    const { batch, releasedFirst } = await store.claimMore(first, { owner: 'a', token, leaseMs: LEASE });
    expect(releasedFirst).toBe(true);
    expect(batch.map((m) => m._id)).toEqual(ids.slice(0, 4));
    expect((await store.get(ids[4] as string))?.state).toBe(SmsState.queued);
  });

  it('fences every write after a claim on its token', async () => {
    const m = await store.queue(message('777', { receipt: 'final' }));
    const old = await claim('dead');
    clock.advance(LEASE + 1);
    // The lease ran out: the same claim query takes the message over.
    const fresh = await claim('alive');
    expect(fresh?.message._id).toBe(m._id);
    expect((await store.complete(old!.message, old!.token, 'dead')).applied).toBe(false);
    expect((await store.retryLater(old!.message, old!.token, 'dead', clock.now())).applied).toBe(false);
    expect((await store.fail(old!.message, old!.token, 'dead', 'x')).applied).toBe(false);
    expect(await store.extendLease('777', old!.token, LEASE)).toBe(false);
    expect((await store.complete(fresh!.message, fresh!.token, 'alive')).applied).toBe(true);
    const stored = await store.get(m._id);
    expect(stored?.state).toBe(SmsState.delivered);
    expect(stored?.history.map((h) => [h.worker, h.outcome])).toEqual([
      ['dead', 'claimed'],
      ['alive', 'claimed'],
      ['alive', 'delivered'],
    ]);
    expect((await store.complete(fresh!.message, fresh!.token, 'alive')).applied).toBe(false);
  });

  it('extends the lease of the destination and of its messages together', async () => {
    await store.queue(message('888'));
    const c = await claim('a');
    expect(await store.claimDestination('888', { owner: 'a', token: c!.token, leaseMs: LEASE })).toBe(true);
    clock.advance(LEASE - 1);
    expect(await store.extendLease('888', c!.token, LEASE)).toBe(true);
    clock.advance(LEASE - 1);
    expect(await claim('b')).toBeNull();
    expect(await store.claimDestination('888', { owner: 'b', token: 'bt', leaseMs: LEASE })).toBe(false);
  });

  it('nextDue: the earliest due time over every priority and both active states, from sms_due', async () => {
    expect(await store.nextDue(targets)).toBeNull();
    const at = (s: number) => new Date(clock.now().getTime() + s * 1000);
    // Many due later at the high priority, one sooner at the lowest.
    for (let i = 0; i < 50; i += 1)
      await store.queue(message(`70${i}`, { priority: 3, scheduledAt: at(600 + i) }));
    await store.queue(message('7099', { priority: 0, scheduledAt: at(300) }));
    expect(await store.nextDue(targets)).toEqual(at(300));
    // A claim's lease end counts as well (a dead worker's messages become due at it).
    await store.queue(message('7100', { priority: 1 }));
    const c = await claim('a');
    expect(c?.message.destMsisdn).toBe('7100');
    expect(await store.nextDue(targets)).toEqual(at(LEASE / 1000));
    expect(await store.nextDue(['smpp:other'])).toBeNull();
    // Each look reads the first entry of its range, not the 50 of the high priority.
    const plan = await store.collections.sms
      .find({ state: 'queued', priority: 3 }, { sort: { nextAttemptAt: 1 }, limit: 1 })
      .explain('executionStats');
    expect(plan.executionStats.totalDocsExamined).toBe(1);
  });

  it('counts retries as attempts and throttling not, and schedules both', async () => {
    const m = await store.queue(message('999'));
    let c = await claim('a');
    const at = new Date(clock.now().getTime() + 5000);
    expect((await store.retryLater(c!.message, c!.token, 'a', at, { error: 'absent' })).applied).toBe(true);
    expect(await claim('a')).toBeNull();
    expect(await store.nextDue(targets)).toEqual(at);
    clock.advance(5000);
    c = await claim('a');
    expect((await store.throttle(c!.message, c!.token, 'a', at)).applied).toBe(true);
    const stored = await store.get(m._id);
    expect(stored?.attempts).toBe(1);
    expect(stored?.state).toBe(SmsState.queued);
    expect(stored?.lastError).toBe('absent');
  });

  it('applies a batch of outcomes and destination releases in one finish and reports fenced ones', async () => {
    const a1 = await store.queue(message('1001'));
    const a2 = await store.queue(message('1001'));
    const c = await claim('a');
    await store.claimDestination('1001', { owner: 'a', token: c!.token, leaseMs: LEASE });
    const { batch } = await store.claimMore(c!.message, { owner: 'a', token: c!.token, leaseMs: LEASE });
    expect(batch.map((m) => m._id)).toEqual([a1._id, a2._id]);
    const stale = { ...(batch[1] as (typeof batch)[number]) };
    const { applied } = await store.finish(
      [
        { message: batch[0]!, token: c!.token, owner: 'a', outcome: { type: 'delivered' } },
        { message: stale, token: 'not-ours', owner: 'a', outcome: { type: 'delivered' } },
      ],
      [{ destMsisdn: '1001', token: c!.token }],
    );
    expect([...applied]).toEqual([a1._id]);
    expect(await store.collections.locks.countDocuments({ _id: '1001' })).toBe(0);
  });

  it('cancels and replaces only queued messages', async () => {
    const m = await store.queue(message('1234'));
    const r = await store.replace(m._id, { shortMessage: Buffer.from('new') });
    expect(r.applied).toBe(true);
    expect(r.message?.rev).toBe(1);
    const c = await claim('a');
    expect((await store.cancel(c!.message._id)).applied).toBe(false);
    await store.release(c!.message, c!.token, 'a');
    expect((await store.cancel(m._id)).applied).toBe(true);
    expect((await store.get(m._id))?.state).toBe(SmsState.cancelled);
  });
});
