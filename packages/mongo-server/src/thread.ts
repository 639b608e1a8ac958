// The in-memory server on a thread of its own: a process that embeds it (`smsc all` without a
// MongoDB URI, the end-to-end benchmark) then has two event loops, so the database does not wait
// behind the SMPP sessions and the other way round, as with a real mongod in another process.
import type { EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { MongoServerOptions } from './server.ts';

/** Options a thread can take (no callbacks: they cannot cross to another thread). */
export type MongoServerThreadOptions = Pick<MongoServerOptions, 'port' | 'replicaSet' | 'ttlIntervalMs'>;

export type MongoServerThread = {
  readonly uri: string;
  readonly port: number;
  readonly replicaSet: string | undefined;
  /** Commands run so far, by name (benchmarks count them this way, without a proxy in between). */
  commandCounts(): Promise<Map<string, number>>;
  /**
   * The thread's event loop: its utilisation so far (`performance.eventLoopUtilization()` there)
   * and the longest delay since the previous call (a long command or a garbage collection shows here).
   */
  loopStats(): Promise<ThreadLoopStats>;
  /** Stops the server, then the thread; idempotent. */
  close(): Promise<void>;
};

export type ThreadLoopStats = { utilization: EventLoopUtilization; maxDelayMs: number };

export type ThreadRequest =
  | { type: 'counts'; id: number }
  | { type: 'utilization'; id: number }
  | { type: 'close'; id: number };
export type ThreadReply =
  | { type: 'ready'; uri: string; port: number; replicaSet: string | undefined }
  | { type: 'counts'; id: number; counts: [string, number][] }
  | ({ type: 'utilization'; id: number } & ThreadLoopStats)
  | { type: 'closed'; id: number };

/** Starts the server in a worker thread; resolves once it listens. */
export async function startMongoServerThread(
  options: MongoServerThreadOptions = {},
): Promise<MongoServerThread> {
  const worker = new Worker(new URL('./thread-entry.ts', import.meta.url), { workerData: options });
  let ids = 0;
  const waiting = new Map<number, (reply: ThreadReply) => void>();
  const ready = new Promise<Extract<ThreadReply, { type: 'ready' }>>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the in-memory MongoDB thread exited (${code})`)));
    worker.on('message', (reply: ThreadReply) => {
      if (reply.type === 'ready') resolve(reply);
      else waiting.get(reply.id)?.(reply);
    });
  });
  const ask = (type: ThreadRequest['type']) =>
    new Promise<ThreadReply>((resolve) => {
      const id = ++ids;
      waiting.set(id, (reply) => {
        waiting.delete(id);
        resolve(reply);
      });
      worker.postMessage({ type, id } satisfies ThreadRequest);
    });
  let started: Extract<ThreadReply, { type: 'ready' }>;
  try {
    started = await ready;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    uri: started.uri,
    port: started.port,
    replicaSet: started.replicaSet,
    async commandCounts() {
      const reply = await ask('counts');
      return new Map(reply.type === 'counts' ? reply.counts : []);
    },
    async loopStats() {
      const reply = await ask('utilization');
      if (reply.type !== 'utilization') throw new Error(`unexpected reply ${reply.type}`);
      return { utilization: reply.utilization, maxDelayMs: reply.maxDelayMs };
    },
    close() {
      closing ??= (async () => {
        await ask('close');
        await worker.terminate();
      })();
      return closing;
    },
  };
}
