// Engine throughput and wake-up benchmark on the in-memory server:
//   pnpm bench:engine            (BENCH_MESSAGES=4000 BENCH_WORKERS=2 to change the load)
// BENCH_SERVER=child runs the server in a child process, so that client and server CPU are separate
// (printed per case); BENCH_SERVER_PROF=<dir> also writes the child's CPU profile there.
// Prints one line per figure and, last, one JSON object with all of them.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { startMongoServer } from '@smsc/mongo-server';
import { createStore, type SmsRecord, type Store } from '@smsc/store';
import { MongoClient } from 'mongodb';
import { type Outlet, Worker } from '../src/index.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 4000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const WAKEUPS = Number(process.env.BENCH_WAKEUPS ?? 40);

type BenchServer = { uri: string; cpuMs: () => number; close: () => Promise<void> };

async function childServer(): Promise<BenchServer> {
  const entry = createRequire(import.meta.url).resolve('@smsc/mongo-server');
  const cli = join(dirname(entry), 'cli.ts');
  const prof = process.env.BENCH_SERVER_PROF;
  const args = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`, cli] : [cli];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  const [uri] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const tick = 10; // USER_HZ on Linux: /proc/<pid>/stat counts CPU time in 1/100 s
  return {
    uri,
    cpuMs: () => {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) * tick;
    },
    close: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

async function inProcessServer(): Promise<BenchServer> {
  const s = await startMongoServer();
  return { uri: s.uri, cpuMs: () => Number.NaN, close: () => s.close() };
}

const server = process.env.BENCH_SERVER === 'child' ? await childServer() : await inProcessServer();
const loader = new MongoClient(server.uri);
await loader.connect();

function payload(dest: string) {
  return {
    payload: {
      source: { ton: 1, npi: 1, addr: '4915100000000' },
      destination: { ton: 1, npi: 1, addr: dest },
      shortMessage: Buffer.from('benchmark message'),
    },
    target: 'bench',
    accountId: 'bench',
  };
}

const profile = new Map<string, { n: number; ms: number }>();

type Run = {
  workers: Worker[];
  clients: MongoClient[];
  commands: () => number;
  delivered: () => number;
  reset: () => void;
  close: () => Promise<void>;
};

async function startWorkers(dbName: string, outlet: Outlet): Promise<Run> {
  let commands = 0;
  const clients: MongoClient[] = [];
  const workers: Worker[] = [];
  const stores: Store[] = [];
  for (let i = 0; i < WORKERS; i += 1) {
    const client = new MongoClient(server.uri, { monitorCommands: true });
    client.on('commandStarted', () => {
      commands += 1;
    });
    if (process.env.BENCH_PROFILE) {
      client.on('commandSucceeded', (e) => {
        const p = profile.get(e.commandName) ?? { n: 0, ms: 0 };
        p.n += 1;
        p.ms += e.duration;
        profile.set(e.commandName, p);
      });
    }
    await client.connect();
    clients.push(client);
    const store = createStore({ db: client.db(dbName) });
    stores.push(store);
    workers.push(new Worker({ store, outlets: [outlet], concurrency: CONCURRENCY, id: `bench-${i}` }));
  }
  await Promise.all(workers.map((w) => w.start()));
  return {
    workers,
    clients,
    commands: () => commands,
    delivered: () =>
      stores.reduce((n, s) => n + s.metrics.get('smsc_sms_transitions_total', { to: 'delivered' }), 0),
    reset: () => {
      commands = 0;
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}

async function queueAll(store: Store, destinations: string[]): Promise<number> {
  let n = 0;
  let inFlight: Promise<unknown>[] = [];
  for (const dest of destinations) {
    inFlight.push(store.queue(payload(dest)));
    n += 1;
    if (inFlight.length === 200) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  return n;
}

async function throughput(name: string, perDestination: number) {
  const dbName = `bench_${name}`;
  const store = createStore({ db: loader.db(dbName) });
  await store.migrate();
  const destinations: string[] = [];
  for (let i = 0; i < MESSAGES / perDestination; i += 1) {
    for (let j = 0; j < perDestination; j += 1) destinations.push(`49170${String(i).padStart(7, '0')}`);
  }
  const total = await queueAll(store, destinations);
  let delivered = 0;
  let batches = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const outlet: Outlet = {
    name: 'noop',
    targets: ['bench'],
    async deliver(_d, messages) {
      batches += 1;
      return messages.map(() => ({ status: 'delivered' as const }));
    },
  };
  // Count recorded outcomes (not outlet calls) from the workers' metrics: free, unlike a query.
  const poll = setInterval(() => {
    delivered = run ? run.delivered() : 0;
    if (delivered >= total) done();
  }, 5);
  let run: Run | undefined;
  const cpu0 = process.cpuUsage();
  const serverCpu0 = server.cpuMs();
  const started = performance.now();
  run = await startWorkers(dbName, outlet);
  run.reset();
  await finished;
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const clientCpuMs = (cpu.user + cpu.system) / 1000;
  const serverCpuMs = server.cpuMs() - serverCpu0;
  clearInterval(poll);
  const commands = run.commands();
  await run.close();
  if (process.env.BENCH_PROFILE) {
    for (const [k, v] of profile)
      console.log(`  ${k}: ${v.n} commands, ${(v.ms / v.n).toFixed(2)} ms average`);
    profile.clear();
  }
  const result = {
    messages: total,
    msgPerSecond: Math.round(total / seconds),
    commandsPerMessage: Number((commands / total).toFixed(2)),
    averageBatch: Number((total / batches).toFixed(2)),
    clientCpuUsPerMessage: Math.round((clientCpuMs * 1000) / total),
    serverCpuUsPerMessage: Number.isNaN(serverCpuMs) ? undefined : Math.round((serverCpuMs * 1000) / total),
  };
  console.log(
    `${name}: ${result.msgPerSecond} msg/s, ${result.commandsPerMessage} commands/message, batch ${result.averageBatch}, CPU µs/message: this process ${result.clientCpuUsPerMessage}${result.serverCpuUsPerMessage === undefined ? '' : `, server ${result.serverCpuUsPerMessage}`}`,
  );
  return result;
}

async function wakeUp() {
  const dbName = 'bench_wakeup';
  const store = createStore({ db: loader.db(dbName) });
  await store.migrate();
  const arrived = new Map<string, number>();
  const outlet: Outlet = {
    name: 'noop',
    targets: ['bench'],
    async deliver(_d, messages: readonly SmsRecord[]) {
      for (const m of messages) arrived.set(m._id, performance.now());
      return messages.map(() => ({ status: 'delivered' as const }));
    },
  };
  const run = await startWorkers(dbName, outlet);
  await new Promise((r) => setTimeout(r, 300));

  // Idle cost: CPU of this whole process (server included) and commands over one idle second.
  run.reset();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 1000));
  const cpu = process.cpuUsage(cpu0);
  const idleMs = performance.now() - t0;
  const idleCpuPercent = Number((((cpu.user + cpu.system) / 1000 / idleMs) * 100).toFixed(2));
  const idleCommandsPerSecond = Number(((run.commands() * 1000) / idleMs).toFixed(1));

  const latencies: number[] = [];
  for (let i = 0; i < WAKEUPS; i += 1) {
    const before = performance.now();
    const m = await store.queue(payload(`49180${String(i).padStart(7, '0')}`));
    for (let k = 0; k < 400 && !arrived.has(m._id); k += 1) await new Promise((r) => setTimeout(r, 1));
    const at = arrived.get(m._id);
    if (at !== undefined) latencies.push(at - before);
    await new Promise((r) => setTimeout(r, 20));
  }
  await run.close();
  latencies.sort((a, b) => a - b);
  const p = (q: number) =>
    Number(
      (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN).toFixed(1),
    );
  const result = {
    wakeupP50Ms: p(0.5),
    wakeupP90Ms: p(0.9),
    wakeupSamples: latencies.length,
    idleCpuPercent,
    idleCommandsPerSecond,
  };
  console.log(
    `wake-up: p50 ${result.wakeupP50Ms} ms, p90 ${result.wakeupP90Ms} ms (${latencies.length} samples); idle: ${idleCpuPercent}% CPU, ${idleCommandsPerSecond} commands/s`,
  );
  return result;
}

try {
  const single = await throughput('single', 1);
  const batched = await throughput('batches-of-4', 4);
  const wake = await wakeUp();
  console.log(
    JSON.stringify({
      workers: WORKERS,
      concurrency: CONCURRENCY,
      single,
      batchesOf4: batched,
      ...wake,
    }),
  );
} finally {
  await loader.close();
  await server.close();
}
