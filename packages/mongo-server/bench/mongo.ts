// `pnpm bench:mongo`: the in-memory server through the real driver on loopback. The server runs in a
// child process (its own event loop, as a separate mongod would); figures are wall-clock.
// Human lines first, then one JSON object as the last line.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type Document, MongoClient } from 'mongodb';

const LOAD_DOCS = Number(process.env.BENCH_DOCS ?? 1_000_000);
const LOAD_BATCH = 10_000;
const CLAIMS = 5_000;
const DEST_LOOKUPS = 2_000;
const TAIL_SAMPLES = 500;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (n: number, d = 3) => Math.round(n * 10 ** d) / 10 ** d;

async function startServer(): Promise<{ uri: string; child: ChildProcess }> {
  const cli = join(import.meta.dirname, '..', 'src', 'cli.ts');
  const child = spawn(process.execPath, ['--max-old-space-size=8192', cli], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const [uri] = (await once(lines, 'line')) as [string];
  return { uri, child };
}

function smsDoc(i: number, now: number): Document {
  // ~100k destinations, mostly queued, due within the last hour or the next one.
  const queued = i % 10 !== 0;
  return {
    destMsisdn: `+4479${String(i % 100_000).padStart(6, '0')}`,
    state: queued ? 'queued' : 'delivered',
    priority: i % 4,
    arrivedAt: new Date(now - 3_600_000 + (i % 3_600_000)),
    nextAttemptAt: new Date(now - 3_600_000 + ((i * 7919) % 7_200_000)),
    attempts: 0,
    text: 'hello world',
  };
}

const { uri, child } = await startServer();
const client = new MongoClient(uri);
await client.connect();
const db = client.db('bench');
const out: Document = { server: '@smsc/mongo-server (child process)', docs: LOAD_DOCS };
try {
  // 1. Single inserts.
  const single = db.collection('single');
  let n = 0;
  let t0 = performance.now();
  while (n < 20_000 && performance.now() - t0 < 3_000) {
    await single.insertOne({ n, at: new Date(), text: 'hello world' });
    n++;
  }
  out.insertOnePerSec = Math.round(n / ((performance.now() - t0) / 1000));
  console.log(`insertOne (sequential):        ${out.insertOnePerSec} docs/s`);

  // 2. insertMany of 100.
  const many = db.collection('many');
  let batches = 0;
  t0 = performance.now();
  while (batches < 2_000 && performance.now() - t0 < 3_000) {
    await many.insertMany(
      Array.from({ length: 100 }, (_, i) => ({ n: batches * 100 + i, text: 'hello world' })),
    );
    batches++;
  }
  const manySecs = (performance.now() - t0) / 1000;
  out.insertMany100PerSec = Math.round(batches / manySecs);
  out.insertMany100DocsPerSec = Math.round((batches * 100) / manySecs);
  console.log(
    `insertMany(100):               ${out.insertMany100PerSec} batches/s = ${out.insertMany100DocsPerSec} docs/s`,
  );

  // 3. Load the sms collection, indexes first so the load maintains them as production would.
  const sms = db.collection('sms');
  await sms.createIndex({ state: 1, priority: -1, nextAttemptAt: 1 }, { name: 'claim' });
  await sms.createIndex({ destMsisdn: 1, state: 1, priority: -1, arrivedAt: 1 }, { name: 'dest' });
  const now = Date.now();
  t0 = performance.now();
  for (let i = 0; i < LOAD_DOCS; i += LOAD_BATCH) {
    const docs = Array.from({ length: Math.min(LOAD_BATCH, LOAD_DOCS - i) }, (_, k) => smsDoc(i + k, now));
    await sms.insertMany(docs, { ordered: false });
  }
  const loadSecs = (performance.now() - t0) / 1000;
  out.loadSeconds = round(loadSecs, 1);
  out.loadDocsPerSec = Math.round(LOAD_DOCS / loadSecs);
  console.log(
    `load ${LOAD_DOCS} docs (2 compound indexes): ${out.loadSeconds} s = ${out.loadDocsPerSec} docs/s`,
  );

  // 4. Claims: the delivery worker's findOneAndUpdate CAS, sequential, with an exclusion list.
  const excluded = Array.from({ length: 20 }, (_, i) => `+4479${String(i).padStart(6, '0')}`);
  const lat: number[] = [];
  let claimed = 0;
  t0 = performance.now();
  for (let i = 0; i < CLAIMS; i++) {
    const s = performance.now();
    const got = await sms.findOneAndUpdate(
      { state: 'queued', nextAttemptAt: { $lte: new Date() }, destMsisdn: { $nin: excluded } },
      { $set: { state: 'locked', lock: { owner: 'bench', token: i, until: new Date(Date.now() + 30_000) } } },
      { sort: { priority: -1, nextAttemptAt: 1 } },
    );
    lat.push(performance.now() - s);
    if (got) claimed++;
  }
  const claimSecs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  out.claimsPerSec = Math.round(CLAIMS / claimSecs);
  out.claimP50Ms = round(percentile(lat, 50));
  out.claimP99Ms = round(percentile(lat, 99));
  out.claimed = claimed;
  console.log(
    `claim findOneAndUpdate (1 client, sequential): ${out.claimsPerSec}/s, p50 ${out.claimP50Ms} ms, p99 ${out.claimP99Ms} ms (${claimed} won)`,
  );

  // 5. Concurrent CAS on one indexed field: 8 in flight, each document won once.
  t0 = performance.now();
  let won = 0;
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < CLAIMS / 8; i++) {
        const r = await sms.findOneAndUpdate(
          { state: 'queued', priority: 0 },
          { $set: { state: 'locked', lock: { owner: `w${w}` } } },
        );
        if (r) won++;
      }
    }),
  );
  out.casConcurrentPerSec = Math.round(CLAIMS / ((performance.now() - t0) / 1000));
  console.log(`CAS findOneAndUpdate (8 in flight):            ${out.casConcurrentPerSec}/s (${won} won)`);

  // 6. A destination's next messages: equality prefix + sort served by the 'dest' index.
  const dl: number[] = [];
  for (let i = 0; i < DEST_LOOKUPS; i++) {
    const s = performance.now();
    await sms
      .find({ destMsisdn: `+4479${String((i * 37) % 100_000).padStart(6, '0')}`, state: 'queued' })
      .sort({ priority: -1, arrivedAt: 1 })
      .limit(3)
      .toArray();
    dl.push(performance.now() - s);
  }
  dl.sort((a, b) => a - b);
  out.destLookupP50Ms = round(percentile(dl, 50));
  console.log(`find by destination, limit 3:  p50 ${out.destLookupP50Ms} ms`);

  // 7. Tailable wake-up: insert into a capped collection -> seen by an awaitData tail on another client.
  await db.createCollection('events', { capped: true, size: 1 << 20 });
  const events = db.collection('events');
  await events.insertOne({ seq: -1 });
  const tailer = new MongoClient(uri);
  await tailer.connect();
  const seenAt = new Map<number, number>();
  const cursor = tailer
    .db('bench')
    .collection('events')
    .find({ seq: { $gte: 0 } }, { tailable: true, awaitData: true, maxAwaitTimeMS: 1000 });
  let notify: (() => void) | undefined;
  const reader = (async () => {
    for await (const d of cursor) {
      seenAt.set(d.seq as number, performance.now());
      notify?.();
      if (d.seq === TAIL_SAMPLES - 1) break;
    }
  })();
  await new Promise((r) => setTimeout(r, 200));
  const sentAt: number[] = [];
  for (let i = 0; i < TAIL_SAMPLES; i++) {
    const seen = new Promise<void>((r) => {
      notify = r;
    });
    sentAt[i] = performance.now();
    await events.insertOne({ seq: i });
    await Promise.race([seen, new Promise((r) => setTimeout(r, 2_000))]);
  }
  await reader;
  await tailer.close();
  const wake = sentAt
    .map((t, i) => (seenAt.get(i) ?? Number.NaN) - t)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  out.tailWakeP50Ms = round(percentile(wake, 50));
  out.tailWakeP99Ms = round(percentile(wake, 99));
  out.tailSamples = wake.length;
  console.log(
    `tail wake-up (insert -> seen): p50 ${out.tailWakeP50Ms} ms, p99 ${out.tailWakeP99Ms} ms (${wake.length} samples)`,
  );
  console.log(`claim p50 < 1 ms: ${(out.claimP50Ms as number) < 1 ? 'yes' : 'NO'}`);
} finally {
  await client.close();
  child.kill('SIGTERM');
}
console.log(JSON.stringify(out));
