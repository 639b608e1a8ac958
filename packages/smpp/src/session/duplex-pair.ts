/**
 * Two connected in-memory duplex streams that behave like the two ends of a TCP connection, for
 * tests of anything that speaks over a `stream.Duplex` without opening sockets.
 *
 * Backpressure is real: a write on one end completes only once the other end's readable buffer has
 * room, so a peer that stops reading makes the writer's `write()` return false, as on a socket.
 * Ending one end ends the other's readable side; like `net.Socket` (allowHalfOpen false) an end
 * that sees the peer's end ends its own writable side too; destroying one end ends the other.
 */
import { Duplex } from 'node:stream';

export interface DuplexPairOptions {
  /** Buffer size of each end, in bytes, both directions. Small values make backpressure visible. Default 16 KiB. */
  highWaterMark?: number;
}

class PairEnd extends Duplex {
  peer: PairEnd | undefined;
  /** True once the peer has ended its writable side, i.e. we pushed EOF into our readable side. */
  private eofPushed = false;
  /** The write callback held until the peer's reader asks for more. */
  private waitingWrite: (() => void) | undefined;

  constructor(highWaterMark: number) {
    super({ allowHalfOpen: false, highWaterMark });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    if (!peer || peer.destroyed || peer.eofPushed) {
      callback(Object.assign(new Error('write after the peer closed'), { code: 'EPIPE' }));
      return;
    }
    if (peer.push(chunk)) callback();
    else peer.waitingWrite = () => callback();
  }

  override _read(): void {
    const release = this.waitingWrite;
    this.waitingWrite = undefined;
    release?.();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.endPeerReadable();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.endPeerReadable();
    const release = this.peer?.waitingWrite;
    if (this.peer) this.peer.waitingWrite = undefined;
    // A writer blocked on us learns that its bytes will never be read, as with a reset socket.
    release?.();
    callback(error);
  }

  private endPeerReadable(): void {
    const peer = this.peer;
    if (peer && !peer.destroyed && !peer.eofPushed) {
      peer.eofPushed = true;
      peer.push(null);
    }
  }
}

/** Creates two connected ends: what one writes, the other reads. */
export function createDuplexPair(options: DuplexPairOptions = {}): [Duplex, Duplex] {
  const highWaterMark = options.highWaterMark ?? 16 * 1024;
  const a = new PairEnd(highWaterMark);
  const b = new PairEnd(highWaterMark);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
