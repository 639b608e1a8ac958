import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import type { Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ClaimedBatch,
  createBatchQueue,
  type QueueHandOff,
  type SmsRecord,
  SmsState,
  type Store,
} from '../src/index.ts';
import { type FakeClock, fakeClock, message, migratedStore, recordCommands } from './helpers.ts';

const LEASE = 30_000;

// Messages stored already claimed by a worker of the inserting process (createBatchQueue claims):
// the destination's lock upsert and the inserts in one command, the head check after, the batches
// handed over; whatever may not be sent is given back to `queued` before anything is.
describe('createBatchQueue with claims', () => {
  let mongo: TestMongo;
  let client: MongoClient;
  let store: Store;
  let clock: FakeClock;
  const dbs: Db[] = [];

  beforeAll(async () => {
    mongo = await useTestMongo();
    client = await mongo.newClient({ monitorCommands: true });
  });
  beforeEach(async () => {
    clock = fakeClock();
    const db = client.db(`${mongo.dbName}_${Math.random().toString(36).slice(2, 8)}`);
    dbs.push(db);
    store = await migratedStore(db, { now: clock.now });
  });
  afterAll(async () => {
    for (const db of dbs) await db.dropDatabase();
    await mongo.close();
  });

  /** A hand-off for target smpp:up that records what it is given; a fresh token per offer. */
  function worker(maxDestinations = 128) {
    const adopted: ClaimedBatch[][] = [];
    const offers: QueueHandOff[] = [];
    let n = 0;
    const claims = (target: string): QueueHandOff | undefined => {
      if (target !== 'smpp:up') return undefined;
      n += 1;
      const offer: QueueHandOff = {
        owner: 'up-worker',
        token: `token-${n}`,
        leaseMs: LEASE,
        maxDestinations,
        adopt: (batches) => adopted.push(batches),
      };
      offers.push(offer);
      return offer;
    };
    return { claims, adopted, offers };
  }

  const eventsOf = async (smsId: string) =>
    (await store.collections.events.find({ smsId }).toArray()).map((e) => e.type);
  const stateOf = async (id: string) => (await store.get(id))?.state;

  it('stores a message claimed, its destination locked by the offer, one command, and hands it over', async () => {
    const w = worker();
    const q = createBatchQueue(store, { claims: w.claims });
    const commands: string[] = [];
    const [r] = await recordCommands(client, commands, () => q.queueMany([message('5001')]));
    expect(r!.ok).toBe(true);
    const stored = r!.ok ? r!.record : (undefined as never);
    // One multi-collection command before the answer: the lock upsert and the insert.
    expect(commands).toEqual(['bulkWrite']);
    await vi.waitFor(() => expect(w.adopted).toHaveLength(1));
    const [batch] = w.adopted[0]!;
    expect(batch!.destMsisdn).toBe('5001');
    expect(batch!.batch.map((m) => m._id)).toEqual([stored._id]);
    const doc = (await store.get(stored._id)) as SmsRecord;
    expect(doc.state).toBe(SmsState.delivering);
    expect(doc.lock).toEqual({
      owner: 'up-worker',
      token: 'token-1',
      until: new Date(clock.now().getTime() + LEASE),
    });
    expect(doc.history.map((h) => h.outcome)).toEqual(['claimed']);
    const lock = await store.collections.locks.findOne({ _id: '5001' });
    expect(lock).toMatchObject({ token: 'token-1', owner: 'up-worker', kind: 'destination' });
    // Nobody else needs waking for it.
    expect(await eventsOf(stored._id)).toEqual([]);
  });

  it('claims at most four per destination, in order; the rest is queued with its event', async () => {
    const w = worker();
    const q = createBatchQueue(store, { claims: w.claims });
    const results = await q.queueMany([1, 2, 3, 4, 5].map((i) => message('5002', {}, `part ${i}`)));
    const ids = results.map((r) => (r.ok ? r.record._id : ''));
    await vi.waitFor(() => expect(w.adopted).toHaveLength(1));
    expect(w.adopted[0]![0]!.batch.map((m) => m._id)).toEqual(ids.slice(0, 4));
    expect(await stateOf(ids[4]!)).toBe(SmsState.queued);
    expect(await eventsOf(ids[4]!)).toEqual(['sms.queued']);
  });

  it('gives the message back to queued when another worker holds the destination', async () => {
    await store.collections.locks.insertOne({
      _id: '5003',
      kind: 'destination',
      owner: 'other',
      token: 'other-token',
      until: new Date(clock.now().getTime() + LEASE),
      since: clock.now(),
    });
    const w = worker();
    const q = createBatchQueue(store, { claims: w.claims });
    const [r] = await q.queueMany([message('5003')]);
    const id = r!.ok ? r!.record._id : '';
    await vi.waitFor(async () => expect(await stateOf(id)).toBe(SmsState.queued));
    const doc = (await store.get(id)) as SmsRecord;
    expect(doc.lock).toBeNull();
    expect(doc.history.map((h) => h.outcome)).toEqual(['claimed', 'released']);
    expect(await eventsOf(id)).toEqual(['sms.queued']);
    expect(w.adopted).toEqual([]);
    // The other holder's lock is untouched.
    expect(await store.collections.locks.findOne({ _id: '5003' })).toMatchObject({ token: 'other-token' });
  });

  it('gives back and unlocks when an older message of the destination is still active', async () => {
    // An older message waiting for its retry holds back the ones behind it.
    const older = await store.queue(message('5004'));
    await store.collections.sms.updateOne({ _id: older._id }, {
      $set: { nextAttemptAt: new Date(clock.now().getTime() + 60_000), attempts: 1 },
      $push: { history: { attempt: 1, at: clock.now(), worker: 'w', outcome: 'retry' } },
    } as never);
    clock.advance(1000);
    const w = worker();
    const q = createBatchQueue(store, { claims: w.claims });
    const [r] = await q.queueMany([message('5004')]);
    const id = r!.ok ? r!.record._id : '';
    await vi.waitFor(async () =>
      expect(await store.collections.locks.countDocuments({ _id: '5004' })).toBe(0),
    );
    expect(await stateOf(id)).toBe(SmsState.queued);
    expect(await eventsOf(id)).toEqual(['sms.queued']);
    expect(w.adopted).toEqual([]);
  });

  it('gives a whole batch back when one of its messages fails to insert, so none overtakes it', async () => {
    // A unique index the second message violates: its insert fails, the others of its batch land.
    await store.collections.sms.createIndex({ route: 1 }, { unique: true, sparse: true, name: 'test_route' });
    await store.collections.sms.insertOne({ _id: 'blocker', route: 'taken' } as never);
    const w = worker();
    const q = createBatchQueue(store, { claims: w.claims });
    const results = await q.queueMany([
      message('5012', {}, 'first'),
      message('5012', { route: 'taken' }, 'second'),
      message('5012', {}, 'third'),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    const ids = [results[0], results[2]].map((r) => (r!.ok ? r!.record._id : ''));
    await vi.waitFor(async () =>
      expect(await store.collections.locks.countDocuments({ _id: '5012' })).toBe(0),
    );
    for (const id of ids) {
      expect(await stateOf(id)).toBe(SmsState.queued);
      expect((await store.get(id))?.history.map((h) => h.outcome)).toEqual(['claimed', 'released']);
      expect(await eventsOf(id)).toEqual(['sms.queued']);
    }
    expect(w.adopted).toEqual([]);
  });

  it('queues scheduled messages, messages of other targets, and destinations beyond the offer', async () => {
    const w = worker(1);
    const q = createBatchQueue(store, { claims: w.claims });
    const results = await q.queueMany([
      message('5005', { scheduledAt: new Date(clock.now().getTime() + 60_000) }),
      message('5006', { target: 'smpp:other' }),
      message('5007'),
      message('5008'),
    ]);
    const ids = results.map((r) => (r.ok ? r.record._id : ''));
    await vi.waitFor(() => expect(w.adopted).toHaveLength(1));
    expect(w.adopted[0]!.map((b) => b.destMsisdn)).toEqual(['5007']);
    for (const i of [0, 1, 3]) {
      expect(await stateOf(ids[i]!)).toBe(SmsState.queued);
      expect(await eventsOf(ids[i]!)).toEqual(['sms.queued']);
    }
  });

  it('does not let a later write overtake one still claiming the same destination', async () => {
    const w = worker();
    const q = createBatchQueue(store, { claims: w.claims });
    const [a, b] = await Promise.all([
      q.queueMany([message('5009', {}, 'first')]),
      q.queueMany([message('5009', {}, 'second')]),
    ]);
    const first = a[0]!.ok ? a[0]!.record._id : '';
    const second = b[0]!.ok ? b[0]!.record._id : '';
    await vi.waitFor(() => expect(w.adopted).toHaveLength(1));
    expect(w.adopted[0]![0]!.batch.map((m) => m._id)).toEqual([first]);
    // Stored queued at once, never claimed: its write did not even try the destination (had it
    // won the lock first, it would have overtaken the first message).
    await vi.waitFor(async () => expect(await stateOf(second)).toBe(SmsState.queued));
    expect((await store.get(second))?.history).toEqual([]);
  });

  it('without a hand-off, or without the multi-collection bulkWrite, queues as before', async () => {
    const commands: string[] = [];
    const none = createBatchQueue(store, { claims: () => undefined });
    const [r] = await recordCommands(client, commands, () => none.queueMany([message('5010')]));
    expect(commands).toEqual(['insert', 'insert']);
    expect(r!.ok && r!.record.state).toBe(SmsState.queued);

    const db = client.db(`${mongo.dbName}_${Math.random().toString(36).slice(2, 8)}`);
    dbs.push(db);
    const single = await migratedStore(db, { now: clock.now, multiCollectionWrites: false });
    const w = worker();
    const [s] = await createBatchQueue(single, { claims: w.claims }).queueMany([message('5011')]);
    expect(s!.ok && s!.record.state).toBe(SmsState.queued);
    expect(await single.collections.locks.countDocuments()).toBe(0);
    expect(w.offers).toEqual([]);
  });
});
