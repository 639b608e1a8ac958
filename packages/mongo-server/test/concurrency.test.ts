import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import type { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc } from './doc-type.ts';

describe('concurrent compare-and-swap', () => {
  let mongo: TestMongo;
  let clients: MongoClient[];
  beforeAll(async () => {
    mongo = await useTestMongo();
    clients = await Promise.all(Array.from({ length: 16 }, () => mongo.newClient()));
  });
  afterAll(() => mongo.close());

  it('lets sixteen clients racing findOneAndUpdate win every document exactly once', async () => {
    const setup = (await mongo.db()).collection<Doc>('work');
    await setup.createIndex({ state: 1, prio: -1 });
    const total = 400;
    await setup.insertMany(
      Array.from({ length: total }, (_, i) => ({ _id: i, state: 'queued', prio: i % 5 })),
    );
    const wins = await Promise.all(
      clients.map(async (client, w) => {
        const coll = client.db(mongo.dbName).collection<Doc>('work');
        const mine: number[] = [];
        // Bounded: at most `total` claims per client.
        for (let i = 0; i < total; i++) {
          const doc = await coll.findOneAndUpdate(
            { state: 'queued' },
            { $set: { state: 'locked', owner: w } },
            { sort: { prio: -1 }, returnDocument: 'after' },
          );
          if (!doc) break;
          expect(doc.owner).toBe(w);
          mine.push(doc._id as number);
        }
        return mine;
      }),
    );
    const all = wins.flat();
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
    const owners = await setup.aggregate([{ $group: { _id: '$owner', n: { $sum: 1 } } }]).toArray();
    for (const o of owners) expect(o.n).toBe(wins[o._id as number]!.length);
    expect(await setup.countDocuments({ state: 'queued' })).toBe(0);
  });

  it('lets exactly one of sixteen clients take a lock document guarded by a token', async () => {
    const coll0 = (await mongo.db()).collection<Doc>('locks');
    await coll0.insertOne({ _id: '+4479', owner: null, token: 0 });
    const results = await Promise.all(
      clients.map((client, w) =>
        client
          .db(mongo.dbName)
          .collection<Doc>('locks')
          .updateOne({ _id: '+4479', token: 0 }, { $set: { owner: w }, $inc: { token: 1 } }),
      ),
    );
    expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(1);
    expect(await coll0.findOne({ _id: '+4479' })).toMatchObject({ token: 1 });
  });
});
