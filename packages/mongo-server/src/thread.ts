// The in-memory server on a thread of its own: a process that embeds it (`smsc all` without a
// MongoDB URI) then has two event loops, so the database does not wait behind the SMPP sessions
// and the other way round.
import { Worker } from 'node:worker_threads';
import { type RemoteServer, type RemoteServerOptions, remoteHandle } from './remote.ts';

/** Starts the server in a worker thread; resolves once it listens. */
export function startMongoServerThread(options: RemoteServerOptions = {}): Promise<RemoteServer> {
  const worker = new Worker(new URL('./thread-entry.ts', import.meta.url), { workerData: options });
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the in-memory MongoDB thread exited (${code})`)));
  });
  failed.catch(() => undefined);
  return remoteHandle(
    { send: (m) => worker.postMessage(m), onMessage: (l) => worker.on('message', l) },
    failed,
    () => worker.terminate(),
  );
}
