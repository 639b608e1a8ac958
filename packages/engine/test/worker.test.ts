import { createStore, type SmsEvent, SmsState, type Store } from '@smsc/store';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DeliveryResult,
  DuplicateTargetError,
  InvalidWorkerStateError,
  type Outlet,
  Worker,
} from '../src/index.ts';
import { eventually, message, scriptedOutlet } from './helpers.ts';

describe('worker', () => {
  let mongo: TestMongo;
  let store: Store;
  beforeAll(async () => {
    mongo = await useTestMongo();
    store = createStore({ db: await mongo.db() });
    await store.migrate();
  });
  afterAll(() => mongo.close());

  it('wakes on the event of a message queued while it idles, without being poked', async () => {
    const outlet = scriptedOutlet(() => ({ status: 'delivered' }));
    const states: string[] = [];
    const w = new Worker({
      store,
      outlets: [outlet],
      scanIntervalMs: 600_000,
      tail: { maxAwaitTimeMS: 200 },
    });
    w.on('state', (s: string) => states.push(s));
    await w.start();
    expect(w.state).toBe('running');
    const m = await store.queue(message('6001'));
    await eventually(async () => (await store.get(m._id))?.state === SmsState.delivered, 5000);
    await w.close();
    expect(states).toEqual(['starting', 'running', 'draining', 'stopped']);
  });

  it('claims many destinations per round, and at load waits for a quarter of its slots to free up', async () => {
    const client = await mongo.newClient({ monitorCommands: true });
    const db = client.db(`${mongo.dbName}_rounds`);
    const own = createStore({ db });
    await own.migrate();
    for (let i = 0; i < 40; i += 1) await own.queue(message(`62${String(i).padStart(2, '0')}`));
    const commands: string[] = [];
    client.on('commandStarted', (e: { commandName: string; command: Record<string, unknown> }) => {
      // Claim rounds read and lock `sms` and `locks`; recording goes through the client bulkWrite.
      if (e.commandName === 'find' && e.command.find === 'sms') commands.push('find');
    });
    // Holds every batch until released, so the slots stay taken while the test looks.
    const held: (() => void)[] = [];
    let holding = true;
    const outlet: Outlet = {
      name: 'held',
      targets: ['test'],
      deliver: (_d, messages) =>
        new Promise((resolve) => {
          const done = () => resolve(messages.map(() => ({ status: 'delivered' as const })));
          if (holding) held.push(done);
          else done();
        }),
    };
    const w = new Worker({ store: own, outlets: [outlet], tail: false, concurrency: 16 });
    await w.start();
    await eventually(async () => w.inFlight === 16, 5000);
    // 16 destinations in one round: its find of due heads, the rest of short queues, the head check.
    expect(commands.length).toBeLessThanOrEqual(3);
    commands.length = 0;
    // Three slots free: below a quarter of 16, so no round yet.
    for (const release of held.splice(0, 3)) release();
    await new Promise((r) => setTimeout(r, 200));
    expect(w.inFlight).toBe(13);
    expect(commands).toEqual([]);
    // The fourth frees a quarter: one round claims four destinations at once.
    held.shift()?.();
    await eventually(async () => w.inFlight === 16, 5000);
    holding = false;
    for (const release of held.splice(0)) release();
    await eventually(
      async () => (await own.find({ state: SmsState.delivered }, { limit: 100 })).length === 40,
      10_000,
    );
    await w.close();
    await db.dropDatabase();
  });

  it('claims only the targets its outlets declare', async () => {
    const outlet = scriptedOutlet(() => ({ status: 'delivered' }));
    const other = await store.queue(message('6002', { target: 'http:elsewhere' }));
    const w = new Worker({ store, outlets: [outlet], tail: false });
    await w.start();
    await w.whenIdle();
    expect((await store.get(other._id))?.state).toBe(SmsState.queued);
    await w.close();
  });

  it('drains: stops claiming, lets the batch in flight finish and record, then stops', async () => {
    let finish: (r: DeliveryResult[]) => void = () => undefined;
    let called = false;
    const slow: Outlet = {
      name: 'slow',
      targets: ['test'],
      deliver(_d, messages) {
        called = true;
        return new Promise((resolve) => {
          finish = () => resolve(messages.map(() => ({ status: 'delivered' })));
        });
      },
    };
    const m = await store.queue(message('6003'));
    const w = new Worker({ store, outlets: [slow], tail: false });
    await w.start();
    await eventually(() => called);
    const drained = w.drain({ timeoutMs: 5000 });
    expect(w.state).toBe('draining');
    const later = await store.queue(message('6004'));
    finish([]);
    await drained;
    expect(w.state).toBe('stopped');
    expect((await store.get(m._id))?.state).toBe(SmsState.delivered);
    expect((await store.get(later._id))?.state).toBe(SmsState.queued);
    // close() after stop is the same promise, and starting again is refused.
    expect(w.close()).toBe(w.stop());
    await expect(w.start()).rejects.toBeInstanceOf(InvalidWorkerStateError);
  });

  it('stop aborts the outlet signal and records what the outlet answers', async () => {
    const m = await store.queue(message('6005'));
    let aborted = false;
    const listening: Outlet = {
      name: 'listening',
      targets: ['test'],
      deliver(_d, messages, { signal }) {
        return new Promise((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve(messages.map(() => ({ status: 'temporary', error: 'stopped', retryAfterMs: 0 })));
          });
        });
      },
    };
    const w = new Worker({ store, outlets: [listening], tail: false });
    await w.start();
    await eventually(async () => (await store.get(m._id))?.state === SmsState.delivering);
    await w.stop();
    expect(aborted).toBe(true);
    expect(await store.get(m._id)).toMatchObject({
      state: SmsState.queued,
      lastError: 'stopped',
      lock: null,
    });
    expect(await store.collections.locks.countDocuments({ _id: '6005' })).toBe(0);
  });

  it('treats an outlet that throws as a temporary failure of its batch', async () => {
    const m = await store.queue(message('6006'));
    const broken: Outlet = {
      name: 'broken',
      targets: ['test'],
      async deliver() {
        throw new Error('connection refused');
      },
    };
    const w = new Worker({ store, outlets: [broken], tail: false });
    await w.start();
    await w.whenIdle();
    await w.close();
    expect(await store.get(m._id)).toMatchObject({
      state: SmsState.queued,
      attempts: 1,
      lastError: 'connection refused',
    });
  });

  it('runs no claim round for the final transition of a destination nobody here waits for', async () => {
    const client = await mongo.newClient({ monitorCommands: true });
    const db = client.db(`${mongo.dbName}_finals`);
    const own = createStore({ db });
    await own.migrate();
    let finds = 0;
    client.on('commandStarted', (e: { commandName: string; command: Record<string, unknown> }) => {
      if (e.commandName === 'find' && e.command.find === 'sms') finds += 1;
    });
    const w = new Worker({
      store: own,
      outlets: [scriptedOutlet(() => ({ status: 'delivered' }))],
      tail: false,
    });
    await w.start();
    await w.whenIdle();
    const before = finds;
    const event = { at: new Date(), smsId: 'x', destMsisdn: '6300', target: 'test' };
    w.notify({ ...event, type: 'sms.delivered', state: SmsState.delivered } as SmsEvent);
    await new Promise((r) => setTimeout(r, 100));
    await w.whenIdle();
    expect(finds).toBe(before);
    // Work that may be claimable does start a round.
    w.notify({ ...event, type: 'sms.queued', state: SmsState.queued } as SmsEvent);
    await eventually(() => finds > before, 5000);
    await w.close();
    await db.dropDatabase();
    await client.close();
  });

  it('claims at the final transition that frees a destination it found held, not at its recheck', async () => {
    const m = await store.queue(message('6301'));
    const holder = { owner: 'elsewhere', token: store.newToken(), leaseMs: 30_000 };
    expect(await store.claimDestination('6301', holder)).toBe(true);
    const w = new Worker({
      store,
      outlets: [scriptedOutlet(() => ({ status: 'delivered' }))],
      tail: false,
      busyRecheckMs: 600_000,
    });
    await w.start();
    await w.whenIdle();
    expect((await store.get(m._id))?.state).toBe(SmsState.queued);
    expect(await store.releaseDestination('6301', holder.token)).toBe(true);
    w.notify({
      type: 'sms.delivered',
      at: new Date(),
      smsId: 'other',
      destMsisdn: '6301',
      target: 'test',
      state: SmsState.delivered,
    } as SmsEvent);
    await eventually(async () => (await store.get(m._id))?.state === SmsState.delivered, 5000);
    await w.close();
  });

  it('refuses two outlets for one target', () => {
    const o = scriptedOutlet(() => ({ status: 'delivered' }));
    expect(() => new Worker({ store, outlets: [o, o] })).toThrow(DuplicateTargetError);
  });
});
