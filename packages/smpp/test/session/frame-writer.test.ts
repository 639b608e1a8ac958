import { Duplex } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FrameWriter } from '../../src/session/frame-writer.ts';

/** A stream that records each `_write` (one per syscall on a socket) and completes it only when told. */
class RecordingStream extends Duplex {
  readonly writes: Buffer[] = [];
  private held: (() => void)[] = [];
  holdWrites = false;

  constructor(highWaterMark = 16 * 1024) {
    super({ highWaterMark });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.writes.push(chunk);
    if (this.holdWrites) this.held.push(() => callback());
    else callback();
  }

  override _read(): void {}

  /** The peer reads again: completes the held writes (and those they unblock). */
  release(): void {
    this.holdWrites = false;
    while (this.held.length > 0) this.held.shift()?.();
  }
}

function handlers() {
  return { onBlocked: vi.fn(), onDrained: vi.fn(), onDrainTimeout: vi.fn() };
}

const frame = (byte: number, length = 16) => Buffer.alloc(length, byte);
const endOfTick = () => new Promise<void>((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe('FrameWriter', () => {
  it('writes the frames of one tick as one write, in order, at the end of the tick', async () => {
    const stream = new RecordingStream();
    const writer = new FrameWriter(stream, 1000, handlers());
    writer.write(frame(1));
    writer.write(frame(2));
    writer.write(frame(3));
    expect(stream.writes).toHaveLength(0);
    await endOfTick();
    expect(stream.writes).toEqual([Buffer.concat([frame(1), frame(2), frame(3)])]);

    writer.write(frame(4));
    await endOfTick();
    expect(stream.writes).toHaveLength(2);
    expect(stream.writes[1]).toEqual(frame(4));
  });

  it('writes at once the frame that fills the stream, so blocked is known before the next one', async () => {
    const stream = new RecordingStream(100);
    stream.holdWrites = true;
    const h = handlers();
    const writer = new FrameWriter(stream, 1000, h);
    for (let i = 0; i < 5; i++) writer.write(frame(i, 30));
    // 4 × 30 bytes reach the high-water mark of 100: those four go out together, now.
    expect(stream.writes).toEqual([Buffer.concat([0, 1, 2, 3].map((i) => frame(i, 30)))]);
    expect(writer.blocked).toBe(true);
    expect(h.onBlocked).toHaveBeenCalledTimes(1);

    // While blocked, the rest of the tick is still gathered into one write.
    writer.write(frame(5, 30));
    await endOfTick();
    expect(stream.writableLength).toBe(180);
    expect(h.onBlocked).toHaveBeenCalledTimes(1);
    expect(h.onDrained).not.toHaveBeenCalled();

    stream.release();
    await endOfTick();
    expect(stream.writes).toHaveLength(2);
    expect(stream.writes[1]).toEqual(Buffer.concat([frame(4, 30), frame(5, 30)]));
    expect(writer.blocked).toBe(false);
    expect(h.onDrained).toHaveBeenCalledTimes(1);
    expect(h.onDrainTimeout).not.toHaveBeenCalled();
  });

  it('gives up on a stream that does not drain within the timeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const stream = new RecordingStream(10);
    stream.holdWrites = true;
    const h = handlers();
    const writer = new FrameWriter(stream, 500, h);
    writer.write(frame(1));
    expect(h.onBlocked).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(h.onDrainTimeout).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(h.onDrainTimeout).toHaveBeenCalledTimes(1);
    writer.stop();
  });

  it('hands gathered frames to the stream on stop(), so an end() right after still sends them', async () => {
    const stream = new RecordingStream();
    const writer = new FrameWriter(stream, 1000, handlers());
    writer.write(frame(1));
    writer.write(frame(2));
    writer.stop();
    stream.end();
    writer.write(frame(3));
    await endOfTick();
    expect(stream.writes).toEqual([Buffer.concat([frame(1), frame(2)])]);
  });

  it('drops frames silently once the stream is destroyed, also those gathered before', async () => {
    const stream = new RecordingStream();
    stream.on('error', () => {});
    const writer = new FrameWriter(stream, 1000, handlers());
    writer.write(frame(1));
    stream.destroy();
    writer.write(frame(2));
    await endOfTick();
    expect(stream.writes).toHaveLength(0);
  });
});
