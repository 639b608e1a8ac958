/**
 * Writes frames to the stream respecting `write()`'s return value: once it says stop, the session
 * is told (it then stops reading and holds new requests) until 'drain', and a peer that does not
 * read within the drain timeout is given up on rather than buffered for without bound.
 *
 * Frames written in the same turn of the event loop go out as one `write()`: each write on a
 * socket is a syscall (on loopback it also runs the receiver's side of TCP), and a busy session
 * answers many PDUs per turn (one TCP read holds many requests; the replies of several database
 * commands come in the same turn).
 */
import type { Duplex } from 'node:stream';

export interface FrameWriterHandlers {
  /** write() returned false: stop producing. */
  onBlocked(): void;
  /** 'drain' came: produce again. */
  onDrained(): void;
  /** No 'drain' within the timeout. */
  onDrainTimeout(): void;
}

export class FrameWriter {
  private readonly stream: Duplex;
  private readonly drainTimeoutMs: number;
  private readonly handlers: FrameWriterHandlers;
  private drainTimer: NodeJS.Timeout | undefined;
  private isBlocked = false;
  /** Frames of this turn not yet handed to the stream. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushScheduled = false;
  private readonly flushAtTurnEnd = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  constructor(stream: Duplex, drainTimeoutMs: number, handlers: FrameWriterHandlers) {
    this.stream = stream;
    this.drainTimeoutMs = drainTimeoutMs;
    this.handlers = handlers;
    stream.on('drain', () => this.onDrain());
  }

  /** True between a write() that returned false and the next 'drain'. */
  get blocked(): boolean {
    return this.isBlocked;
  }

  /**
   * Queues one frame for the end of this turn of the event loop; silently drops it when the stream can no longer be
   * written. `blocked` is up to date on return, as if the frame had been written at once.
   */
  write(frame: Buffer): void {
    const stream = this.stream;
    if (stream.writableEnded || stream.destroyed) return;
    this.pending.push(frame);
    this.pendingBytes += frame.length;
    // The caller decides from `blocked` whether to produce more in this same turn, so the write
    // that fills the stream happens now; its own false return (hence a later 'drain') drives the
    // block, never a guess of ours. Once blocked, gathering until the turn ends is safe.
    if (!this.isBlocked && stream.writableLength + this.pendingBytes >= stream.writableHighWaterMark) {
      this.flush();
      return;
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // After the I/O callbacks of this turn, not after this one callback's microtasks.
      setImmediate(this.flushAtTurnEnd);
    }
  }

  /** Hands queued frames to the stream and stops the drain timer; the session calls it before it ends the stream. */
  stop(): void {
    this.flush();
    clearTimeout(this.drainTimer);
  }

  private flush(): void {
    const count = this.pending.length;
    if (count === 0) return;
    const batch = count === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending, this.pendingBytes);
    this.pending.length = 0;
    this.pendingBytes = 0;
    const stream = this.stream;
    if (stream.writableEnded || stream.destroyed) return;
    if (stream.write(batch) || this.isBlocked) return;
    this.isBlocked = true;
    this.drainTimer = setTimeout(() => this.handlers.onDrainTimeout(), this.drainTimeoutMs);
    this.drainTimer.unref();
    this.handlers.onBlocked();
  }

  private onDrain(): void {
    if (!this.isBlocked) return;
    this.isBlocked = false;
    clearTimeout(this.drainTimer);
    this.handlers.onDrained();
  }
}
