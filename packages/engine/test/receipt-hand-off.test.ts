import { createStore, RECEIPT_ID_SUFFIX, type SmsRecord, SmsState, type Store } from '@smsc/store';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Outlet, Worker } from '../src/index.ts';
import { eventually, message, scriptedOutlet } from './helpers.ts';

// A worker whose final transitions owe receipts hands them to the worker of this process that
// serves the receipts' target: stored claimed by it, delivered without a claim round.
describe('receipt hand-off between workers', () => {
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

  function receiptOutlet(): Outlet & { sent: SmsRecord[] } {
    const sent: SmsRecord[] = [];
    return {
      name: 'esme:acme',
      targets: ['esme:acme'],
      sent,
      async deliver(_d, messages) {
        sent.push(...messages);
        return messages.map(() => ({ status: 'delivered' as const }));
      },
    };
  }

  it('delivers receipts through the receiving worker at once, with no queued event and no claim round', async () => {
    const outlet = receiptOutlet();
    // The receipt worker on a client of its own, to see that it reads nothing to find them.
    const client = await mongo.newClient({ monitorCommands: true });
    const receiptStore = createStore({ db: client.db(store.collections.sms.dbName) });
    const reads: string[] = [];
    client.on('commandStarted', (e: { commandName: string }) => {
      if (e.commandName === 'find' || e.commandName === 'getMore') reads.push(e.commandName);
    });
    // No tail, no scan for the whole test: a queued receipt would wait here for good.
    const receipts = new Worker({
      store: receiptStore,
      outlets: [outlet],
      tail: false,
      scanIntervalMs: 600_000,
    });
    const messages = new Worker({
      store,
      outlets: [scriptedOutlet(() => ({ status: 'delivered' }))],
      tail: false,
      receiptHandOffs: (target) => (target === 'esme:acme' ? receipts.offerReceiptClaim() : undefined),
    });
    await receipts.start();
    await receipts.whenIdle();
    reads.length = 0;
    await messages.start();
    // The first finish finds out that the server has the multi-collection bulkWrite.
    await store.queue(message('7000'));
    messages.poke();
    await eventually(async () => (await store.find({ state: SmsState.delivered })).length === 1);
    const queued: SmsRecord[] = [];
    for (let i = 1; i <= 6; i += 1) queued.push(await store.queue(message(`700${i}`, { receipt: 'final' })));
    messages.poke();
    const ids = queued.map((m) => m._id + RECEIPT_ID_SUFFIX);
    await eventually(
      async () => (await store.find({ _id: { $in: ids }, state: SmsState.delivered })).length === 6,
    );
    expect(outlet.sent.map((r) => r._id).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const receipt = await store.get(id);
      expect(receipt?.history.map((h) => [h.worker, h.outcome])).toEqual([
        [receipts.id, 'claimed'],
        [receipts.id, 'delivered'],
      ]);
      const events = await store.collections.events.find({ smsId: id }).toArray();
      expect(events.map((e) => e.type)).toEqual(['sms.delivered']);
    }
    for (const m of queued) expect((await store.get(m._id))?.receiptPending).toBeUndefined();
    // No claim round: neither the hand-off nor the end of its batches made it look for work.
    expect(reads).toEqual([]);
    await messages.close();
    await receipts.close();
    await client.close();
  });

  it('offers nothing once stopped, and gives back receipts handed to it after it stopped', async () => {
    const receipts = new Worker({ store, outlets: [receiptOutlet()], tail: false });
    await receipts.start();
    const claim = receipts.offerReceiptClaim();
    expect(claim).toMatchObject({ owner: receipts.id, leaseMs: 30_000 });
    await receipts.close();
    expect(receipts.offerReceiptClaim()).toBeUndefined();
    // A finish that asked before the stop stores its receipts claimed for it...
    const first = await store.queue(message('7100'));
    const m = await store.queue(message('7101', { receipt: 'final' }));
    const token = store.newToken();
    const owner = 'w';
    const claimAll = { owner, token, leaseMs: 30_000, targets: ['test'], maxDestinations: 2 };
    const { batches } = await store.claimMany(claimAll);
    const [a, b] = batches.map((x) => x.batch[0]!);
    await store.finish([
      { message: a!._id === first._id ? a! : b!, token, owner, outcome: { type: 'delivered' } },
    ]);
    const rest = a!._id === m._id ? a! : b!;
    const { claimedReceipts } = await store.finish(
      [{ message: rest, token, owner, outcome: { type: 'delivered' } }],
      [],
      {
        claimReceipts: () => claim,
      },
    );
    expect(claimedReceipts.map((c) => c.receipts.length)).toEqual([1]);
    // ...and the stopped worker queues them again at once instead of leaving them to their lease.
    claim!.adopt(claimedReceipts[0]!.receipts);
    await eventually(async () => (await store.get(m._id + RECEIPT_ID_SUFFIX))?.state === SmsState.queued);
    expect((await store.get(m._id + RECEIPT_ID_SUFFIX))?.lock).toBeNull();
  });
});
