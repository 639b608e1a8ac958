// A stand-in for cli.ts that `pnpm bench:mongo-mix` can run (MIX_SERVER=<this file>, MIX_RECORD=<file>):
// the in-memory server behind a proxy that appends every frame the clients send to MIX_RECORD, in
// arrival order, for `bench/mix-replay.ts` to send again. The proxy's URI asks for a direct
// connection, so that the driver stays on the proxy rather than the hosts hello names.
import { createWriteStream } from 'node:fs';
import { connect, createServer } from 'node:net';
import { startMongoServer } from '../src/server.ts';
import { FrameReader } from '../src/wire.ts';

const file = process.env.MIX_RECORD;
if (!file) throw new Error('MIX_RECORD=<file> names where the frames go');
const out = createWriteStream(file);
const server = await startMongoServer();
const proxy = createServer((client) => {
  client.setNoDelay(true);
  const upstream = connect(server.port, '127.0.0.1');
  upstream.setNoDelay(true);
  const reader = new FrameReader();
  client.on('data', (chunk: Buffer) => {
    for (const frame of reader.push(chunk)) out.write(frame);
    upstream.write(chunk);
  });
  upstream.on('data', (chunk: Buffer) => client.write(chunk));
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const address = proxy.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(`mongodb://127.0.0.1:${port}/?directConnection=true\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    out.end(() => void server.close().then(() => process.exit(0)));
  });
}
