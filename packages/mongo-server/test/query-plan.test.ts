import { describe, expect, it } from 'vitest';
import { Collection, type QueryStats } from '../src/collection.ts';

// Server internals: which index a query uses and how much it reads (explain's keysExamined and
// docsExamined), so the SMSC's claim never scans the collection.
function smsCollection(n: number): Collection {
  const coll = new Collection('db', 'sms');
  coll.createIndex({ v: 2, key: { state: 1, priority: -1, nextAttemptAt: 1 }, name: 'claim' });
  coll.createIndex({ v: 2, key: { destMsisdn: 1, state: 1, priority: -1, arrivedAt: 1 }, name: 'dest' });
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < n; i++) {
    coll.insert({
      _id: i,
      destMsisdn: `+44${i % 500}`,
      state: i % 5 === 0 ? 'delivered' : 'queued',
      priority: i % 3,
      arrivedAt: new Date(t0 + i * 1000),
      nextAttemptAt: new Date(t0 + ((i * 7919) % n) * 1000),
    });
  }
  return coll;
}

const stats = (): QueryStats => ({ plan: '', keysExamined: 0, docsExamined: 0 });

describe('query planning', () => {
  const n = 20_000;
  const coll = smsCollection(n);
  const now = new Date(Date.UTC(2026, 0, 1) + (n / 2) * 1000);

  it('claims through the claim index in sort order without scanning', () => {
    const s = stats();
    const excluded = ['+440', '+441', '+442'];
    const [rec] = coll.find(
      { state: 'queued', nextAttemptAt: { $lte: now }, destMsisdn: { $nin: excluded } },
      { sort: { priority: -1, nextAttemptAt: 1 }, limit: 1, stats: s },
    );
    expect(s.plan).toBe('IXSCAN claim');
    expect(s.docsExamined).toBeLessThan(20);
    // Same answer as a full scan and an in-memory sort would give.
    const all = coll.find(
      { state: 'queued', nextAttemptAt: { $lte: now }, destMsisdn: { $nin: excluded } },
      { hint: { $natural: 1 } },
    );
    all.sort(
      (a, b) =>
        (b.doc.priority as number) - (a.doc.priority as number) ||
        (a.doc.nextAttemptAt as Date).getTime() - (b.doc.nextAttemptAt as Date).getTime(),
    );
    expect(rec?.doc).toBe(all[0]?.doc);
  });

  it('reads a destination oldest first within priority through the dest index', () => {
    const s = stats();
    const recs = coll.find(
      { destMsisdn: '+44123', state: 'queued' },
      { sort: { priority: -1, arrivedAt: 1 }, limit: 3, stats: s },
    );
    expect(s.plan).toBe('IXSCAN dest');
    expect(s.docsExamined).toBe(3);
    expect(recs.map((r) => [r.doc.priority, r.doc.arrivedAt])).toEqual(
      [...recs]
        .sort(
          (a, b) =>
            (b.doc.priority as number) - (a.doc.priority as number) ||
            +(a.doc.arrivedAt as Date) - +(b.doc.arrivedAt as Date),
        )
        .map((r) => [r.doc.priority, r.doc.arrivedAt]),
    );
  });

  it('walks an index backwards for the reverse sort', () => {
    const s = stats();
    const recs = coll.find(
      { destMsisdn: '+447' },
      { sort: { state: -1, priority: 1, arrivedAt: -1 }, limit: 2, stats: s },
    );
    expect(s.plan).toBe('IXSCAN dest');
    expect(s.docsExamined).toBe(2);
    expect(recs).toHaveLength(2);
  });

  it('bounds a range on an indexed field', () => {
    const s = stats();
    const recs = coll.find({ _id: { $gte: 100, $lt: 110 } }, { stats: s });
    expect(s.plan).toBe('IXSCAN _id_');
    expect(s.keysExamined).toBe(10);
    expect(recs.map((r) => r.doc._id)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
  });

  it('uses point lookups for $in on the equality prefix', () => {
    const s = stats();
    const recs = coll.find({ destMsisdn: { $in: ['+445', '+4410'] }, state: 'delivered' }, { stats: s });
    expect(s.plan).toBe('IXSCAN dest');
    expect(s.docsExamined).toBe(recs.length);
    expect(recs.length).toBeGreaterThan(0);
  });

  it('answers a top-level $or with one index scan per branch when every branch has an index', () => {
    const s = stats();
    const recs = coll.find(
      { $or: [{ destMsisdn: '+447', state: 'queued' }, { _id: { $lt: 3 } }] },
      { stats: s },
    );
    expect(s.plan).toBe('OR dest,_id_');
    expect(s.docsExamined).toBeLessThan(100);
    const slow = coll.find(
      { $or: [{ destMsisdn: '+447', state: 'queued' }, { _id: { $lt: 3 } }] },
      { hint: { $natural: 1 } },
    );
    expect(recs.map((r) => r.id)).toEqual(slow.map((r) => r.id));
    const partial = stats();
    coll.find({ $or: [{ destMsisdn: '+447' }, { priority: 1 }] }, { limit: 1, stats: partial });
    expect(partial.plan).toBe('COLLSCAN');
  });

  it('falls back to a collection scan when no index fits', () => {
    const s = stats();
    coll.find({ priority: 2 }, { limit: 1, stats: s });
    expect(s.plan).toBe('COLLSCAN');
  });

  it('does not serve a sort from a sparse index, which lacks documents without the field', () => {
    const c = new Collection('db', 'sparse');
    c.createIndex({ v: 2, key: { k: 1 }, name: 'k_sparse', sparse: true });
    c.insert({ _id: 1, k: 2 });
    c.insert({ _id: 2 });
    c.insert({ _id: 3, k: 1 });
    const s = stats();
    expect(c.find({}, { sort: { k: 1 }, stats: s }).map((r) => r.doc._id)).toEqual([2, 3, 1]);
    expect(s.plan).toBe('COLLSCAN');
    const bounded = stats();
    expect(c.find({ k: 2 }, { stats: bounded }).map((r) => r.doc._id)).toEqual([1]);
    expect(bounded.plan).toBe('IXSCAN k_sparse');
  });

  it('keeps index entries in step with updates and deletes', () => {
    const c = smsCollection(100);
    const [rec] = c.find({ state: 'queued', destMsisdn: '+441' });
    c.replace(rec!, { ...rec!.doc, state: 'locked' });
    expect(c.find({ state: 'queued', destMsisdn: '+441' })).toHaveLength(0);
    expect(c.find({ state: 'locked', destMsisdn: '+441' }, { hint: 'dest' })).toHaveLength(1);
    c.remove(rec!);
    expect(c.find({ state: 'locked' }, { hint: 'claim' })).toHaveLength(0);
    for (const idx of c.indexes) expect(idx.entries.size).toBe(99);
  });
});
