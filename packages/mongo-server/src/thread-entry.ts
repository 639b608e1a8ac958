// The worker side of startMongoServerThread.
import { parentPort, workerData } from 'node:worker_threads';
import { hostServer, type RemoteServerOptions } from './remote.ts';

const port = parentPort;
if (!port) throw new Error('thread-entry.ts runs only as a worker thread (see startMongoServerThread)');
await hostServer(workerData as RemoteServerOptions, {
  send: (m) => port.postMessage(m),
  onMessage: (l) => port.on('message', l),
});
