import { createStore, type SmsRecord, SmsState } from '@smsc/store';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeliveryResult, type Outlet, Worker } from '../src/index.ts';
import { eventually, fakeClock, message, scriptedOutlet } from './helpers.ts';

const LEASE = 30_000;

/** An outlet that holds its batch until released: the worker "dies" while it waits. */
function stuckOutlet() {
  let release: (r: DeliveryResult[]) => void = () => undefined;
  const seen: SmsRecord[][] = [];
  const outlet: Outlet = {
    name: 'stuck',
    targets: ['test'],
    deliver(_d, messages) {
      seen.push([...messages]);
      return new Promise<DeliveryResult[]>((resolve) => {
        release = resolve;
      });
    },
  };
  return { outlet, seen, comeBack: (r: DeliveryResult[]) => release(r) };
}

describe('a worker that dies mid-batch', () => {
  let mongo: TestMongo;
  beforeAll(async () => {
    mongo = await useTestMongo();
  });
  afterAll(() => mongo.close());

  it('loses its messages to another worker after the lease, and cannot overwrite anything when it comes back', async () => {
    const clock = fakeClock();
    const clientA = await mongo.newClient();
    const clientB = await mongo.newClient();
    const storeA = createStore({ db: clientA.db(mongo.dbName), now: clock.now });
    const storeB = createStore({ db: clientB.db(mongo.dbName), now: clock.now });
    await storeB.migrate();
    const ids = [];
    for (let i = 0; i < 3; i += 1)
      ids.push((await storeB.queue(message('491700', { receipt: 'final' })))._id);

    const stuck = stuckOutlet();
    const a = new Worker({ store: storeA, outlets: [stuck.outlet], id: 'A', tail: false, leaseMs: LEASE });
    await a.start();
    await eventually(() => stuck.seen.length === 1);
    const tokenA = stuck.seen[0]?.[0]?.lock?.token as string;
    expect(stuck.seen[0]?.map((m) => m._id)).toEqual(ids);

    // A dies: its client goes away and its lease is never renewed.
    await clientA.close();
    const b = new Worker({
      store: storeB,
      outlets: [scriptedOutlet(() => ({ status: 'delivered' }), 'ok')],
      id: 'B',
      tail: false,
      leaseMs: LEASE,
    });
    await b.start();
    await b.whenIdle();
    expect((await storeB.get(ids[0] as string))?.state).toBe(SmsState.delivering);
    clock.advance(LEASE);
    b.poke();
    await b.whenIdle();

    for (const id of ids) {
      const m = await storeB.get(id);
      expect(m?.state).toBe(SmsState.delivered);
      expect(m?.history.map((h) => [h.worker, h.outcome])).toEqual([
        ['A', 'claimed'],
        ['B', 'claimed'],
        ['B', 'delivered'],
      ]);
    }

    // A comes back (its outlet answers, and a process reusing its token tries every write): nothing changes.
    stuck.comeBack(stuck.seen[0]?.map(() => ({ status: 'permanent', reason: 'late' })) ?? []);
    await Promise.race([a.whenIdle(), new Promise((r) => setTimeout(r, 2000))]);
    const zombie = createStore({ db: clientB.db(mongo.dbName), now: clock.now });
    const old = stuck.seen[0] as SmsRecord[];
    expect((await zombie.fail(old[0] as SmsRecord, tokenA, 'A', 'late')).applied).toBe(false);
    expect((await zombie.retryLater(old[1] as SmsRecord, tokenA, 'A', clock.now())).applied).toBe(false);
    expect(await zombie.extendLease('491700', tokenA, LEASE)).toBe(false);
    expect(await zombie.releaseDestination('491700', tokenA)).toBe(false);
    const { applied } = await zombie.finish(
      old.map((m) => ({ message: m, token: tokenA, owner: 'A', outcome: { type: 'failed', error: 'late' } })),
    );
    expect(applied.size).toBe(0);
    for (const id of ids) {
      const m = await storeB.get(id);
      expect(m?.state).toBe(SmsState.delivered);
      expect(m?.history.at(-1)?.worker).toBe('B');
      // One receipt per message, from B's final transition only.
      expect(await storeB.collections.sms.countDocuments({ 'receiptOf.messageId': id })).toBe(1);
    }
    await Promise.all([a.close(), b.close()]);
    expect(b.state).toBe('stopped');
  });
});
