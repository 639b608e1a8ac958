// The in-memory server hosted outside the caller's event loop, on a worker thread (thread.ts) or
// in a child process (process.ts): one request/reply protocol over either channel, the caller's
// handle (remoteHandle) and the host's side (hostServer).
import { type EventLoopUtilization, monitorEventLoopDelay } from 'node:perf_hooks';
import { type MongoServerOptions, startMongoServer } from './server.ts';

/** Options a remote server takes (no callbacks: they cannot cross to another thread or process). */
export type RemoteServerOptions = Pick<MongoServerOptions, 'port' | 'replicaSet' | 'ttlIntervalMs'>;

export type LoopStats = { utilization: EventLoopUtilization; maxDelayMs: number };

export type RemoteServer = {
  readonly uri: string;
  readonly port: number;
  readonly replicaSet: string | undefined;
  /** The child process's id (startMongoServerProcess); undefined on a thread. */
  readonly pid?: number;
  /** Commands run so far, by name (benchmarks count them this way, without a proxy in between). */
  commandCounts(): Promise<Map<string, number>>;
  /**
   * The host's event loop: its utilisation so far (`performance.eventLoopUtilization()` there) and
   * the longest delay since the previous call (a long command or a garbage collection shows here).
   */
  loopStats(): Promise<LoopStats>;
  /** Stops the server, then its thread or process; idempotent. */
  close(): Promise<void>;
};

type Request = { type: 'counts' | 'utilization' | 'close'; id: number };
type Reply =
  | { type: 'ready'; uri: string; port: number; replicaSet: string | undefined }
  | { type: 'counts'; id: number; counts: [string, number][] }
  | ({ type: 'utilization'; id: number } & LoopStats)
  | { type: 'closed'; id: number };

/** What a worker's parentPort and a forked process's IPC have in common. */
export type Channel = {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
};

/**
 * The caller's side: waits for the host's `ready` (or `failed`, which rejects), then answers
 * requests over the channel. `end` stops the thread or process once the server has closed.
 */
export async function remoteHandle(
  channel: Channel,
  failed: Promise<never>,
  end: () => Promise<unknown>,
  pid?: number,
): Promise<RemoteServer> {
  let ids = 0;
  const waiting = new Map<number, { resolve: (reply: Reply) => void; reject: (error: unknown) => void }>();
  // Once the thread or process is gone, nothing will answer: fail what waits and what comes.
  let gone: unknown;
  failed.catch((error: unknown) => {
    gone = error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  });
  const ready = new Promise<Extract<Reply, { type: 'ready' }>>((resolve) => {
    channel.onMessage((message) => {
      const reply = message as Reply;
      if (reply.type === 'ready') resolve(reply);
      else waiting.get(reply.id)?.resolve(reply);
    });
  });
  const ask = (type: Request['type']) =>
    new Promise<Reply>((resolve, reject) => {
      if (gone !== undefined) {
        reject(gone);
        return;
      }
      const id = ++ids;
      waiting.set(id, {
        resolve: (reply) => {
          waiting.delete(id);
          resolve(reply);
        },
        reject,
      });
      channel.send({ type, id } satisfies Request);
    });
  let started: Extract<Reply, { type: 'ready' }>;
  try {
    started = await Promise.race([ready, failed]);
  } catch (error) {
    await end();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    uri: started.uri,
    port: started.port,
    replicaSet: started.replicaSet,
    ...(pid !== undefined ? { pid } : {}),
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
        // Already gone (killed, crashed): nothing left to stop.
        if (gone === undefined) await ask('close').catch(() => undefined);
        await end();
      })();
      return closing;
    },
  };
}

/** The host's side: runs the server, counts its commands, watches its loop, answers requests. */
export async function hostServer(options: RemoteServerOptions, channel: Channel): Promise<void> {
  const counts = new Map<string, number>();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const server = await startMongoServer({
    ...options,
    onCommand: (name) => counts.set(name, (counts.get(name) ?? 0) + 1),
  });
  channel.onMessage(async (message) => {
    const request = message as Request;
    if (request.type === 'counts') {
      channel.send({ type: 'counts', id: request.id, counts: [...counts] } satisfies Reply);
    } else if (request.type === 'utilization') {
      const utilization = performance.eventLoopUtilization();
      const maxDelayMs = Math.round(delay.max / 1e6);
      delay.reset();
      channel.send({ type: 'utilization', id: request.id, utilization, maxDelayMs } satisfies Reply);
    } else {
      await server.close();
      channel.send({ type: 'closed', id: request.id } satisfies Reply);
    }
  });
  channel.send({
    type: 'ready',
    uri: server.uri,
    port: server.port,
    replicaSet: server.replicaSet,
  } satisfies Reply);
}
