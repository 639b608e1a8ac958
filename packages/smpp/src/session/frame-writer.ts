/**
 * Writes frames to the stream respecting `write()`'s return value: once it says stop, the session
 * is told (it then stops reading and holds new requests) until 'drain', and a peer that does not
 * read within the drain timeout is given up on rather than buffered for without bound.
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

  /** Writes one frame; silently drops it when the stream can no longer be written. */
  write(frame: Buffer): void {
    const stream = this.stream;
    if (stream.writableEnded || stream.destroyed) return;
    if (stream.write(frame) || this.isBlocked) return;
    this.isBlocked = true;
    this.drainTimer = setTimeout(() => this.handlers.onDrainTimeout(), this.drainTimeoutMs);
    this.drainTimer.unref();
    this.handlers.onBlocked();
  }

  stop(): void {
    clearTimeout(this.drainTimer);
  }

  private onDrain(): void {
    if (!this.isBlocked) return;
    this.isBlocked = false;
    clearTimeout(this.drainTimer);
    this.handlers.onDrained();
  }
}
