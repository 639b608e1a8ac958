import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store, type TailItem } from '../src/index.ts';
import { migratedStore } from './helpers.ts';

async function take(it: AsyncIterator<TailItem>, n: number): Promise<TailItem[]> {
  const out: TailItem[] = [];
  for (let i = 0; i < n; i += 1) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

describe('event tailing', () => {
  let mongo: TestMongo;
  let store: Store;
  beforeAll(async () => {
    mongo = await useTestMongo();
    store = await migratedStore(await mongo.db());
  });
  afterAll(() => mongo.close());

  it('opens with a gap at the newest entry, then yields only what came after, in order', async () => {
    await store.appendEvents([{ type: 'old', at: new Date() }]);
    const ac = new AbortController();
    const it = store.tailEvents({ signal: ac.signal, maxAwaitTimeMS: 200 });
    expect(await take(it, 1)).toEqual([{ kind: 'gap', reason: 'opened' }]);
    const pending = take(it, 3);
    await store.appendEvents([{ type: 'a', at: new Date() }]);
    await store.appendEvents([
      { type: 'b', at: new Date() },
      { type: 'c', at: new Date() },
    ]);
    const items = await pending;
    expect(items.map((i) => (i.kind === 'event' ? i.event.type : i.kind))).toEqual(['a', 'b', 'c']);
    ac.abort();
    await it.return?.();
  });

  it('yields only the types asked for, when asked', async () => {
    const ac = new AbortController();
    const it = store.tailEvents({
      signal: ac.signal,
      maxAwaitTimeMS: 200,
      types: ['sms.queued', 'sms.retry'],
    });
    expect(await take(it, 1)).toEqual([{ kind: 'gap', reason: 'opened' }]);
    const pending = take(it, 2);
    await store.appendEvents([
      { type: 'sms.queued', at: new Date() },
      { type: 'sms.delivered', at: new Date() },
      { type: 'sms.failed', at: new Date() },
      { type: 'sms.retry', at: new Date() },
    ]);
    const items = await pending;
    expect(items.map((i) => (i.kind === 'event' ? i.event.type : i.kind))).toEqual([
      'sms.queued',
      'sms.retry',
    ]);
    ac.abort();
    await it.return?.();
  });

  it('ends when its signal is aborted while waiting on the server', async () => {
    const ac = new AbortController();
    const it = store.tailEvents({ signal: ac.signal, maxAwaitTimeMS: 5000 });
    await take(it, 1);
    const next = it.next();
    setTimeout(() => ac.abort(), 50);
    await expect(next).resolves.toEqual({ done: true, value: undefined });
  });

  it('survives an empty capped collection (whose cursor dies at once) and delivers the first event', async () => {
    const db = (await mongo.client()).db(`${mongo.dbName}_empty`);
    await db.createCollection('events', { capped: true, size: 65536 });
    const bare = createStore({ db });
    const ac = new AbortController();
    const it = bare.tailEvents({ signal: ac.signal, maxAwaitTimeMS: 100, retryDelayMs: 20 });
    await take(it, 1);
    setTimeout(() => void bare.appendEvents([{ type: 'first', at: new Date() }]), 60);
    let found: string | undefined;
    for (let i = 0; i < 50 && !found; i += 1) {
      const [item] = await take(it, 1);
      if (item?.kind === 'event') found = item.event.type;
    }
    expect(found).toBe('first');
    ac.abort();
    await it.return?.();
    await db.dropDatabase();
  });

  it('re-opens from the newest entry with a gap when its position was evicted (CappedPositionLost)', async () => {
    const db = (await mongo.client()).db(`${mongo.dbName}_lost`);
    const small = await migratedStore(db, { eventsSizeBytes: 4096 });
    const ac = new AbortController();
    const it = small.tailEvents({ signal: ac.signal, maxAwaitTimeMS: 100, retryDelayMs: 20 });
    await take(it, 1);
    await small.appendEvents([{ type: 'seen', at: new Date() }]);
    expect((await take(it, 1))[0]).toMatchObject({ kind: 'event', event: { type: 'seen' } });
    // Overflow the collection many times while the reader is not reading.
    for (let i = 0; i < 20; i += 1) {
      await small.appendEvents(
        Array.from({ length: 10 }, (_, j) => ({
          type: `flood-${i}-${j}`,
          at: new Date(),
          data: { pad: 'x'.repeat(100) },
        })),
      );
    }
    const kinds: string[] = [];
    for (let i = 0; i < 100; i += 1) {
      const [item] = await take(it, 1);
      if (!item) break;
      kinds.push(item.kind === 'gap' ? 'gap' : 'event');
      if (item.kind === 'gap') break;
    }
    expect(kinds).toContain('gap');
    await small.appendEvents([{ type: 'after', at: new Date() }]);
    expect((await take(it, 1))[0]).toMatchObject({ kind: 'event', event: { type: 'after' } });
    ac.abort();
    await it.return?.();
    await db.dropDatabase();
  });
});
