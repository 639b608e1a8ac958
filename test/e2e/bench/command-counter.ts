// A TCP proxy in front of a MongoDB that counts the commands going through it by name (the first
// key of an OP_MSG body, MongoDB wire protocol "OP_MSG" kind-0 section), without decoding the rest.
// It sees what the SMSC process sends when that process cannot be instrumented from here.
import { connect, createServer, type Server, type Socket } from 'node:net';

const OP_QUERY = 2004;
const OP_MSG = 2013;
/** Header (16) + flagBits (4) + section kind (1) + BSON length (4) + type (1) + a command name. */
const PREFIX = 96;

export type CommandCounter = {
  /** mongodb:// URI of the proxy (a direct connection, so the driver never bypasses it). */
  readonly uri: string;
  /** Commands counted so far, by name (a copy). */
  snapshot(): Map<string, number>;
  close(): Promise<void>;
};

function commandName(head: Buffer): string {
  const opCode = head.readInt32LE(12);
  if (opCode === OP_QUERY) return 'hello';
  if (opCode !== OP_MSG || head.length < 27 || head[20] !== 0) return `op${opCode}`;
  let end = 26;
  while (end < head.length && head[end] !== 0) end++;
  return head.toString('latin1', 26, end);
}

/** Starts the proxy on 127.0.0.1 in front of `target` (host:port). */
export async function startCommandCounter(target: { host: string; port: number }): Promise<CommandCounter> {
  const counts = new Map<string, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    sockets.add(client).add(upstream);
    let skip = 0;
    let head = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      let off = 0;
      while (off < chunk.length) {
        if (skip > 0) {
          const n = Math.min(skip, chunk.length - off);
          skip -= n;
          off += n;
          continue;
        }
        const length = head.length >= 4 ? head.readInt32LE(0) : 0;
        const want = head.length < 16 ? 16 - head.length : Math.min(length, PREFIX) - head.length;
        const take = chunk.subarray(off, off + want);
        head = head.length === 0 ? Buffer.from(take) : Buffer.concat([head, take]);
        off += take.length;
        if (head.length < 16) continue;
        const total = head.readInt32LE(0);
        if (head.length < Math.min(total, PREFIX)) continue;
        const name = commandName(head);
        counts.set(name, (counts.get(name) ?? 0) + 1);
        skip = total - head.length;
        head = Buffer.alloc(0);
      }
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    uri: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    snapshot: () => new Map(counts),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Counts in `after` minus those in `before`, by name. */
export function countsSince(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, n] of after) {
    const d = n - (before.get(name) ?? 0);
    if (d > 0) out[name] = d;
  }
  return out;
}
