import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { type Db, Long } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc } from './doc-type.ts';

type CursorReply = { cursor: { id: unknown; firstBatch?: Doc[]; nextBatch?: Doc[] } };

const name = () => `cap${Math.random().toString(36).slice(2, 8)}`;
const idOf = (r: CursorReply) => Long.fromValue(r.cursor.id as number | Long);

describe('capped collections and tailable cursors', () => {
  let mongo: TestMongo;
  let db: Db;
  beforeAll(async () => {
    mongo = await useTestMongo();
    db = await mongo.db();
  });
  afterAll(() => mongo.close());

  async function tail(coll: string, extra: Doc = {}): Promise<CursorReply> {
    return (await db.command({
      find: coll,
      filter: {},
      tailable: true,
      awaitData: true,
      ...extra,
    })) as CursorReply;
  }

  async function getMore(coll: string, id: Long, maxTimeMS: number): Promise<CursorReply> {
    return (await db.command({ getMore: id, collection: coll, maxTimeMS })) as CursorReply;
  }

  it('creates a capped collection whose options listCollections reports', async () => {
    const n = name();
    await db.createCollection(n, { capped: true, size: 10_000, max: 3 });
    const [info] = await db.listCollections({ name: n }).toArray();
    const options = (info as { options?: Doc } | undefined)?.options;
    expect(options).toMatchObject({ capped: true, max: 3 });
    // MongoDB may round the size up (to a multiple of 256); never down.
    expect(Number(options?.size)).toBeGreaterThanOrEqual(10_000);
    await expect(db.createCollection(n, { capped: true, size: 10_000 })).rejects.toMatchObject({ code: 48 });
  });

  it('keeps insertion order and evicts the oldest by count', async () => {
    const n = name();
    const coll = await db.createCollection<Doc>(n, { capped: true, size: 100_000, max: 3 });
    for (let i = 1; i <= 5; i++) await coll.insertOne({ i });
    expect((await coll.find({}).toArray()).map((d) => d.i)).toEqual([3, 4, 5]);
    expect((await coll.find({}).sort({ $natural: -1 }).toArray()).map((d) => d.i)).toEqual([5, 4, 3]);
  });

  it('evicts the oldest by total size', async () => {
    const n = name();
    const coll = await db.createCollection<Doc>(n, { capped: true, size: 4096 });
    const pad = 'x'.repeat(1000);
    for (let i = 0; i < 10; i++) await coll.insertOne({ i, pad });
    const left = (await coll.find({}).toArray()).map((d) => d.i);
    expect(left.length).toBeLessThan(5);
    expect(left).toEqual(Array.from({ length: left.length }, (_, k) => 10 - left.length + k));
  });

  it('returns cursor id 0 for a tailable cursor on an empty capped collection', async () => {
    const n = name();
    await db.createCollection(n, { capped: true, size: 4096 });
    const r = await tail(n);
    expect(idOf(r).isZero()).toBe(true);
    expect(r.cursor.firstBatch).toEqual([]);
  });

  it('keeps a tailable cursor open on a non-empty collection with no match', async () => {
    const n = name();
    const coll = await db.createCollection<Doc>(n, { capped: true, size: 4096 });
    await coll.insertOne({ kind: 'a' });
    const r = await tail(n, { filter: { kind: 'b' } });
    const id = idOf(r);
    expect(id.isZero()).toBe(false);
    expect(r.cursor.firstBatch).toEqual([]);
    await coll.insertOne({ kind: 'b', n: 1 });
    const more = await getMore(n, id, 1000);
    expect(more.cursor.nextBatch?.map((d) => d.n)).toEqual([1]);
    await db.command({ killCursors: n, cursors: [id] });
  });

  it('awaitData getMore waits for maxTimeMS, then returns an empty batch on the same cursor', async () => {
    const n = name();
    const coll = await db.createCollection<Doc>(n, { capped: true, size: 4096 });
    await coll.insertOne({ i: 0 });
    const r = await tail(n);
    const id = idOf(r);
    const started = performance.now();
    const more = await getMore(n, id, 300);
    const waited = performance.now() - started;
    expect(more.cursor.nextBatch).toEqual([]);
    expect(idOf(more).equals(id)).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(250);
    await db.command({ killCursors: n, cursors: [id] });
  });

  it('wakes a waiting awaitData getMore as soon as a document is inserted', async () => {
    const n = name();
    const coll = await db.createCollection<Doc>(n, { capped: true, size: 4096 });
    await coll.insertOne({ i: 0 });
    const id = idOf(await tail(n));
    const started = performance.now();
    const pending = getMore(n, id, 10_000);
    setTimeout(() => void coll.insertOne({ i: 1 }), 100);
    const more = await pending;
    expect(more.cursor.nextBatch?.map((d) => d.i)).toEqual([1]);
    // Far below the 10 s maxTimeMS: the insert, not the timeout, ended the wait.
    expect(performance.now() - started).toBeLessThan(5_000);
    await db.command({ killCursors: n, cursors: [id] });
  });

  it('a tailable cursor without awaitData returns an empty batch at once', async () => {
    const n = name();
    const coll = await db.createCollection<Doc>(n, { capped: true, size: 4096 });
    await coll.insertOne({ i: 0 });
    const r = (await db.command({ find: n, filter: {}, tailable: true })) as CursorReply;
    const id = idOf(r);
    const more = (await db.command({ getMore: id, collection: n })) as CursorReply;
    expect(more.cursor.nextBatch).toEqual([]);
    expect(idOf(more).equals(id)).toBe(true);
    await db.command({ killCursors: n, cursors: [id] });
  });

  it('fails getMore with CappedPositionLost when the last examined record was evicted', async () => {
    const n = name();
    const coll = await db.createCollection<Doc>(n, { capped: true, size: 100_000, max: 3 });
    await coll.insertOne({ i: 0 });
    const id = idOf(await tail(n));
    for (let i = 1; i <= 5; i++) await coll.insertOne({ i });
    const err = await getMore(n, id, 100).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 136, codeName: 'CappedPositionLost' });
    // The cursor is dead afterwards.
    await expect(getMore(n, id, 100)).rejects.toMatchObject({ code: 43 });
  });

  it('refuses tailable on a non-capped collection and with a sort other than $natural', async () => {
    const plain = name();
    await db.collection(plain).insertOne({ a: 1 });
    await expect(tail(plain)).rejects.toMatchObject({ code: 2, codeName: 'BadValue' });
    const n = name();
    const coll = await db.createCollection<Doc>(n, { capped: true, size: 4096 });
    await coll.insertOne({ a: 1 });
    await expect(tail(n, { sort: { a: 1 } })).rejects.toMatchObject({ code: 2 });
    await expect(tail(n, { sort: { $natural: -1 } })).rejects.toMatchObject({ code: 2 });
    const ok = await tail(n, { sort: { $natural: 1 } });
    expect(ok.cursor.firstBatch).toHaveLength(1);
    await db.command({ killCursors: n, cursors: [idOf(ok)] });
  });

  it('tails with the driver in a for-await loop, seeing documents inserted later in order', async () => {
    const n = name();
    const coll = await db.createCollection<Doc>(n, { capped: true, size: 100_000 });
    await coll.insertOne({ i: 0 });
    const cursor = coll.find({ i: { $gte: 0 } }, { tailable: true, awaitData: true, maxAwaitTimeMS: 200 });
    const seen: number[] = [];
    const writer = (async () => {
      for (let i = 1; i <= 5; i++) {
        await new Promise((r) => setTimeout(r, 20));
        await coll.insertOne({ i });
      }
    })();
    for await (const d of cursor) {
      seen.push(d.i);
      if (seen.length === 6) break;
    }
    await writer;
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    expect(cursor.closed).toBe(true);
  });

  it('a tail resuming with an _id condition returns the matches in insertion order, not _id order', async () => {
    const n = name();
    await db.createCollection(n, { capped: true, size: 100_000 });
    const c = db.collection<Doc>(n);
    // Insertion order differs from _id order, as with ids from several processes' clocks.
    for (const _id of ['a', 'z', 'b', 'm', 'c']) await c.insertOne({ _id, k: _id === 'm' ? 2 : 1 });
    let r = await tail(n, { filter: { _id: { $gt: 'l' } } });
    expect(r.cursor.firstBatch?.map((d) => d._id)).toEqual(['z', 'm']);
    // With more of the filter: it still applies to every record read.
    r = await tail(n, { filter: { _id: { $gt: 'b' }, k: 1 } });
    expect(r.cursor.firstBatch?.map((d) => d._id)).toEqual(['z', 'c']);
    // Nothing matches yet: the tail waits at the end and sees what comes later.
    r = await tail(n, { filter: { _id: { $gt: 'zz' } } });
    expect(r.cursor.firstBatch).toEqual([]);
    await c.insertOne({ _id: 'zzz', k: 1 });
    await c.insertOne({ _id: 'd', k: 1 });
    const more = await getMore(n, idOf(r), 200);
    expect(more.cursor.nextBatch?.map((d) => d._id)).toEqual(['zzz']);
  });
});
