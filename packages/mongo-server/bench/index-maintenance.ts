// Index maintenance alone, in process: the SMSC's sms collection with its nine indexes, 80,000
// delivered messages, then ROUNDS (default 3000) rounds of 10 messages inserted, claimed, delivered
// and their receipt flag cleared through Collection.insert and replace; CPU per message.
// `node packages/mongo-server/bench/index-maintenance.ts`; `MIX_SRC=<an older checkout's src dir>`
// runs that one. Major collections of the grown heap fall in some runs and not others: compare
// several runs, or longer ones.
import { join } from 'node:path';
import { Binary } from 'bson';
import type { Rec } from '../src/collection-index.ts';

const src = process.env.MIX_SRC ?? join(import.meta.dirname, '..', 'src');
const { Collection } = (await import(join(src, 'collection.ts'))) as typeof import('../src/collection.ts');
const coll = new Collection('mix', 'sms');
const specs = [
  { state: 1, priority: -1, nextAttemptAt: 1 },
  { state: 1, nextAttemptAt: 1 },
  { destMsisdn: 1, state: 1, priority: -1, arrivedAt: 1, _id: 1 },
  { 'lock.token': 1 },
  { state: 1, expiresAt: 1 },
  { state: 1, finalAt: 1 },
  { receiptPending: 1, finalAt: 1 },
  { submitId: 1 },
  { accountId: 1, arrivedAt: -1 },
];
const sparse = new Set([3, 6, 7]);
for (const [i, key] of specs.entries()) {
  coll.createIndex({ v: 2, key, name: `i${i}`, ...(sparse.has(i) ? { sparse: true } : {}) });
}
let seq = 0;
const dest = (i: number) => `+4479${String(i % 5000).padStart(6, '0')}`;
function smsDoc(now: Date) {
  const i = seq++;
  return {
    _id: `m${i.toString(36).padStart(8, '0')}`,
    kind: i % 2 === 0 ? 'message' : 'receipt',
    state: 'queued',
    priority: i % 3,
    accountId: `acct${i % 50}`,
    submitId: i % 2 === 0 ? `s${i}` : null,
    sourceAddr: '12345',
    destMsisdn: dest(i * 7),
    target: 'default',
    arrivedAt: now,
    nextAttemptAt: now,
    expiresAt: new Date(now.getTime() + 86_400_000),
    attempts: 0,
    rev: 1,
    lock: null,
    payload: { shortMessage: new Binary(Buffer.from(`hello number ${i}`)) },
    history: [],
    createdAt: now,
    updatedAt: now,
  };
}
let t = Date.now();
for (let n = 0; n < 80_000; n += 1000) {
  const now = new Date(t++);
  for (let j = 0; j < 1000; j++)
    coll.insert({ ...smsDoc(now), state: 'delivered', finalAt: now, receiptPending: true });
}
const ROUNDS = Number(process.env.ROUNDS ?? 3000);
function run(rounds: number) {
  for (let r = 0; r < rounds; r++) {
    const now = new Date(t++);
    const recs: Rec[] = [];
    for (let j = 0; j < 10; j++) recs.push(coll.insert(smsDoc(now)));
    const until = new Date(t + 30000);
    for (const rec of recs)
      coll.replace(rec, {
        ...rec.doc,
        state: 'delivering',
        lock: { owner: 'w', token: `t${r}`, until },
        nextAttemptAt: until,
        updatedAt: now,
        rev: 2,
      });
    const done = new Date(t++);
    for (const rec of recs)
      coll.replace(rec, {
        ...rec.doc,
        lock: null,
        updatedAt: done,
        state: 'delivered',
        finalAt: done,
        receiptPending: true,
        attempts: 1,
      });
    for (const rec of recs) {
      const { receiptPending, ...rest } = rec.doc;
      coll.replace(rec, rest);
    }
  }
}
run(500);
const c0 = process.cpuUsage();
const t0 = performance.now();
run(ROUNDS);
const c1 = process.cpuUsage(c0);
console.log(
  JSON.stringify({
    usPerMsg: Math.round(((c1.user + c1.system) / (ROUNDS * 10)) * 100) / 100,
    wallUsPerMsg: Math.round((((performance.now() - t0) * 1000) / (ROUNDS * 10)) * 100) / 100,
    count: coll.count,
  }),
);
