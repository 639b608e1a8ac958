// `pnpm bench:e2e`: the whole path, submit_sm -> MongoDB -> deliver_sm, with receipts.
// The in-memory MongoDB runs in a child process of its own (as a mongod would; in a thread of this
// process its major garbage collections stalled it far more) and counts the commands it runs;
// `smsc all` runs as a child process (the real CLI and roles); K acme transmitters submit to 4670...
// routed to `sink`, bound as receiver(s) on the same SMSC; an acme receiver takes the receipts.
// Phase 1 (full load): as fast as the windows allow while at most BACKLOG messages wait, for
// FULL_MS: sustained messages/s end to end, latency, MongoDB commands per delivered message (its
// receipt included). Phase 2: paced at half the measured rate, for HALF_MS: latency p50/p99, on a
// fresh smsc and in-memory MongoDB (SAME_SERVER=1: on those of phase 1, right after it): the full
// phase leaves ~90,000 documents in the in-memory server's JavaScript heap, and the marking of that
// heap during phase 2 holds up the server's own thread (a test database's cost that a mongod does
// not have); both figures are in the README.
// Last line: one JSON object.
//
// Environment (defaults in brackets):
//   K senders [6], W window per sender [20], SINKS sink receivers [2], DESTS destinations [1000],
//   BACKLOG submitted-not-delivered cap at full load [1000], FULL_MS [10000], HALF_MS [8000],
//   CONCURRENCY delivery.concurrency [128], SMSC_WINDOW deliver_sm window per session [100],
//   RECEIPTS=0 none asked, SAME_SERVER=1 phase 2 on phase 1's smsc and MongoDB,
//   TIMING=1 the child's driver times every command (printed before the JSON line),
//   PROFILE=1 the child runs with --cpu-prof into PROFILE_DIR [<tmp>/smsc-bench-profiles];
//   summarise with `node test/e2e/bench/profile-summary.ts <file>`.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startMongoServerProcess } from '@smsc/mongo-server';
import { type SmscProcess, startSmscProcess } from '../support/smsc-process.ts';
import { type LoadResult, runLoad } from './load.ts';

const env = (name: string, fallback: number) => {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number, got ${raw}`);
  return n;
};
const K = env('K', 6);
const W = env('W', 20);
const SINKS = env('SINKS', 2);
const DESTS = env('DESTS', 1000);
const FULL_MS = env('FULL_MS', 10_000);
const HALF_MS = env('HALF_MS', 8000);
const CONCURRENCY = env('CONCURRENCY', 128);
const SMSC_WINDOW = env('SMSC_WINDOW', 100);
const BACKLOG = env('BACKLOG', 1000);
/** RECEIPTS=0: registered_delivery 0, to see what receipts cost. */
const RECEIPTS = process.env.RECEIPTS !== '0';
const PROFILE = process.env.PROFILE === '1';
/** TIMING=1: the child records each command's round trip as its driver sees it (see command-timing-preload.ts). */
const TIMING = process.env.TIMING === '1';
/** SAME_SERVER=1: the half-rate phase right after the full phase, on the same smsc and MongoDB. */
const SAME_SERVER = process.env.SAME_SERVER === '1';
const DRAIN_LIMIT_MS = 20_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) =>
  sorted.length === 0
    ? null
    : Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!);

type Phase = {
  submitted: number;
  delivered: number;
  receipts: number;
  /** Delivered messages per second, first submit to last first delivery. */
  deliveredPerS: number;
  /** Receipts per second, first submit to last receipt. */
  receiptsPerS: number;
  submitPerS: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
  commands: Record<string, number>;
  commandsPerMessage: number;
  /** CPU per delivered message (its receipt included), µs: the smsc process, the MongoDB process, this process (senders, sinks). */
  cpuUsPerMessage: { smsc: number; mongo: number; load: number };
  /** Share of the phase each part was busy, % of a core: MongoDB, the load generator, the smsc process. */
  busyPercent: { mongo: number; load: number; smsc: number };
  /** MongoDB's longest event-loop stall in the phase, ms (a long GC shows here). */
  mongoMaxStallMs: number;
  /** Write system calls per delivered message (its receipt included): each socket write is one. */
  writesPerMessage: { smsc: number; mongo: number };
};

/** Commands counted between two snapshots, by name. */
function countsSince(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, n] of after) {
    const d = n - (before.get(name) ?? 0);
    if (d > 0) out[name] = d;
  }
  return out;
}

/** CPU time of a process so far, µs, from /proc (Linux): user + system clock ticks of 10 ms. */
function processCpuUs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return Number.NaN;
  }
}

/** Write system calls of a process so far (socket writes, mostly), from /proc (Linux). */
function processWrites(pid: number): number {
  try {
    return Number(/^syscw: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}

function benchCpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function phase(
  name: string,
  counter: { snapshot(): Promise<Map<string, number>> },
  run: () => Promise<LoadResult>,
): Promise<Phase> {
  const before = await counter.snapshot();
  const cpuNow = () => ({
    smsc: smsc ? processCpuUs(smsc.pid) : 0,
    mongo: mongo.pid !== undefined ? processCpuUs(mongo.pid) : 0,
    load: benchCpuUs(),
  });
  const writesNow = () => ({
    smsc: smsc ? processWrites(smsc.pid) : 0,
    mongo: mongo.pid !== undefined ? processWrites(mongo.pid) : 0,
  });
  const cpuBefore = cpuNow();
  const writesBefore = writesNow();
  const startedAt = performance.now();
  await mongo.loopStats(); // resets the longest stall
  const load = await run();
  const n = load.acked.size;
  const end = performance.now() + DRAIN_LIMIT_MS;
  const receiptsDue = RECEIPTS ? n : 0;
  while (performance.now() < end && (load.seen.size < n || load.receipts() < receiptsDue)) await sleep(20);
  await load.stop();
  const cpuAfter = cpuNow();
  const writesAfter = writesNow();
  const wallUs = (performance.now() - startedAt) * 1000;
  const used = {
    smsc: cpuAfter.smsc - cpuBefore.smsc,
    mongo: cpuAfter.mongo - cpuBefore.mongo,
    load: cpuAfter.load - cpuBefore.load,
  };
  const perMessage = (us: number) => Math.round(us / Math.max(1, load.seen.size));
  const cpu = { smsc: perMessage(used.smsc), mongo: perMessage(used.mongo), load: perMessage(used.load) };
  const writesPer = (n: number) => Math.round((n / Math.max(1, load.seen.size)) * 100) / 100;
  const writes = {
    smsc: writesPer(writesAfter.smsc - writesBefore.smsc),
    mongo: writesPer(writesAfter.mongo - writesBefore.mongo),
  };
  const percent = (us: number) => Math.round((us / wallUs) * 100);
  const busy = { mongo: percent(used.mongo), load: percent(used.load), smsc: percent(used.smsc) };
  const mongoLoop = await mongo.loopStats();
  const commands = countsSince(before, await counter.snapshot());
  // Server monitoring (hello) is not the cost of a message.
  const { hello: _monitoring, ...work } = commands;
  const total = Object.values(work).reduce((a, b) => a + b, 0);
  const lat = [...load.latencies].sort((a, b) => a - b);
  const result: Phase = {
    submitted: n,
    delivered: load.seen.size,
    receipts: load.receipts(),
    deliveredPerS: Math.round((load.seen.size / (load.lastDeliveryAt() - load.startedAt)) * 1000),
    receiptsPerS: Math.round((load.receipts() / (load.lastReceiptAt() - load.startedAt)) * 1000),
    submitPerS: Math.round((n / load.submitMs) * 1000),
    p50: pct(lat, 0.5),
    p99: pct(lat, 0.99),
    max: pct(lat, 1),
    commands: work,
    commandsPerMessage: Math.round((total / Math.max(1, load.seen.size)) * 100) / 100,
    cpuUsPerMessage: cpu,
    busyPercent: busy,
    mongoMaxStallMs: mongoLoop.maxDelayMs,
    writesPerMessage: writes,
  };
  console.log(
    `${name}: ${result.submitted} submitted (${result.submitPerS}/s), ${result.delivered} delivered ` +
      `(${result.deliveredPerS}/s end to end), ${result.receipts} receipts (${result.receiptsPerS}/s); ` +
      `submit->deliver p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms; ` +
      `CPU per delivered message ${cpu.smsc} µs smsc + ${cpu.mongo} µs MongoDB + ${cpu.load} µs load ` +
      `generator; busy (% of a core): smsc ${busy.smsc}, MongoDB ${busy.mongo} (longest stall ` +
      `${mongoLoop.maxDelayMs} ms), load generator ${busy.load}; write system calls per delivered ` +
      `message: smsc ${writes.smsc}, MongoDB ${writes.mongo}; ` +
      `${result.commandsPerMessage} MongoDB commands per delivered message (receipt included): ` +
      Object.entries(work)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
  );
  if (load.refused > 0 || load.unknown > 0)
    console.log(`${name}: ${load.refused} submits refused, ${load.unknown} unanswered`);
  if (smsc && smsc.child.exitCode !== null)
    throw new Error(`smsc exited (${smsc.child.exitCode}) during ${name}`);
  if (smsc && smsc.child.signalCode !== null)
    throw new Error(`smsc killed (${smsc.child.signalCode}) during ${name}`);
  return result;
}

const dir = mkdtempSync(join(tmpdir(), 'smsc-bench-e2e-'));
let mongo = await startMongoServerProcess();
const counter = { snapshot: () => mongo.commandCounts() };
let smsc: SmscProcess | undefined;
let exitCode = 0;
/** The JSON line, printed last of all (after the child's timing, if any). */
let summary: string | undefined;
try {
  const profileDir = resolve(process.env.PROFILE_DIR ?? join(tmpdir(), 'smsc-bench-profiles'));
  const timingFile = join(dir, 'timing.json');
  // Node flags through NODE_OPTIONS: the child is started by the e2e suites' own helper.
  const nodeOptions = [
    ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ...(TIMING ? ['--import', join(import.meta.dirname, 'command-timing-preload.ts')] : []),
  ].join(' ');
  const startSmsc = () =>
    startSmscProcess({
      role: 'all',
      mongo: { uri: mongo.uri, database: 'bench' },
      config: {
        smpp: { enquireLinkIntervalMs: 0, windowSize: SMSC_WINDOW, sessionWindow: Math.max(50, W) },
        accounts: [
          { systemId: 'acme', password: 'acme-pw' },
          { systemId: 'sink', password: 'sink-pw' },
        ],
        routes: [{ prefix: '4670', account: 'sink' }],
        delivery: { concurrency: CONCURRENCY },
      },
      env: {
        ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
        ...(TIMING ? { SMSC_BENCH_TIMING_FILE: timingFile } : {}),
      },
    });
  smsc = await startSmsc();
  let port = smsc.smpp!.port;
  console.log(
    `smsc all (pid ${smsc.pid}) on 127.0.0.1:${port}; in-memory MongoDB in a child process ` +
      `(pid ${mongo.pid}); K=${K} senders x window ${W}, ${SINKS} sink receiver(s), ${DESTS} destinations, ` +
      `delivery.concurrency ${CONCURRENCY}, deliver_sm window ${SMSC_WINDOW}, receipts ${RECEIPTS ? 'on' : 'off'}`,
  );
  const base = {
    ports: () => [port],
    senders: K,
    window: W,
    destinations: DESTS,
    receipts: RECEIPTS,
    sinks: SINKS,
  };
  // A short warm-up so JIT and connection pools are not in the measured figures.
  await phase('warm-up', counter, () =>
    runLoad({ ...base, tag: 'w', durationMs: 1500, maxBacklog: BACKLOG }),
  );
  // At full load the latency is mostly the backlog cap over the rate (BACKLOG / messages per second).
  const full = await phase(`full load (backlog cap ${BACKLOG})`, counter, () =>
    runLoad({ ...base, tag: 'f', durationMs: FULL_MS, maxBacklog: BACKLOG }),
  );
  const halfRate = Math.max(1, Math.round(full.deliveredPerS / 2));
  if (!SAME_SERVER) {
    await smsc.stop(10_000);
    smsc = undefined;
    await mongo.close();
    mongo = await startMongoServerProcess();
    smsc = await startSmsc();
    port = smsc.smpp!.port;
    console.log(`half rate on a fresh smsc (pid ${smsc.pid}) and in-memory MongoDB (pid ${mongo.pid})`);
    await phase('warm-up', counter, () =>
      runLoad({ ...base, tag: 'v', durationMs: 1500, maxBacklog: BACKLOG }),
    );
  }
  const half = await phase(`half rate (${halfRate}/s)`, counter, () =>
    runLoad({ ...base, tag: 'h', durationMs: HALF_MS, ratePerS: halfRate }),
  );
  const target = { deliveredPerS: 5000, p99AtHalfMs: 100 };
  console.log(
    `target: ${target.deliveredPerS} msg/s end to end (${full.deliveredPerS >= target.deliveredPerS ? 'met' : 'missed'}), ` +
      `p99 < ${target.p99AtHalfMs} ms at half rate (${half.p99 !== null && half.p99 < target.p99AtHalfMs ? 'met' : 'missed'})`,
  );
  summary = JSON.stringify({
    bench: 'e2e',
    setup: {
      K,
      W,
      backlog: BACKLOG,
      sinks: SINKS,
      destinations: DESTS,
      concurrency: CONCURRENCY,
      smscWindow: SMSC_WINDOW,
      receipts: RECEIPTS,
      halfRateOnFreshServer: !SAME_SERVER,
    },
    messagesPerS: full.deliveredPerS,
    receiptsPerS: full.receiptsPerS,
    submitPerS: full.submitPerS,
    fullLoad: { p50Ms: full.p50, p99Ms: full.p99, delivered: full.delivered, receipts: full.receipts },
    halfRate: { ratePerS: halfRate, p50Ms: half.p50, p99Ms: half.p99, delivered: half.delivered },
    commandsPerMessage: full.commandsPerMessage,
    cpuUsPerMessage: full.cpuUsPerMessage,
    busyPercent: full.busyPercent,
    writesPerMessage: full.writesPerMessage,
    halfRateCpuUsPerMessage: half.cpuUsPerMessage,
    halfRateWritesPerMessage: half.writesPerMessage,
    halfRateMongoMaxStallMs: half.mongoMaxStallMs,
    commandsPerMessageAtHalfRate: half.commandsPerMessage,
    commands: full.commands,
  });
} catch (error) {
  console.error(error);
  if (smsc) console.error(smsc.logs().split('\n').slice(-80).join('\n'));
  exitCode = 1;
} finally {
  await smsc?.stop(10_000);
  if (PROFILE)
    console.log(
      `cpu profile of the smsc process in ${resolve(process.env.PROFILE_DIR ?? join(tmpdir(), 'smsc-bench-profiles'))}`,
    );
  if (TIMING && existsSync(join(dir, 'timing.json'))) {
    const timing = JSON.parse(readFileSync(join(dir, 'timing.json'), 'utf8')) as Record<
      string,
      { n: number; p50: number; p99: number; totalMs: number }
    >;
    console.log('round trips seen by the SMSC (all phases):');
    for (const [key, t] of Object.entries(timing).sort((a, b) => b[1].totalMs - a[1].totalMs))
      console.log(`  ${key.padEnd(28)} ${String(t.n).padStart(7)}  p50 ${t.p50} ms  p99 ${t.p99} ms`);
  }
  await mongo.close();
  rmSync(dir, { recursive: true, force: true });
}
if (summary) console.log(summary);
process.exit(exitCode);
