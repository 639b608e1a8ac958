// Sends the frames bench/mix-record.ts recorded to a fresh in-memory server in this process, one at
// a time over one connection, each after the previous reply: the same commands with the same
// values every run, and no driver competing for the CPU, so that CPU per command compares between
// versions of the server far more steadily than bench:mongo-mix. Measured from the first `find`
// (the prefill before it is not). `MIX_SRC=<an older checkout's src dir>` replays against that one.
// `node packages/mongo-server/bench/mix-replay.ts <file> [runs]`
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

const [file, runsArg] = process.argv.slice(2);
if (!file) throw new Error('usage: mix-replay.ts <recorded frames> [runs]');
const src = process.env.MIX_SRC ?? join(import.meta.dirname, '..', 'src');
const { startMongoServer } = (await import(join(src, 'server.ts'))) as typeof import('../src/server.ts');
const { decodeMessage } = (await import(join(src, 'wire.ts'))) as typeof import('../src/wire.ts');

const data = readFileSync(file);
const frames: Buffer[] = [];
for (let p = 0; p + 4 <= data.length; ) {
  const size = data.readInt32LE(p);
  frames.push(data.subarray(p, p + size));
  p += size;
}
// moreToCome frames get no reply; the first find starts the measured part.
const MORE_TO_COME = 2;
let first = -1;
const noReply = frames.map((f) => {
  const m = decodeMessage(f);
  if (m.kind === 'msg' && first < 0 && Object.keys(m.command)[0] === 'find') first = frames.indexOf(f);
  return m.kind === 'msg' && (m.flags & MORE_TO_COME) !== 0;
});

async function replay(): Promise<{ cpuUsPerCommand: number; wallUsPerCommand: number; commands: number }> {
  const server = await startMongoServer({ replicaSet: 'rs0' });
  const socket = connect(server.port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise((resolve) => socket.once('connect', resolve));
  // Replies are counted as they complete (their length leads each one); a command waits for its own.
  let wake: (() => void) | undefined;
  let want = 0;
  let replies = 0;
  let acc: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    acc = acc.length === 0 ? chunk : Buffer.concat([acc, chunk]);
    while (acc.length >= 4 && acc.length >= acc.readInt32LE(0)) {
      acc = acc.subarray(acc.readInt32LE(0));
      replies++;
    }
    if (wake && replies >= want) wake();
  });
  let cpu0 = process.cpuUsage();
  let t0 = performance.now();
  for (let i = 0; i < frames.length; i++) {
    if (i === first) {
      cpu0 = process.cpuUsage();
      t0 = performance.now();
    }
    socket.write(frames[i]!);
    if (noReply[i]) continue;
    want++;
    if (replies < want) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  socket.destroy();
  await server.close();
  const commands = frames.length - first;
  return {
    cpuUsPerCommand: Math.round(((cpu.user + cpu.system) / commands) * 10) / 10,
    wallUsPerCommand: Math.round(((wall * 1000) / commands) * 10) / 10,
    commands,
  };
}

const runs = Number(runsArg ?? 3);
for (let r = 0; r < runs; r++) console.log(JSON.stringify(await replay()));
