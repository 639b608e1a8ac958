// Loaded into the SMSC child with `node --import` by `bench:e2e` when TIMING=1: turns on the
// driver's command monitoring on every MongoClient of the process (one module instance: pnpm links
// every package to the same mongodb copy) and, at exit, writes per-command counts and round-trip
// times as the driver sees them to $SMSC_BENCH_TIMING_FILE. Bench-only; the product is untouched.
import { writeFileSync } from 'node:fs';
import { MongoClient } from 'mongodb';

type Stat = { n: number; ms: number[] };
const stats = new Map<string, Stat>();
const started = new Map<number, { key: string; at: number }>();
const file = process.env.SMSC_BENCH_TIMING_FILE;

const connect = MongoClient.prototype.connect;
MongoClient.prototype.connect = function patchedConnect(this: MongoClient) {
  // The client's own option (its typed setter is not in the declarations); read when pools open.
  (this as unknown as { options: { monitorCommands: boolean } }).options.monitorCommands = true;
  this.on('commandStarted', (e) => {
    if (e.commandName === 'hello' || e.commandName === 'isMaster') return;
    const coll = e.command[e.commandName];
    started.set(e.requestId, {
      key: typeof coll === 'string' ? `${e.commandName} ${coll}` : e.commandName,
      at: performance.now(),
    });
  });
  const done = (e: { requestId: number; reply?: unknown }) => {
    const s = started.get(e.requestId);
    if (!s) return;
    started.delete(e.requestId);
    // A claim that found nothing: the cost of waking up without work.
    const empty =
      s.key.startsWith('findAndModify') && (e.reply as { value?: unknown } | undefined)?.value === null;
    const key = empty ? `${s.key} (empty)` : s.key;
    const stat = stats.get(key) ?? { n: 0, ms: [] };
    stat.n += 1;
    // Bounded: enough samples for percentiles over a bench run.
    if (stat.ms.length < 200_000) stat.ms.push(performance.now() - s.at);
    stats.set(key, stat);
  };
  this.on('commandSucceeded', done);
  this.on('commandFailed', done);
  return connect.call(this);
} as typeof connect;

process.on('exit', () => {
  if (!file) return;
  const out: Record<string, { n: number; p50: number; p99: number; totalMs: number }> = {};
  for (const [key, s] of stats) {
    const sorted = [...s.ms].sort((a, b) => a - b);
    const at = (p: number) => Math.round((sorted[Math.floor((sorted.length - 1) * p)] ?? 0) * 100) / 100;
    out[key] = { n: s.n, p50: at(0.5), p99: at(0.99), totalMs: Math.round(s.ms.reduce((a, b) => a + b, 0)) };
  }
  writeFileSync(file, JSON.stringify(out));
});
