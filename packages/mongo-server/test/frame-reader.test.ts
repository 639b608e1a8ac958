import { describe, expect, it } from 'vitest';
import { FrameReader } from '../src/wire.ts';

function frame(size: number, fill: number): Buffer {
  const b = Buffer.alloc(size, fill);
  b.writeInt32LE(size, 0);
  return b;
}

describe('FrameReader', () => {
  it('reassembles frames split at every byte boundary, including inside the length', () => {
    const stream = Buffer.concat([frame(20, 1), frame(37, 2), frame(16, 3)]);
    for (let cut = 1; cut < stream.length; cut++) {
      const reader = new FrameReader();
      const got = [...reader.push(stream.subarray(0, cut)), ...reader.push(stream.subarray(cut))];
      expect(got.map((f) => [f.length, f[5]])).toEqual([
        [20, 1],
        [37, 2],
        [16, 3],
      ]);
    }
  });

  it('joins a large frame delivered in many small chunks', () => {
    const big = frame(1_000_000, 7);
    const reader = new FrameReader();
    const out: Buffer[] = [];
    for (let i = 0; i < big.length; i += 65_536) out.push(...reader.push(big.subarray(i, i + 65_536)));
    expect(out).toHaveLength(1);
    expect(out[0]!.equals(big)).toBe(true);
  });

  it('rejects a length below the header size', () => {
    const bad = Buffer.alloc(8);
    bad.writeInt32LE(3, 0);
    expect(() => new FrameReader().push(bad)).toThrow(/bad message length/);
  });
});
