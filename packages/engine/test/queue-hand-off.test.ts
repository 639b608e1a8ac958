import { createBatchQueue, createStore, type SmsRecord, SmsState, type Store } from '@smsc/store';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Outlet, Worker } from '../src/index.ts';
import { eventually, message, scriptedOutlet } from './helpers.ts';

// A caught-up worker takes messages as this process's inserter stores them (createBatchQueue
// claims, Worker.offerQueueClaim): stored claimed, delivered without an event or a claim round,
// the destination released by the outcome's write.
describe('messages handed to a worker as they are stored', () => {
  let mongo: TestMongo;
  let store: Store;
  beforeAll(async () => {
    mongo = await useTestMongo();
  });
  beforeEach(async () => {
    store = createStore({
      db: (await mongo.client()).db(`${mongo.dbName}_${Math.random().toString(36).slice(2, 8)}`),
    });
    await store.migrate();
  });
  afterAll(() => mongo.close());

  it('delivers them in order with no claim round, and releases the destination', async () => {
    const outlet = scriptedOutlet(() => ({ status: 'delivered' }));
    const client = await mongo.newClient({ monitorCommands: true });
    const workerStore = createStore({ db: client.db(store.collections.sms.dbName) });
    const reads: string[] = [];
    client.on('commandStarted', (e: { commandName: string }) => {
      if (e.commandName === 'find' || e.commandName === 'getMore') reads.push(e.commandName);
    });
    const worker = new Worker({
      store: workerStore,
      outlets: [outlet],
      tail: false,
      scanIntervalMs: 600_000,
    });
    // Not caught up before its first round has looked.
    expect(worker.offerQueueClaim()).toBeUndefined();
    await worker.start();
    await worker.whenIdle();
    reads.length = 0;
    const q = createBatchQueue(store, {
      claims: (target) => (target === 'test' ? worker.offerQueueClaim() : undefined),
    });
    const results = await q.queueMany([1, 2, 3].map(() => message('7200')));
    const ids = results.map((r) => (r.ok ? r.record._id : ''));
    await eventually(
      async () => (await store.find({ _id: { $in: ids }, state: SmsState.delivered })).length === 3,
    );
    expect(outlet.calls.map((batch) => batch.map((m) => m._id))).toEqual([ids]);
    for (const id of ids) {
      const m = (await store.get(id)) as SmsRecord;
      expect(m.history.map((h) => [h.worker, h.outcome])).toEqual([
        [worker.id, 'claimed'],
        [worker.id, 'delivered'],
      ]);
      const events = await store.collections.events.find({ smsId: id }).toArray();
      expect(events.map((e) => e.type)).toEqual(['sms.delivered']);
    }
    await eventually(async () => (await store.collections.locks.countDocuments({ _id: '7200' })) === 0);
    // Neither the hand-off nor the end of its batch made the worker look for work.
    await worker.whenIdle();
    expect(reads).toEqual([]);
    await worker.close();
    await client.close();
  });

  it('offers nothing until its first claim round has looked for a backlog', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const slow: Store = {
      ...store,
      claimMany: async (options) => {
        await gate;
        return store.claimMany(options);
      },
    };
    const worker = new Worker({
      store: slow,
      outlets: [scriptedOutlet(() => ({ status: 'delivered' }))],
      tail: false,
    });
    await worker.start();
    expect(worker.state).toBe('running');
    expect(worker.offerQueueClaim()).toBeUndefined();
    open();
    await eventually(() => worker.offerQueueClaim() !== undefined);
    await worker.close();
  });

  it('offers nothing while behind or stopped, and gives back what it is handed after it stopped', async () => {
    // Behind: its last round found work for every slot it had (a backlog); a slot is free, but
    // while work is plentiful it waits for two before the next round.
    const gates: (() => void)[] = [];
    const calls: SmsRecord[][] = [];
    const outlet: Outlet = {
      name: 'gated',
      targets: ['test'],
      async deliver(_d, messages) {
        calls.push([...messages]);
        await new Promise<void>((resolve) => gates.push(resolve));
        return messages.map(() => ({ status: 'delivered' as const }));
      },
    };
    for (let i = 0; i < 6; i += 1) await store.queue(message(`730${i}`));
    const worker = new Worker({ store, outlets: [outlet], tail: false, concurrency: 4, minClaimSlots: 2 });
    expect(worker.offerQueueClaim()).toBeUndefined();
    await worker.start();
    await eventually(() => gates.length === 4);
    gates.shift()!();
    await eventually(() => worker.inFlight === 3);
    expect(worker.offerQueueClaim()).toBeUndefined();
    // Caught up once a round finds less than its slots: the backlog is gone.
    for (const open of gates.splice(0)) open();
    await eventually(() => gates.length === 2);
    for (const open of gates.splice(0)) open();
    await eventually(async () => (await store.find({ state: SmsState.delivered })).length === 6);
    await worker.whenIdle();
    expect(worker.offerQueueClaim()).toBeDefined();

    const offer = worker.offerQueueClaim();
    await worker.close();
    expect(worker.offerQueueClaim()).toBeUndefined();
    // A write that got the offer before the stop stores its message claimed for it...
    const q = createBatchQueue(store, { claims: () => offer });
    const [r] = await q.queueMany([message('7399')]);
    const id = r!.ok ? r!.record._id : '';
    // ...and the stopped worker queues it again at once, and frees the destination.
    await eventually(async () => (await store.get(id))?.state === SmsState.queued);
    await eventually(async () => (await store.collections.locks.countDocuments({ _id: '7399' })) === 0);
    expect((await store.get(id))?.history.map((h) => h.outcome)).toEqual(['claimed', 'released']);
    expect(calls).toHaveLength(6);
  });
});
