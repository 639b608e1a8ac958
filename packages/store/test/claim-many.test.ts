import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import type { Db, MongoClient, UpdateResult } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { claimMany } from '../src/claim-many.ts';
import { createContext, type StoreContext } from '../src/context.ts';
import { type ClaimManyOptions, SmsState, type Store } from '../src/index.ts';
import { type FakeClock, fakeClock, message, migratedStore, recordCommands } from './helpers.ts';

const LEASE = 30_000;
const targets = ['smpp:up'];

describe('claimMany: the lock protocol for many destinations per round', () => {
  let mongo: TestMongo;
  let store: Store;
  let clock: FakeClock;
  let commands: string[];
  let client: MongoClient;
  let db: Db;
  const extra: Db[] = [];
  beforeAll(async () => {
    mongo = await useTestMongo();
    client = await mongo.newClient({ monitorCommands: true });
  });
  beforeEach(async () => {
    clock = fakeClock();
    db = client.db(`${mongo.dbName}_${Math.random().toString(36).slice(2, 8)}`);
    extra.push(db);
    store = await migratedStore(db, { now: clock.now });
    commands = [];
  });
  afterAll(async () => {
    for (const db of extra) await db.dropDatabase();
    await mongo.close();
  });

  /**
   * A store context whose `sms.updateMany` goes through `around` (which calls the real one when it
   * likes): a way to act between a claim round's read and its write, or to lose a write's reply.
   */
  function contextWithUpdateMany(
    around: (updateMany: () => Promise<UpdateResult>) => Promise<UpdateResult>,
  ): StoreContext {
    const ctx = createContext({ db, now: clock.now });
    const sms = ctx.cols.sms;
    const wrapped = new Proxy(sms, {
      get(target, prop) {
        if (prop === 'updateMany')
          return (...args: Parameters<typeof sms.updateMany>) => around(() => target.updateMany(...args));
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    ctx.cols = { ...ctx.cols, sms: wrapped };
    return ctx;
  }

  const round = (owner: string, more: Partial<ClaimManyOptions> = {}) =>
    store.claimMany({
      owner,
      token: store.newToken(),
      leaseMs: LEASE,
      targets,
      maxDestinations: 10,
      ...more,
    });

  /** Records the commands `fn` sends. */
  const counted = <T>(fn: () => Promise<T>): Promise<T> => recordCommands(client, commands, fn);

  it('claims several destinations in a fixed number of commands, each batch the head of its queue', async () => {
    const ids = new Map<string, string[]>();
    for (let i = 0; i < 6; i += 1) {
      for (const dest of ['101', '102', '103']) {
        const m = await store.queue(message(dest));
        ids.set(dest, [...(ids.get(dest) ?? []), m._id]);
        clock.advance(1);
      }
    }
    const r = await counted(() => round('a', { maxDestinations: 3 }));
    expect(r.lost).toEqual([]);
    expect(r.batches.map((b) => b.destMsisdn).sort()).toEqual(['101', '102', '103']);
    for (const b of r.batches) {
      // Up to four, oldest first, all under the round's token.
      expect(b.batch.map((m) => m._id)).toEqual(ids.get(b.destMsisdn)!.slice(0, 4));
      for (const m of b.batch) {
        expect(m.lock?.token).toBe(r.token);
        expect((await store.get(m._id))?.state).toBe(SmsState.delivering);
      }
    }
    expect(await store.collections.locks.countDocuments({ token: r.token })).toBe(3);
    // The candidates, the destinations (with the rest of the queues the candidates did not reach, in
    // parallel), the head check, the messages: five commands for three batches of four.
    expect(commands).toEqual(['find', 'update', 'find', 'find', 'update']);
  });

  it('skips destinations held elsewhere or excluded, and reports the ones it lost', async () => {
    await store.queue(message('201'));
    await store.queue(message('202'));
    await store.queue(message('203'));
    expect(await store.claimDestination('201', { owner: 'b', token: 'bt', leaseMs: LEASE })).toBe(true);
    const r = await round('a', { exclude: ['203'] });
    expect(r.lost).toEqual(['201']);
    expect(r.batches.map((b) => b.destMsisdn)).toEqual(['202']);
    // Nothing of a lost destination was touched.
    const [held] = await store.find({ destMsisdn: '201' });
    expect(held).toMatchObject({ state: SmsState.queued, lock: null, history: [] });
    expect(await store.collections.locks.findOne({ _id: '201' })).toMatchObject({ token: 'bt' });
  });

  it('one winner per destination when two workers claim the same queues at once', async () => {
    for (let i = 0; i < 20; i += 1) await store.queue(message(`30${i % 5}`));
    const [a, b] = await Promise.all([round('a'), round('b')]);
    const won = [...a.batches, ...b.batches].map((x) => x.destMsisdn);
    expect(won.sort()).toEqual(['300', '301', '302', '303', '304']);
    const claimed = [...a.batches, ...b.batches].flatMap((x) => x.batch.map((m) => m._id));
    expect(new Set(claimed).size).toBe(claimed.length);
  });

  it('takes a destination whose head waits for its retry by the one-destination path: nothing overtakes it', async () => {
    const old = await store.queue(message('400'));
    const c = await store.claimOne({ owner: 'w', token: store.newToken(), leaseMs: LEASE, targets });
    await store.claimDestination('400', { owner: 'w', token: c!.token, leaseMs: LEASE });
    const retryAt = new Date(clock.now().getTime() + 5000);
    await store.finish(
      [{ message: c!.message, token: c!.token, owner: 'w', outcome: { type: 'retry', at: retryAt } }],
      [{ destMsisdn: '400', token: c!.token }],
    );
    clock.advance(1);
    const newer = await store.queue(message('400'));
    // `newer` is due, `old` is not: the round must not send `newer` first.
    let r = await round('a');
    expect(r.batches).toEqual([]);
    expect(await store.collections.locks.countDocuments({ _id: '400' })).toBe(0);
    expect((await store.get(newer._id))?.state).toBe(SmsState.queued);
    clock.set(retryAt);
    r = await round('a');
    expect(r.batches.map((b) => b.batch.map((m) => m._id))).toEqual([[old._id, newer._id]]);
  });

  it('completes a batch the candidate query cut short, from the destination queue itself', async () => {
    // A message scheduled earlier than its arrival order: due-time order differs from arrival order.
    const first = await store.queue(message('500', { scheduledAt: new Date(clock.now().getTime() + 10) }));
    clock.advance(1);
    const second = await store.queue(message('500'));
    clock.advance(10);
    // With room for one candidate only, the query returns `second` (due first); the head check
    // finds `first` before it and the batch is taken from the queue in arrival order.
    const r = await round('a', { maxDestinations: 1 });
    expect(r.batches.map((b) => b.batch.map((m) => m._id))).toEqual([[first._id, second._id]]);
  });

  it('takes over messages whose lease ran out only when asked to', async () => {
    const m = await store.queue(message('600'));
    const dead = await round('dead');
    expect(dead.batches).toHaveLength(1);
    clock.advance(LEASE + 1);
    expect((await round('a')).batches).toEqual([]);
    const r = await round('a', { takeOver: true });
    expect(r.batches.map((b) => b.batch.map((x) => x._id))).toEqual([[m._id]]);
    expect((await store.get(m._id))?.lock?.owner).toBe('a');
    // The dead worker's writes are fenced.
    expect((await store.complete(dead.batches[0]!.batch[0]!, dead.token, 'dead')).applied).toBe(false);
  });

  it('extends one destination of a round without touching the others', async () => {
    await store.queue(message('701'));
    await store.queue(message('702'));
    const r = await round('a');
    clock.advance(LEASE - 1);
    expect(await store.extendLease('701', r.token, LEASE)).toBe(true);
    clock.advance(2);
    const [m701] = await store.find({ destMsisdn: '701' });
    const [m702] = await store.find({ destMsisdn: '702' });
    expect(m701!.lock!.until.getTime()).toBeGreaterThan(clock.now().getTime());
    expect(m702!.lock!.until.getTime()).toBeLessThan(clock.now().getTime());
  });

  it('keeps a batch only up to a message replaced since it was read', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push((await store.queue(message('800')))._id);
      clock.advance(1);
    }
    // The second is replaced between the read and the lock: the updateMany that locks the
    // messages runs the replace first (a store context whose sms collection does so).
    const ctx = contextWithUpdateMany(async (updateMany) => {
      await store.replace(ids[1]!, { shortMessage: Buffer.from('new text') });
      return updateMany();
    });
    const r = await claimMany(ctx, { owner: 'a', token: 'tk', leaseMs: LEASE, targets, maxDestinations: 4 });
    // Never the third without the second: the batch stops at the gap, and the third is given back.
    expect(r.batches.map((b) => b.batch.map((m) => m._id))).toEqual([[ids[0]]]);
    expect(await store.get(ids[1]!)).toMatchObject({ state: SmsState.queued, rev: 1, lock: null });
    expect(await store.get(ids[2]!)).toMatchObject({ state: SmsState.queued, lock: null });
  });

  it('locks a batch whose messages were read at different revs, and not one replaced since', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push((await store.queue(message('810')))._id);
      clock.advance(1);
    }
    // Replaced before the round reads them: read at rev 1 and 2, the third at 0.
    await store.replace(ids[0]!, { shortMessage: Buffer.from('one') });
    await store.replace(ids[1]!, { shortMessage: Buffer.from('two') });
    await store.replace(ids[1]!, { shortMessage: Buffer.from('two again') });
    const all = await round('a');
    expect(all.batches.map((b) => b.batch.map((m) => m._id))).toEqual([ids]);
    expect(all.batches[0]!.batch.map((m) => m.rev)).toEqual([1, 2, 0]);
    // And with one of those revs changed between the read and the lock, the batch stops there.
    for (const id of ids) await store.release((await store.get(id))!, all.token, 'a');
    await store.releaseDestination('810', all.token);
    const ctx = contextWithUpdateMany(async (updateMany) => {
      await store.replace(ids[1]!, { shortMessage: Buffer.from('three') });
      return updateMany();
    });
    const r = await claimMany(ctx, { owner: 'b', token: 'tk2', leaseMs: LEASE, targets, maxDestinations: 4 });
    expect(r.batches.map((b) => b.batch.map((m) => m._id))).toEqual([[ids[0]]]);
  });

  it('gives back what a round took when the store fails part-way', async () => {
    const a = await store.queue(message('901'));
    const b = await store.queue(message('902'));
    // The messages are locked, then the reply is lost (a network error after the write applied).
    let calls = 0;
    const ctx = contextWithUpdateMany(async (updateMany) => {
      const r = await updateMany();
      calls += 1;
      if (calls === 1) throw new Error('connection reset');
      return r;
    });
    await expect(
      claimMany(ctx, { owner: 'a', token: 'tk', leaseMs: LEASE, targets, maxDestinations: 4 }),
    ).rejects.toThrow('connection reset');
    expect(await store.collections.locks.countDocuments({ token: 'tk' })).toBe(0);
    for (const m of [a, b])
      expect(await store.get(m._id)).toMatchObject({ state: SmsState.queued, lock: null });
    // And the next round takes them at once.
    expect((await round('b')).batches).toHaveLength(2);
  });

  it('takes up to four messages of a subscriber per batch, and up to sixteen receipts of a lane', async () => {
    for (let i = 0; i < 10; i += 1) {
      await store.queue(message('1001'));
      await store.queue(message('1002', { kind: 'receipt' }));
      clock.advance(1);
    }
    const r = await round('a');
    const sizes = Object.fromEntries(r.batches.map((b) => [b.destMsisdn, b.batch.length]));
    expect(sizes).toEqual({ '1001': 4, '1002': 10 });
  });
});
