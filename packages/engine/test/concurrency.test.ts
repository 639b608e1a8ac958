import { compareDestinationOrder, createStore, type SmsRecord, SmsState, type Store } from '@smsc/store';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeliveryContext, type Outlet, Worker } from '../src/index.ts';
import { eventually, message } from './helpers.ts';

const WORKERS = 8;
const BIG = '4917000000000';
const BIG_COUNT = 500;
const SMALL_DESTINATIONS = 300;
const SMALL_EACH = 15;
const TOTAL = BIG_COUNT + SMALL_DESTINATIONS * SMALL_EACH;

/** Watches every delivery: overlap per destination, batch sizes, order, duplicates. */
function recorder() {
  const busy = new Set<string>();
  const delivered = new Map<string, number>();
  const order = new Map<string, SmsRecord[]>();
  const firstSeq = new Map<string, number>();
  const violations: string[] = [];
  let seq = 0;
  let maxBatch = 0;
  const outlet = (name: string): Outlet => ({
    name,
    targets: ['test'],
    async deliver(destination: string, messages: readonly SmsRecord[], _ctx: DeliveryContext) {
      if (busy.has(destination)) violations.push(`overlap on ${destination}`);
      busy.add(destination);
      maxBatch = Math.max(maxBatch, messages.length);
      if (!firstSeq.has(destination)) firstSeq.set(destination, seq);
      for (const m of messages) {
        if (m.destMsisdn !== destination) violations.push(`${m._id} is not for ${destination}`);
        delivered.set(m._id, (delivered.get(m._id) ?? 0) + 1);
        const list = order.get(destination) ?? [];
        list.push(m);
        order.set(destination, list);
        seq += 1;
      }
      // Let other workers run while this batch is "on the wire".
      await new Promise((r) => setTimeout(r, Math.random() < 0.2 ? 2 : 0));
      busy.delete(destination);
      return messages.map(() => ({ status: 'delivered' as const }));
    },
  });
  return { outlet, delivered, order, firstSeq, violations, maxBatch: () => maxBatch, total: () => seq };
}

describe('many workers on separate clients', () => {
  let mongo: TestMongo;
  let store: Store;
  beforeAll(async () => {
    mongo = await useTestMongo();
    store = createStore({ db: await mongo.db() });
    await store.migrate();
  });
  afterAll(() => mongo.close());

  it('delivers every message exactly once, one batch per destination at a time, in priority-then-arrival order', async () => {
    // Interleave destinations so that arrival order mixes them; a few messages jump the queue by priority.
    const queued: string[] = [];
    const jobs: Promise<unknown>[] = [];
    let small = 0;
    for (let j = 0; j < TOTAL; j += 1) {
      // Every tenth message goes to the big destination; the rest round-robin over the small ones.
      const toBig = j % 10 === 0;
      const dest = toBig ? BIG : `4916${String(small++ % SMALL_DESTINATIONS).padStart(9, '0')}`;
      const priority = j % 37 === 0 ? 2 : j % 53 === 0 ? 1 : 0;
      jobs.push(store.queue(message(dest, { priority })).then((m) => queued.push(m._id)));
      if (jobs.length === 100) await Promise.all(jobs.splice(0));
    }
    await Promise.all(jobs);
    expect(queued.length).toBe(TOTAL);
    expect(await store.collections.sms.countDocuments({ destMsisdn: BIG })).toBe(BIG_COUNT);

    const rec = recorder();
    const workers: Worker[] = [];
    for (let w = 0; w < WORKERS; w += 1) {
      const client = await mongo.newClient();
      const s = createStore({ db: client.db(mongo.dbName) });
      workers.push(
        new Worker({
          store: s,
          outlets: [rec.outlet(`o${w}`)],
          id: `w${w}`,
          concurrency: 4,
          leaseMs: 20_000,
        }),
      );
    }
    await Promise.all(workers.map((w) => w.start()));
    await eventually(() => rec.delivered.size === TOTAL, 55_000, 50);
    await Promise.all(workers.map((w) => w.drain({ timeoutMs: 5000 })));

    expect(rec.violations).toEqual([]);
    expect([...rec.delivered.values()].every((n) => n === 1)).toBe(true);
    expect(rec.maxBatch()).toBeLessThanOrEqual(4);
    expect(rec.maxBatch()).toBe(4);
    for (const [dest, list] of rec.order) {
      const sorted = [...list].sort(compareDestinationOrder);
      expect(
        list.map((m) => m._id),
        `order for ${dest}`,
      ).toEqual(sorted.map((m) => m._id));
    }
    // No destination starves: each one is first served in the first half of the run.
    expect(rec.order.size).toBe(SMALL_DESTINATIONS + 1);
    for (const [dest, first] of rec.firstSeq) expect(first, dest).toBeLessThan(TOTAL / 2);
    expect(await store.collections.sms.countDocuments({ state: SmsState.delivered })).toBe(TOTAL);
    expect(await store.collections.locks.countDocuments({ kind: 'destination' })).toBe(0);
    for (const w of workers) expect(w.state).toBe('stopped');
  }, 60_000);
});
