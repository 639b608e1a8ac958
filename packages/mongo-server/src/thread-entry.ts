// The worker side of startMongoServerThread: runs the server, counts commands, answers requests.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { startMongoServer } from './server.ts';
import type { MongoServerThreadOptions, ThreadReply, ThreadRequest } from './thread.ts';

const port = parentPort;
if (!port) throw new Error('thread-entry.ts runs only as a worker thread (see startMongoServerThread)');
const counts = new Map<string, number>();
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const server = await startMongoServer({
  ...(workerData as MongoServerThreadOptions),
  onCommand: (name) => counts.set(name, (counts.get(name) ?? 0) + 1),
});
port.on('message', async (request: ThreadRequest) => {
  if (request.type === 'counts') {
    port.postMessage({ type: 'counts', id: request.id, counts: [...counts] } satisfies ThreadReply);
    return;
  }
  if (request.type === 'utilization') {
    const utilization = performance.eventLoopUtilization();
    const maxDelayMs = Math.round(delay.max / 1e6);
    delay.reset();
    port.postMessage({ type: 'utilization', id: request.id, utilization, maxDelayMs } satisfies ThreadReply);
    return;
  }
  await server.close();
  port.postMessage({ type: 'closed', id: request.id } satisfies ThreadReply);
});
port.postMessage({
  type: 'ready',
  uri: server.uri,
  port: server.port,
  replicaSet: server.replicaSet,
} satisfies ThreadReply);
