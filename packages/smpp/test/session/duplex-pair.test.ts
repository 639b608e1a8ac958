import { describe, expect, it } from 'vitest';
import { createDuplexPair } from '../../src/session/duplex-pair.ts';

function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

describe('createDuplexPair', () => {
  it('carries bytes both ways', async () => {
    const [a, b] = createDuplexPair();
    const atB = collect(b);
    const atA = collect(a);
    a.end('ping');
    b.end('pong');
    expect((await atB).toString()).toBe('ping');
    expect((await atA).toString()).toBe('pong');
  });

  it('makes write() return false when the other end does not read, and drains once it does', async () => {
    const [a, b] = createDuplexPair({ highWaterMark: 64 });
    let accepted = 0;
    while (a.write(Buffer.alloc(16)) && accepted < 1000) accepted++;
    expect(accepted).toBeLessThan(20);
    const drained = new Promise((r) => a.once('drain', r));
    b.resume();
    await drained;
    a.destroy();
  });

  it('ends the other side like a socket when one side ends or is destroyed', async () => {
    const [a, b] = createDuplexPair();
    const bClosed = new Promise((r) => b.once('close', r));
    b.resume();
    a.resume();
    a.destroy();
    await bClosed;
    expect(b.destroyed).toBe(true);
  });
});
