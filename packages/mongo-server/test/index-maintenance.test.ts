import { BSONSymbol } from 'bson';
import { type Document, Double, Long, MongoClient, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareBson } from '../src/bson-order.ts';
import { Collection as BackendCollection, type Collection } from '../src/collection.ts';
import { type MongoServerHandle, startMongoServer } from '../src/index.ts';
import type { Doc } from './doc-type.ts';

// An update leaves alone the indexes whose fields' top-level values it did not replace. Every kind of
// write that can move a key must still move it: after each one, every index holds exactly the keys
// its documents give, and queries through each index agree with a collection scan.
describe('index maintenance on updates', () => {
  let server: MongoServerHandle;
  let client: MongoClient;
  let coll: Collection;

  beforeAll(async () => {
    server = await startMongoServer({ replicaSet: false });
    client = new MongoClient(server.uri);
    const c = client.db('ix').collection<Doc>('docs');
    await c.createIndexes([
      { key: { state: 1, at: 1 }, name: 'state_at' },
      { key: { 'lock.token': 1 }, name: 'lock_token', sparse: true },
      { key: { tags: 1 }, name: 'tags' },
      { key: { 'n.x': 1, state: 1 }, name: 'nx_state' },
      { key: { state: -1, _id: 1 }, name: 'state_desc' },
      { key: { opt: 1 }, name: 'opt', sparse: true },
      { key: { a: 1 }, name: 'a_partial', partialFilterExpression: { state: 'queued' } },
      { key: { code: 1 }, name: 'code_unique', unique: true, sparse: true },
    ]);
    await c.insertMany(
      Array.from({ length: 20 }, (_, i) => ({
        _id: `d${i}`,
        state: i % 2 ? 'queued' : 'done',
        at: new Date(1000 * i),
        lock: i % 3 ? null : { token: `t${i}`, owner: 'w' },
        tags: i % 4 ? ['x', `t${i % 3}`] : [],
        n: { x: i % 5, y: 'keep' },
        a: i,
        payload: { big: 'unchanged' },
        history: [],
      })),
    );
    coll = server.backend.collection('ix', 'docs')!;
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  function checkIndexes(): void {
    for (const idx of coll.indexes) {
      const expected: string[] = [];
      for (const rec of coll.records.values())
        for (const key of idx.keysFor(rec.doc) ?? []) expected.push(`${rec.id}:${JSON.stringify(key)}`);
      const entries = [...idx.entries.forward()];
      const actual = entries.map((e) => `${e.rec.id}:${JSON.stringify(e.key)}`);
      expect(actual.sort(), idx.name).toEqual(expected.sort());
      // In index order by compareBson and the key's directions, then record id.
      for (let i = 1; i < entries.length; i++) {
        const [a, b] = [entries[i - 1]!, entries[i]!];
        let c = 0;
        for (let f = 0; f < idx.dirs.length && c === 0; f++)
          c = compareBson(a.key[f], b.key[f]) * idx.dirs[f]!;
        expect(c < 0 || (c === 0 && a.rec.id < b.rec.id), idx.name).toBe(true);
      }
    }
  }

  async function agree(filter: Document): Promise<void> {
    const c = client.db('ix').collection<Doc>('docs');
    const scan = await c.find(filter).hint({ $natural: 1 }).toArray();
    const ids = scan.map((d) => d._id).sort();
    for (const idx of coll.indexes) {
      if (idx.partial || idx.sparse) continue;
      const viaIndex = await c.find(filter).hint(idx.name).toArray();
      expect(viaIndex.map((d) => d._id).sort(), idx.name).toEqual(ids);
    }
  }

  const updates: [string, Document, Document | Document[]][] = [
    ['$set of a dotted indexed path', { _id: 'd0' }, { $set: { 'lock.token': 'new' } }],
    ['$set of a sibling of an indexed path', { _id: 'd3' }, { $set: { 'lock.owner': 'other' } }],
    ['$unset of an indexed field', { _id: 'd1' }, { $unset: { state: '' } }],
    ['$unset of a dotted indexed path', { _id: 'd6' }, { $unset: { 'lock.token': '' } }],
    ['$set of a parent of an indexed path', { _id: 'd9' }, { $set: { lock: { token: 'whole' } } }],
    ['$push to a multikey field', { _id: 'd2' }, { $push: { tags: 'pushed' } }],
    [
      '$push with $slice to a multikey field',
      { _id: 'd5' },
      { $push: { tags: { $each: ['s'], $slice: -1 } } },
    ],
    ['$pull from a multikey field', { _id: 'd7' }, { $pull: { tags: 'x' } }],
    ['$rename onto an indexed field', { _id: 'd8' }, { $rename: { payload: 'opt' } }],
    ['$rename away from an indexed field', { _id: 'd10' }, { $rename: { n: 'm' } }],
    ['$inc of a dotted indexed path', { _id: 'd11' }, { $inc: { 'n.x': 10 } }],
    ['a change into a partial index filter', { _id: 'd12' }, { $set: { state: 'queued' } }],
    ['a change out of a partial index filter', { _id: 'd13' }, { $set: { state: 'done' } }],
    ['a replacement', { _id: 'd14' }, { state: 'replaced', tags: ['r'], n: { x: 99 } }],
    ['a pipeline update', { _id: 'd15' }, [{ $set: { state: 'piped', 'n.x': 7 } }]],
    ['an update of unindexed fields only', { _id: 'd16' }, { $set: { 'payload.big': 'changed' } }],
    [
      '$push to an unindexed array',
      { _id: 'd17' },
      { $push: { history: { $each: [{ at: 1 }], $slice: -20 } } },
    ],
    ['a positional update of an indexed array', { _id: 'd18', tags: 'x' }, { $set: { 'tags.$': 'y' } }],
  ];

  for (const [what, filter, update] of updates) {
    it(`keeps every index exact after ${what}`, async () => {
      const c = client.db('ix').collection<Doc>('docs');
      const r = Array.isArray(update)
        ? await c.updateOne(filter, update)
        : '$set' in update ||
            '$unset' in update ||
            '$push' in update ||
            '$pull' in update ||
            '$rename' in update ||
            '$inc' in update
          ? await c.updateOne(filter, update)
          : await c.replaceOne(filter, update);
      expect(r.modifiedCount).toBe(1);
      checkIndexes();
      await agree({ state: 'queued' });
      await agree({ tags: { $in: ['x', 'pushed', 's', 'r', 'y'] } });
      await agree({ 'n.x': { $gte: 2 } });
    });
  }

  it('keeps every index exact after upserts, inserted and matched', async () => {
    const c = client.db('ix').collection<Doc>('docs');
    await c.updateOne(
      { _id: 'u1', state: 'queued' },
      { $set: { 'lock.token': 'up' }, $setOnInsert: { tags: ['new'] } },
      { upsert: true },
    );
    await c.updateOne({ _id: 'u1' }, { $set: { tags: ['again'] } }, { upsert: true });
    checkIndexes();
    await agree({ tags: 'again' });
  });

  it('enforces a unique index when an update moves its key, and not when it leaves it', async () => {
    const c = client.db('ix').collection<Doc>('docs');
    await c.updateOne({ _id: 'd0' }, { $set: { code: 1 } });
    await c.updateOne({ _id: 'd0' }, { $set: { state: 'other' } });
    await expect(c.updateOne({ _id: 'd1' }, { $set: { code: 1 } })).rejects.toMatchObject({ code: 11000 });
    checkIndexes();
  });
});

describe('lookups by _id', () => {
  let server: MongoServerHandle;
  let client: MongoClient;
  beforeAll(async () => {
    server = await startMongoServer({ replicaSet: false });
    client = new MongoClient(server.uri, { promoteLongs: false });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('answer as a collection scan does, across numeric kinds and with further conditions', async () => {
    const c = client.db('ids').collection<Doc>('c');
    const oid = new ObjectId();
    const when = new Date(5);
    await c.insertMany([
      { _id: 1, a: 1 },
      { _id: Long.fromNumber(2), a: 2 },
      { _id: new Double(3), a: 3 },
      { _id: 'x', a: 4 },
      { _id: oid, a: 5 },
      { _id: when, a: 6 },
      { _id: { k: 1 }, a: 7 },
    ] as Doc[]);
    const filters = [
      { _id: 1 },
      { _id: 2 },
      { _id: 3 },
      { _id: 'x' },
      { _id: oid },
      { _id: new Date(5) },
      { _id: 'x', a: 4 },
      { _id: 'x', a: 5 },
      { _id: 'missing' },
      { _id: 1, $or: [{ a: 1 }, { a: 9 }] },
    ] as Doc[];
    for (const f of filters) {
      const scan = await c.find(f).hint({ $natural: 1 }).toArray();
      expect(await c.find(f).toArray(), JSON.stringify(f)).toEqual(scan);
      expect(await c.find(f).skip(1).toArray()).toEqual([]);
      expect(await c.countDocuments(f)).toBe(scan.length);
    }
    const r = await c.updateOne({ _id: 2 }, { $set: { b: 1 } });
    expect(r.modifiedCount).toBe(1);
    await c.deleteOne({ _id: 3 });
    expect(await c.countDocuments({ a: 3 })).toBe(0);
  });
});

describe('records by string _id', () => {
  const idsOf = (coll: Collection, id: unknown) => coll.find({ _id: id }).map((r) => r.doc._id);
  const viaIndex = (coll: Collection, id: unknown) =>
    coll.find({ _id: id }, { hint: '_id_' }).map((r) => r.doc._id);

  it('find, insert clashes, replace, remove and clear agree with the _id index', () => {
    const coll = new BackendCollection('db', 'c');
    coll.insert({ _id: 'a', n: 1 });
    coll.insert({ _id: 'b', n: 2 });
    coll.insert({ _id: 7, n: 3 });
    for (const id of ['a', 'b', 'c', 7]) expect(idsOf(coll, id)).toEqual(viaIndex(coll, id));
    let clash: unknown;
    try {
      coll.insert({ _id: 'a', n: 9 });
    } catch (err) {
      clash = err;
    }
    expect(String(clash)).toContain(
      'E11000 duplicate key error collection: db.c index: _id_ dup key: { _id: "a" }',
    );
    expect((clash as { extra?: unknown }).extra).toEqual({ keyPattern: { _id: 1 }, keyValue: { _id: 'a' } });
    // A replacement that changes the _id (the commands refuse it; the collection follows it).
    const rec = coll.find({ _id: 'b' })[0]!;
    coll.replace(rec, { _id: 'b2', n: 2 }, 'replace');
    expect(idsOf(coll, 'b')).toEqual([]);
    expect(idsOf(coll, 'b2')).toEqual(['b2']);
    expect(() => coll.insert({ _id: 'b2' })).toThrow(/E11000/);
    coll.insert({ _id: 'b' });
    coll.remove(coll.find({ _id: 'a' })[0]!);
    expect(idsOf(coll, 'a')).toEqual([]);
    coll.insert({ _id: 'a', n: 10 });
    expect(coll.find({ _id: 'a' }).map((r) => r.doc.n)).toEqual([10]);
    coll.clear();
    expect(idsOf(coll, 'a')).toEqual([]);
    coll.insert({ _id: 'a' });
    expect(idsOf(coll, 'a')).toEqual(['a']);
  });

  it('leave the lookup to the index while an _id compares as a string without being one', () => {
    const coll = new BackendCollection('db', 'c');
    coll.insert({ _id: new BSONSymbol('s'), n: 1 });
    expect(idsOf(coll, 's').map(String)).toEqual(['s']);
    expect(() => coll.insert({ _id: 's' })).toThrow(/E11000/);
    coll.remove(coll.find({ _id: 's' })[0]!);
    coll.insert({ _id: 's', n: 2 });
    expect(coll.find({ _id: 's' }).map((r) => r.doc.n)).toEqual([2]);
  });
});
