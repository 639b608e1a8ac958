/**
 * PduFramer: cuts a byte stream into whole PDUs (§3.2: command_length first, covering the whole
 * PDU) and decodes them. It never throws, buffers at most one PDU, and stops for good after a bad
 * command_length, since the stream can then no longer be trusted.
 */
import { CommandStatus } from './command-status.ts';
import { decodeFrame } from './decode.ts';
import { SmppDecodeError } from './errors.ts';
import type { Pdu } from './types.ts';

export type FramerItem = { type: 'pdu'; pdu: Pdu; frame: Buffer } | { type: 'error'; error: SmppDecodeError };

export type PduFramerOptions = {
  /**
   * Largest command_length accepted, in octets. Bigger PDUs are a fatal error and are never
   * buffered, so a peer (or an HTTP client hitting the port: "HTTP" reads as 1213486160) cannot
   * make the framer hold more than this. Default 65536: room for a full 64 KiB message_payload.
   */
  maxCommandLength?: number;
};

const HEADER = 16;
const DEFAULT_MAX = 65536;

export class PduFramer {
  readonly maxCommandLength: number;
  // The PDU being assembled across chunks, allocated at its exact command_length.
  #pending: Buffer | undefined;
  #pendingFilled = 0;
  // The first octets of a command_length split across chunks.
  #lengthOctets = Buffer.alloc(4);
  #lengthFilled = 0;
  #failed = false;

  constructor(opts: PduFramerOptions = {}) {
    const max = opts.maxCommandLength ?? DEFAULT_MAX;
    if (!Number.isInteger(max) || max < HEADER || max > 0xffffffff) {
      throw new RangeError(`maxCommandLength must be an integer 16..4294967295, got ${max}`);
    }
    this.maxCommandLength = max;
  }

  /** Octets held while waiting for the rest of a PDU; never more than maxCommandLength. */
  get bufferedBytes(): number {
    return this.#pending !== undefined ? this.#pendingFilled : this.#lengthFilled;
  }

  /** True after a fatal error: push() returns nothing more and the session must close. */
  get failed(): boolean {
    return this.#failed;
  }

  /** Feeds received octets; returns the PDUs (and per-PDU decode errors) they complete, in order. */
  push(chunk: Buffer): FramerItem[] {
    const items: FramerItem[] = [];
    if (this.#failed) return items;
    const size = chunk.length;
    let off = 0;
    while (off < size) {
      const pending = this.#pending;
      if (pending !== undefined) {
        const take = Math.min(pending.length - this.#pendingFilled, size - off);
        chunk.copy(pending, this.#pendingFilled, off, off + take);
        this.#pendingFilled += take;
        off += take;
        if (this.#pendingFilled === pending.length) {
          this.#pending = undefined;
          this.#pendingFilled = 0;
          items.push(this.#decode(pending));
        }
        continue;
      }
      if (this.#lengthFilled > 0 || size - off < 4) {
        const head = this.#lengthOctets;
        while (this.#lengthFilled < 4 && off < size) head[this.#lengthFilled++] = chunk[off++]!;
        if (this.#lengthFilled < 4) break;
        const length = head.readUInt32BE(0);
        this.#lengthFilled = 0;
        if (!this.#checkLength(length, items, chunk, off)) return items;
        const pdu = Buffer.allocUnsafe(length);
        head.copy(pdu, 0, 0, 4);
        this.#pending = pdu;
        this.#pendingFilled = 4;
        continue;
      }
      const length = chunk.readUInt32BE(off);
      if (!this.#checkLength(length, items, chunk, off + 4)) return items;
      if (size - off >= length) {
        items.push(this.#decode(chunk.subarray(off, off + length)));
        off += length;
      } else {
        const pdu = Buffer.allocUnsafe(length);
        chunk.copy(pdu, 0, off, size);
        this.#pending = pdu;
        this.#pendingFilled = size - off;
        off = size;
      }
    }
    return items;
  }

  #decode(frame: Buffer): FramerItem {
    let result: ReturnType<typeof decodeFrame>;
    try {
      result = decodeFrame(frame);
    } catch (cause) {
      // decodeFrame bounds-checks every read and is fuzzed; this only keeps a codec bug from
      // escaping push(), whose callers rely on it never throwing.
      const seq = frame.readUInt32BE(12);
      const message = 'internal decoder failure';
      return {
        type: 'error',
        error: new SmppDecodeError(message, CommandStatus.ESME_RSYSERR, frame.readUInt32BE(4), seq, false, {
          cause,
        }),
      };
    }
    if (result instanceof SmppDecodeError) return { type: 'error', error: result };
    return { type: 'pdu', pdu: result, frame };
  }

  /**
   * §3.2: a command_length below the header size or above our bound poisons the stream.
   * `idOffset` is where command_id would start in `chunk`, to report it and the sequence number
   * when the chunk happens to hold them.
   */
  #checkLength(length: number, items: FramerItem[], chunk: Buffer, idOffset: number): boolean {
    if (length >= HEADER && length <= this.maxCommandLength) return true;
    const readable = chunk.length - idOffset >= 12;
    const commandId = readable ? chunk.readUInt32BE(idOffset) : 0;
    const sequenceNumber = readable ? chunk.readUInt32BE(idOffset + 8) : 0;
    const why = length < HEADER ? 'is shorter than the 16-octet header' : `exceeds ${this.maxCommandLength}`;
    items.push({
      type: 'error',
      error: new SmppDecodeError(
        `command_length ${length} ${why}`,
        CommandStatus.ESME_RINVCMDLEN,
        commandId,
        sequenceNumber,
        true,
      ),
    });
    this.#failed = true;
    this.#pending = undefined;
    this.#pendingFilled = 0;
    return false;
  }
}
