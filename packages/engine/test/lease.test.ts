import { createStore, SmsState, type Store } from '@smsc/store';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeliveryResult, type Outlet, Worker } from '../src/index.ts';
import { eventually, message, scriptedOutlet } from './helpers.ts';

describe('leases while a batch is in flight', () => {
  let mongo: TestMongo;
  let store: Store;
  beforeAll(async () => {
    mongo = await useTestMongo();
    store = createStore({ db: await mongo.db() });
    await store.migrate();
  });
  afterAll(() => mongo.close());

  it('renews the lease of a slow batch so that no other worker takes its destination over', async () => {
    let finish: () => void = () => undefined;
    let calls = 0;
    const slow: Outlet = {
      name: 'slow',
      targets: ['test'],
      deliver(_d, messages) {
        calls += 1;
        return new Promise<DeliveryResult[]>((resolve) => {
          finish = () => resolve(messages.map(() => ({ status: 'delivered' })));
        });
      },
    };
    const m = await store.queue(message('8001'));
    const holder = new Worker({ store, outlets: [slow], tail: false, leaseMs: 300, renewEveryMs: 60 });
    await holder.start();
    await eventually(() => calls === 1);
    const rival = scriptedOutlet(() => ({ status: 'delivered' }));
    const other = new Worker({ store, outlets: [rival], tail: false, leaseMs: 300 });
    await other.start();
    // Five leases long: without renewal the rival would take the message over.
    for (let i = 0; i < 10; i += 1) {
      await new Promise((r) => setTimeout(r, 150));
      other.poke();
      await other.whenIdle();
    }
    expect(rival.calls).toHaveLength(0);
    finish();
    await holder.whenIdle();
    expect(await store.get(m._id)).toMatchObject({ state: SmsState.delivered, attempts: 1 });
    await Promise.all([holder.close(), other.close()]);
  });

  it('fails when its client is closed under it, and closes cleanly afterwards', async () => {
    const client = await mongo.newClient();
    const own = createStore({ db: client.db(mongo.dbName) });
    const w = new Worker({
      store: own,
      outlets: [scriptedOutlet(() => ({ status: 'delivered' }))],
      tail: false,
    });
    await w.start();
    await w.whenIdle();
    await client.close();
    w.poke();
    await eventually(() => w.state === 'failed' || w.state === 'running', 2000);
    await w.whenIdle();
    expect(w.state).toBe('failed');
    expect(w.failure).toBeInstanceOf(Error);
    await w.close();
    expect(w.state).toBe('failed');
  });
});
