// The child side of startMongoServerProcess. It exits when its parent goes (the IPC channel
// closes), so a killed parent leaves no server behind.
import type { ProcessServerOptions } from './process.ts';
import { hostServer } from './remote.ts';
import { lowerWorkerThreadPriority } from './thread-priority.ts';

const send = process.send?.bind(process);
if (!send) throw new Error('process-entry.ts runs only as a forked child (see startMongoServerProcess)');
process.on('disconnect', () => process.exit(0));
const { gcThreadNice = 10, ...options } = JSON.parse(process.argv[2] ?? '{}') as ProcessServerOptions;
if (gcThreadNice !== 0) lowerWorkerThreadPriority(gcThreadNice);
await hostServer(options, {
  send: (m) => send(m),
  onMessage: (l) => process.on('message', l),
});
