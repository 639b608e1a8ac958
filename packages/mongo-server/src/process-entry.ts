// The child side of startMongoServerProcess. It exits when its parent goes (the IPC channel
// closes), so a killed parent leaves no server behind.
import { hostServer, type RemoteServerOptions } from './remote.ts';

const send = process.send?.bind(process);
if (!send) throw new Error('process-entry.ts runs only as a forked child (see startMongoServerProcess)');
process.on('disconnect', () => process.exit(0));
await hostServer(JSON.parse(process.argv[2] ?? '{}') as RemoteServerOptions, {
  send: (m) => send(m),
  onMessage: (l) => process.on('message', l),
});
