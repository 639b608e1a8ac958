// Inserter submit benchmark on the in-memory MongoDB server:
//   node packages/inserter/bench/submit.ts   (BENCH_MESSAGES=20000 BENCH_SESSIONS=4 BENCH_WINDOW=10)
// K sessions keep `window` submit_sm outstanding each; figures: submits/s, submit -> resp latency
// p50/p99, messages per grouped write and MongoDB commands per message. Last line: one JSON object.
import { applyDirectoryConfig, Directory, validateDirectoryConfig } from '@smsc/directory';
import { startMongoServer } from '@smsc/mongo-server';
import { connectSmpp, type SmppSession } from '@smsc/smpp';
import { createStore } from '@smsc/store';
import { MongoClient } from 'mongodb';
import { Inserter } from '../src/index.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 4);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 10);

const server = await startMongoServer();
const client = new MongoClient(server.uri, { monitorCommands: true });
let commands = 0;
client.on('commandStarted', () => {
  commands += 1;
});
await client.connect();
const store = createStore({ db: client.db('bench_inserter') });
await store.migrate();
await applyDirectoryConfig(
  store.collections,
  validateDirectoryConfig({
    accounts: [{ systemId: 'bench', password: 'bench', maxBinds: SESSIONS }],
    routes: [{ prefix: '46', account: 'bench' }],
  }),
);
const directory = new Directory({ collections: store.collections, refreshIntervalMs: 0 });
await directory.start();
const inserter = new Inserter({ store, directory, port: 0, sessionWindow: WINDOW * 2 });
await inserter.start();

const sessions: SmppSession[] = [];
for (let i = 0; i < SESSIONS; i += 1) {
  sessions.push(
    await connectSmpp({
      host: '127.0.0.1',
      port: inserter.port,
      windowSize: WINDOW,
      enquireLinkIntervalMs: 0,
      bind: { command: 'bind_transmitter', systemId: 'bench', password: 'bench' },
    }),
  );
}

const latencies: number[] = [];
let next = 0;
let failed = 0;
async function pump(session: SmppSession): Promise<void> {
  while (next < MESSAGES) {
    const n = next++;
    const started = performance.now();
    const resp = await session.request({
      command: 'submit_sm',
      sourceAddrTon: 1,
      sourceAddrNpi: 1,
      sourceAddr: '4915100000000',
      destAddrTon: 1,
      destAddrNpi: 1,
      destinationAddr: `4670${String(n % 5000).padStart(7, '0')}`,
      registeredDelivery: 1,
      shortMessage: Buffer.from(`benchmark message ${n}`),
    });
    latencies.push(performance.now() - started);
    if (resp.commandStatus !== 0) failed += 1;
  }
}

const commandsBefore = commands;
const t0 = performance.now();
await Promise.all(sessions.flatMap((s) => Array.from({ length: WINDOW }, () => pump(s))));
const seconds = (performance.now() - t0) / 1000;
const used = commands - commandsBefore;

latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
const stats = inserter.stats;
const result = {
  messages: MESSAGES,
  sessions: SESSIONS,
  window: WINDOW,
  failed,
  submitsPerSecond: Math.round(MESSAGES / seconds),
  p50Ms: Number(pct(50).toFixed(2)),
  p99Ms: Number(pct(99).toFixed(2)),
  writes: stats.writes,
  messagesPerWrite: Number((stats.messagesWritten / Math.max(1, stats.writes)).toFixed(1)),
  mongoCommandsPerMessage: Number((used / MESSAGES).toFixed(3)),
};
console.log(
  `submits/s ${result.submitsPerSecond} (${SESSIONS} sessions x window ${WINDOW}, ${failed} failed)`,
);
console.log(`submit -> resp latency p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`);
console.log(
  `messages per grouped write ${result.messagesPerWrite}; MongoDB commands per message ${result.mongoCommandsPerMessage}`,
);

await Promise.all(sessions.map((s) => s.unbind()));
await inserter.close();
directory.close();
await client.close();
await server.close();
console.log(JSON.stringify(result));
