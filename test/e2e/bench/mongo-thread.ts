// The in-memory MongoDB of the benchmarks, in a worker thread of the bench process: its own event
// loop (the database is not slowed by the load generator's SMPP sessions, as a real mongod would
// not be), and commands counted by the server itself (no proxy in between).
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { startMongoServer } from '@smsc/mongo-server';

type Request = { type: 'snapshot'; id: number } | { type: 'close'; id: number };
type Reply =
  | { type: 'ready'; uri: string; port: number }
  | { type: 'snapshot'; id: number; counts: [string, number][] }
  | { type: 'closed'; id: number };

export type MongoThread = {
  readonly uri: string;
  readonly port: number;
  /** Commands run so far, by name. */
  snapshot(): Promise<Map<string, number>>;
  close(): Promise<void>;
};

/** Starts the server in a worker thread; resolves once it listens. */
export async function startMongoThread(): Promise<MongoThread> {
  const worker = new Worker(new URL(import.meta.url));
  let ids = 0;
  const waiting = new Map<number, (reply: Reply) => void>();
  const ready = new Promise<{ uri: string; port: number }>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (reply: Reply) => {
      if (reply.type === 'ready') resolve(reply);
      else waiting.get(reply.id)?.(reply);
    });
  });
  const ask = (type: Request['type']) =>
    new Promise<Reply>((resolve) => {
      const id = ++ids;
      waiting.set(id, (reply) => {
        waiting.delete(id);
        resolve(reply);
      });
      worker.postMessage({ type, id } satisfies Request);
    });
  const { uri, port } = await ready;
  return {
    uri,
    port,
    async snapshot() {
      const reply = await ask('snapshot');
      return new Map(reply.type === 'snapshot' ? reply.counts : []);
    },
    async close() {
      await ask('close');
      await worker.terminate();
    },
  };
}

/** Commands counted between two snapshots, by name. */
export function countsSince(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, n] of after) {
    const d = n - (before.get(name) ?? 0);
    if (d > 0) out[name] = d;
  }
  return out;
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const counts = new Map<string, number>();
  const server = await startMongoServer({
    port: 0,
    onCommand: (name) => counts.set(name, (counts.get(name) ?? 0) + 1),
  });
  port.on('message', async (request: Request) => {
    if (request.type === 'snapshot')
      port.postMessage({ type: 'snapshot', id: request.id, counts: [...counts] });
    else {
      await server.close();
      port.postMessage({ type: 'closed', id: request.id });
    }
  });
  port.postMessage({ type: 'ready', uri: server.uri, port: server.port } satisfies Reply);
}
