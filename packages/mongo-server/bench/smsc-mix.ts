// `pnpm bench:mongo-mix`: the SMSC's command mix (store, claim round, outcome, receipt) against the
// in-memory server through the real driver. The server runs in a child process so that its CPU time
// can be read on its own (from /proc); `MIX_PROFILE=dir` runs it under `--cpu-prof` into `dir`.
// The run is `MIX_ROUNDS` rounds (default 2000, ~20k commands) after a prefill of `MIX_PREFILL`
// delivered messages (default 80k), so that runs compare at the same collection size (~100k);
// `MIX_SECONDS` (default 20) cuts a slow run short. `MIX_SERVER=<path of a cli.ts>` runs another
// copy of the server (an older commit's src, for before/after figures).
// Human lines first, then one JSON object as the last line.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  type AnyBulkWriteOperation,
  type AnyClientBulkWriteModel,
  Binary,
  type Document,
  MongoBulkWriteError,
  MongoClient,
  type UpdateFilter,
} from 'mongodb';

/** Client bulkWrite models over string `_id`s, which the driver's types tie to ObjectId. */
const models = (ops: Document[]) => ops as AnyClientBulkWriteModel<Document>[];

const SECONDS = Number(process.env.MIX_SECONDS ?? 20);
const ROUNDS = Number(process.env.MIX_ROUNDS ?? 2000);
const PROFILE_DIR = process.env.MIX_PROFILE;
const PREFILL = Number(process.env.MIX_PREFILL ?? 80_000);
const BATCH = 10;
const DESTS = 5_000;

async function startServer(): Promise<{ uri: string; child: ChildProcess }> {
  const cli = process.env.MIX_SERVER ?? join(import.meta.dirname, '..', 'src', 'cli.ts');
  const flags = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...flags, cli], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const [uri] = (await once(lines, 'line')) as [string];
  return { uri, child };
}

/** User and system CPU of a process in ms, from /proc (Linux). */
function cpuMs(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
}

let seq = 0;
const dest = (i: number) => `+4479${String(i % DESTS).padStart(6, '0')}`;

function smsDoc(now: Date): Document {
  const i = seq++;
  const id = `m${i.toString(36).padStart(8, '0')}`;
  return {
    _id: id,
    kind: i % 2 === 0 ? 'message' : 'receipt',
    state: 'queued',
    priority: i % 3,
    accountId: `acct${i % 50}`,
    submitId: i % 2 === 0 ? `s${i}` : undefined,
    sourceAddr: '12345',
    destMsisdn: dest(i * 7),
    target: 'default',
    arrivedAt: now,
    nextAttemptAt: now,
    expiresAt: new Date(now.getTime() + 86_400_000),
    attempts: 0,
    rev: 1,
    lock: null,
    payload: {
      dataCoding: 0,
      esmClass: 0,
      registeredDelivery: 1,
      shortMessage: new Binary(Buffer.from(`hello number ${i} `.repeat(6))),
      udh: new Binary(Buffer.from([5, 0, 3, i & 0xff, 2, 1])),
      tlvs: [{ tag: 0x1403, value: new Binary(Buffer.from('abc')) }],
    },
    history: [],
    createdAt: now,
    updatedAt: now,
  };
}

const { uri, child } = await startServer();
const client = new MongoClient(uri);
await client.connect();
const db = client.db('mix');
const sms = db.collection<Document>('sms');
const locks = db.collection<Document>('locks');
await db.createCollection('events', { capped: true, size: 16 * 1024 * 1024 });
const events = db.collection<Document>('events');
await sms.createIndexes([
  { key: { state: 1, priority: -1, nextAttemptAt: 1 } },
  { key: { state: 1, nextAttemptAt: 1 } },
  { key: { destMsisdn: 1, state: 1, priority: -1, arrivedAt: 1, _id: 1 } },
  { key: { 'lock.token': 1 }, sparse: true },
  { key: { state: 1, expiresAt: 1 } },
  { key: { state: 1, finalAt: 1 } },
  { key: { receiptPending: 1, finalAt: 1 }, sparse: true },
  { key: { submitId: 1 }, sparse: true },
  { key: { accountId: 1, arrivedAt: -1 } },
]);
await locks.createIndex({ kind: 1, until: 1 });

// Delivered history so indexes hold a realistic population (final states, receipts pending).
for (let done = 0; done < PREFILL; done += 1000) {
  const now = new Date();
  const docs = Array.from({ length: 1000 }, () => ({
    ...smsDoc(now),
    state: 'delivered',
    finalAt: now,
    receiptPending: true,
  }));
  await sms.insertMany(docs, { ordered: false });
}

const counts = { rounds: 0, commands: 0, stored: 0, claimed: 0, delivered: 0 };
const owner = 'bench-worker';

async function round(r: number): Promise<void> {
  const now = new Date();
  const token = `t${r}`;
  // Inserter: a batch of messages and their events.
  const docs = Array.from({ length: BATCH }, () => smsDoc(now));
  await sms.insertMany(docs, { ordered: false });
  await events.insertMany(
    docs.map((d) => ({ type: 'stored', at: now, smsId: d._id, destMsisdn: d.destMsisdn, state: 'queued' })),
  );
  counts.stored += docs.length;
  counts.commands += 2;

  // Claim round: due heads, destination locks, head check, lock the messages.
  const exclude = Array.from({ length: 64 }, (_, i) => dest(r * 64 + i + 1));
  const due = await sms
    .find(
      { state: 'queued', nextAttemptAt: { $lte: now }, destMsisdn: { $nin: exclude } },
      { sort: { priority: -1, nextAttemptAt: 1 }, limit: 32 },
    )
    .toArray();
  counts.commands++;
  if (due.length === 0) return;
  const byDest = new Map<string, Document[]>();
  for (const m of due) {
    const list = byDest.get(m.destMsisdn) ?? [];
    list.push(m);
    byDest.set(m.destMsisdn, list);
  }
  const dests = [...byDest.keys()];
  const until = new Date(now.getTime() + 30_000);
  let lost = new Set<number>();
  try {
    await locks.bulkWrite(
      dests.map(
        (d): Document => ({
          updateOne: {
            filter: { _id: d, until: { $lte: now } },
            update: { $set: { owner, token, until, since: now }, $setOnInsert: { kind: 'destination' } },
            upsert: true,
          },
        }),
      ) as AnyBulkWriteOperation<Document>[],
      { ordered: false },
    );
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    lost = new Set(errors.map((e) => e.index));
  }
  counts.commands++;
  const won = dests.filter((_, i) => !lost.has(i));
  if (won.length === 0) return;
  const heads = won.flatMap((d) => byDest.get(d)!);
  const clauses = won.map((d) => {
    const last = byDest.get(d)!.at(-1)!;
    return {
      destMsisdn: d,
      target: last.target,
      $or: [
        { priority: { $gt: last.priority } },
        { priority: last.priority, arrivedAt: { $lt: last.arrivedAt } },
        { priority: last.priority, arrivedAt: last.arrivedAt, _id: { $lt: last._id } },
      ],
    };
  });
  await sms
    .find(
      {
        destMsisdn: { $in: won },
        _id: { $nin: heads.map((m) => m._id) },
        $and: [
          {
            state: { $in: ['queued', 'delivering'] },
            $or: [
              { state: 'delivering' },
              { nextAttemptAt: { $lte: now } },
              { 'history.0': { $exists: true } },
            ],
          },
          { $or: clauses },
        ],
      },
      { projection: { destMsisdn: 1 } },
    )
    .toArray();
  counts.commands++;
  const entry = { attempt: 0, at: now, worker: owner, outcome: 'claimed' };
  const claimUpdate: Document = {
    $set: { state: 'delivering', lock: { owner, token, until }, nextAttemptAt: until, updatedAt: now },
    $inc: { rev: 1 },
    $push: { history: { $each: [entry], $slice: -20 } },
  };
  const claimed = await sms.updateMany(
    {
      _id: { $in: heads.map((m) => m._id) },
      $or: heads.map((m) => ({ _id: m._id, rev: m.rev })),
      state: { $in: ['queued', 'delivering'] },
    },
    claimUpdate as UpdateFilter<Document>,
  );
  counts.commands++;
  counts.claimed += claimed.modifiedCount;

  // Outcomes: the messages' transitions, the destinations released, the events, in one command.
  const done = new Date();
  await client.bulkWrite(
    models([
      ...heads.map((m) => ({
        namespace: 'mix.sms',
        name: 'updateOne' as const,
        filter: { _id: m._id, 'lock.token': token },
        update: {
          $set: {
            lock: null,
            updatedAt: done,
            writeId: `w${m._id}`,
            attempts: 1,
            state: 'delivered',
            finalAt: done,
            receiptPending: true,
            upstreamId: `up-${m._id}`,
          },
          $push: { history: { $each: [{ ...entry, outcome: 'delivered', at: done }], $slice: -20 } },
        },
      })),
      {
        namespace: 'mix.locks',
        name: 'deleteMany' as const,
        filter: { $or: won.map((d) => ({ _id: d, token })) },
      },
      ...heads.map((m) => ({
        namespace: 'mix.events',
        name: 'insertOne' as const,
        document: { type: 'delivered', at: done, smsId: m._id, destMsisdn: m.destMsisdn, state: 'delivered' },
      })),
    ]),
  );
  counts.commands++;
  counts.delivered += heads.length;

  // Receipts: correlation upserts and the receipts sent (their pending flag cleared).
  await client.bulkWrite(
    models([
      ...heads.map((m) => ({
        namespace: 'mix.correlations',
        name: 'updateOne' as const,
        filter: { _id: `up-${m._id}` },
        update: { $setOnInsert: { smsId: m._id, at: done } },
        upsert: true,
      })),
      {
        namespace: 'mix.sms',
        name: 'updateMany' as const,
        filter: { _id: { $in: heads.map((m) => m._id) }, receiptPending: true },
        update: { $unset: { receiptPending: '' } },
      },
    ]),
  );
  counts.commands++;
}

const cpu0 = cpuMs(child.pid!);
const t0 = performance.now();
const deadline = t0 + SECONDS * 1000;
// Two workers in flight, as the SMSC's inserter and workers overlap theirs.
const lanes = [0, 1].map(async (lane) => {
  for (let r = lane; r < ROUNDS && performance.now() < deadline; r += 2) {
    await round(r);
    counts.rounds++;
  }
});
await Promise.all(lanes);
const wallMs = performance.now() - t0;
const cpu1 = cpuMs(child.pid!);
// System time is mostly the loopback TCP stack (a write wakes the client); user time is the server's own.
const serverUserMs = cpu1.user - cpu0.user;
const serverCpuMs = serverUserMs + cpu1.system - cpu0.system;
const docsNow = await sms.estimatedDocumentCount();
await client.close();
child.kill('SIGINT');
await once(child, 'exit');

const round2 = (n: number) => Math.round(n * 100) / 100;
const result = {
  seconds: round2(wallMs / 1000),
  rounds: counts.rounds,
  commands: counts.commands,
  commandsPerSec: round2(counts.commands / (wallMs / 1000)),
  deliveredPerSec: round2(counts.delivered / (wallMs / 1000)),
  serverCpuMs: Math.round(serverCpuMs),
  serverCpuMsPerCommand: round2(serverCpuMs / counts.commands),
  serverCpuMsPerDelivered: round2(serverCpuMs / counts.delivered),
  serverUserMsPerCommand: Math.round((serverUserMs / counts.commands) * 1000) / 1000,
  serverSystemMsPerCommand: Math.round(((serverCpuMs - serverUserMs) / counts.commands) * 1000) / 1000,
  serverBusy: round2(serverCpuMs / wallMs),
  smsDocs: docsNow,
};
console.log(
  `${result.commands} commands in ${result.seconds} s (${result.commandsPerSec}/s), ` +
    `${result.deliveredPerSec} delivered/s, server CPU ${result.serverCpuMsPerCommand} ms/command ` +
    `(user ${result.serverUserMsPerCommand}, system ${result.serverSystemMsPerCommand}) ` +
    `(${result.serverCpuMsPerDelivered} ms/delivered, ${Math.round(result.serverBusy * 100)}% busy), ${docsNow} sms`,
);
console.log(JSON.stringify(result));
