// A quick end-to-end probe: `smsc all` in this process on the in-memory MongoDB, K acme sessions
// submitting N messages (window 10 each) to 1000 destinations routed to one sink receiver, receipts
// on unless RECEIPTS=0. Last line: JSON with submit and delivery rates and submit->deliver latency.
// `node packages/cli/bench/quick-e2e.ts` (N, K, C = delivery.concurrency, RECEIPTS from the environment).
import { connectSmpp, type SmppSession } from '@smsc/smpp';
import pino from 'pino';
import { validateConfig } from '../src/config/validate.ts';
import { startSmsc } from '../src/run.ts';

const N = Number(process.env.N ?? 3000);
const K = Number(process.env.K ?? 4);
const RECEIPTS = process.env.RECEIPTS !== '0';
const config = validateConfig({
  smpp: { port: 0, enquireLinkIntervalMs: 0 },
  accounts: [
    { systemId: 'acme', password: 'acme-pw' },
    { systemId: 'sink', password: 'sink-pw' },
  ],
  routes: [{ prefix: '4670', account: 'sink' }],
  delivery: { concurrency: Number(process.env.C ?? 4) },
  log: { level: 'warn' },
});
const logger = pino({ level: 'warn' });
const smsc = await startSmsc('all', config, logger);
const port = smsc.smpp!.port;
let delivered = 0;
let receipts = 0;
const submittedAt = new Map<string, number>();
const lat: number[] = [];
let done!: () => void;
const finished = new Promise<void>((r) => {
  done = r;
});
const check = () => {
  if (delivered >= N && (!RECEIPTS || receipts >= N)) done();
};
const sink = await connectSmpp({
  host: '127.0.0.1',
  port,
  enquireLinkIntervalMs: 0,
  bind: { command: 'bind_receiver', systemId: 'sink', password: 'sink-pw' },
});
sink.on('pdu', (pdu) => {
  if (pdu.command !== 'deliver_sm') return;
  const t = submittedAt.get(pdu.shortMessage.toString());
  if (t !== undefined) lat.push(performance.now() - t);
  delivered++;
  sink.respond(pdu, {});
  check();
});
const senders: SmppSession[] = [];
for (let k = 0; k < K; k++) {
  const s = await connectSmpp({
    host: '127.0.0.1',
    port,
    enquireLinkIntervalMs: 0,
    bind: { command: 'bind_transceiver', systemId: 'acme', password: 'acme-pw' },
  });
  s.on('pdu', (pdu) => {
    if (pdu.command !== 'deliver_sm') return;
    receipts++;
    s.respond(pdu, {});
    check();
  });
  senders.push(s);
}
const t0 = performance.now();
let next = 0;
await Promise.all(
  senders.map(async (s) => {
    const inflight = new Set<Promise<unknown>>();
    while (next < N) {
      const i = next++;
      const text = `m${i}`;
      submittedAt.set(text, performance.now());
      const p = s
        .request({
          command: 'submit_sm',
          sourceAddr: '4915100000001',
          destAddrTon: 1,
          destAddrNpi: 1,
          destinationAddr: `4670${String(i % 1000).padStart(7, '0')}`,
          registeredDelivery: RECEIPTS ? 1 : 0,
          shortMessage: Buffer.from(text),
        })
        .then((r) => {
          if (r.commandStatus !== 0) console.error('submit status', r.commandStatus);
        });
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
      if (inflight.size >= 10) await Promise.race(inflight);
    }
    await Promise.all(inflight);
  }),
);
const tSubmit = performance.now() - t0;
await Promise.race([finished, new Promise((r) => setTimeout(r, 120_000))]);
const total = performance.now() - t0;
lat.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    N,
    K,
    submitPerS: Math.round((N / tSubmit) * 1000),
    deliveredPerS: Math.round((delivered / total) * 1000),
    delivered,
    receipts,
    p50: Math.round(lat[Math.floor(lat.length * 0.5)] ?? -1),
    p99: Math.round(lat[Math.floor(lat.length * 0.99)] ?? -1),
  }),
);
for (const s of [...senders, sink]) await s.close();
await smsc.close();
process.exit(0);
