import { serialize, serializeWithBufferAndIndex } from 'bson';
import { decodeDocument } from './bson-decode.ts';

// MongoDB Wire Protocol ("MongoDB Wire Protocol" in the manual): a 16-byte header, then the body.
export const OpCode = { Reply: 1, Query: 2004, Compressed: 2012, Msg: 2013 } as const;

// OP_MSG flag bits (OP_MSG spec, "flagBits").
export const MsgFlags = { ChecksumPresent: 1 << 0, MoreToCome: 1 << 1, ExhaustAllowed: 1 << 16 } as const;

const HEADER_SIZE = 16;
/** maxMessageSizeBytes advertised in hello; a frame beyond it is a broken or hostile peer. */
export const MAX_MESSAGE_SIZE = 48_000_000;

export type Document = Record<string, unknown>;

export type Incoming =
  | { kind: 'msg'; requestId: number; flags: number; command: Document }
  | { kind: 'query'; requestId: number; collection: string; query: Document }
  | { kind: 'other'; requestId: number; opCode: number };

export class WireFormatError extends Error {
  override name = 'WireFormatError';
  readonly code = 'WIRE_FORMAT';
}

/**
 * Splits a byte stream into whole messages; `push` returns every frame completed by the chunk.
 * Chunks are joined only once a frame is complete, so a 48 MB batch arriving in 64 KB pieces is
 * copied once, not once per piece.
 */
export class FrameReader {
  #chunks: Buffer[] = [];
  #length = 0;

  push(chunk: Buffer): Buffer[] {
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    const frames: Buffer[] = [];
    while (this.#length >= 4) {
      if (this.#chunks[0]!.length < 4) this.#chunks = [Buffer.concat(this.#chunks, this.#length)];
      const size = this.#chunks[0]!.readInt32LE(0);
      if (size < HEADER_SIZE || size > MAX_MESSAGE_SIZE)
        throw new WireFormatError(`bad message length ${size}`);
      if (this.#length < size) break;
      const buf = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#length);
      frames.push(buf.subarray(0, size));
      const rest = buf.subarray(size);
      this.#length -= size;
      this.#chunks = rest.length > 0 ? [rest] : [];
    }
    return frames;
  }
}

function readCString(buf: Buffer, offset: number): [string, number] {
  const end = buf.indexOf(0, offset);
  if (end < 0) throw new WireFormatError('unterminated cstring');
  return [buf.toString('utf8', offset, end), end + 1];
}

function readDocument(buf: Buffer, offset: number): [Document, number] {
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > buf.length) throw new WireFormatError('document overruns message');
  return [decodeDocument(buf, offset, size), offset + size];
}

export function decodeMessage(frame: Buffer): Incoming {
  const requestId = frame.readInt32LE(4);
  const opCode = frame.readInt32LE(12);
  if (opCode === OpCode.Msg) return decodeMsg(frame, requestId);
  if (opCode === OpCode.Query) {
    let offset = HEADER_SIZE + 4; // flags
    const [collection, next] = readCString(frame, offset);
    offset = next + 8; // numberToSkip, numberToReturn
    let [query] = readDocument(frame, offset);
    // Legacy clients may wrap the command in $query alongside read preference.
    if (query.$query && typeof query.$query === 'object') query = query.$query as Document;
    return { kind: 'query', requestId, collection, query };
  }
  return { kind: 'other', requestId, opCode };
}

function decodeMsg(frame: Buffer, requestId: number): Incoming {
  const flags = frame.readUInt32LE(HEADER_SIZE);
  // Checksum is a trailing CRC-32C we accept without verifying: loopback only.
  const end = flags & MsgFlags.ChecksumPresent ? frame.length - 4 : frame.length;
  let offset = HEADER_SIZE + 4;
  let command: Document | undefined;
  const sequences: [string, Document[]][] = [];
  while (offset < end) {
    const kind = frame[offset++];
    if (kind === 0) {
      [command, offset] = readDocument(frame, offset);
    } else if (kind === 1) {
      // Kind 1: a document sequence (the driver sends insertMany/bulkWrite payloads this way).
      const size = frame.readInt32LE(offset);
      const stop = offset + size;
      const [identifier, start] = readCString(frame, offset + 4);
      const docs: Document[] = [];
      let p = start;
      while (p < stop) {
        let doc: Document;
        [doc, p] = readDocument(frame, p);
        docs.push(doc);
      }
      sequences.push([identifier, docs]);
      offset = stop;
    } else {
      throw new WireFormatError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!command) throw new WireFormatError('OP_MSG without a body section');
  for (const [identifier, docs] of sequences) {
    const existing = command[identifier];
    command[identifier] = Array.isArray(existing) ? [...existing, ...docs] : docs;
  }
  return { kind: 'msg', requestId, flags, command };
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.allocUnsafe(HEADER_SIZE);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** Where replies are assembled: header, flags, section kind and body, then copied out once. */
const REPLY_SCRATCH = Buffer.allocUnsafeSlow(256 * 1024);

/** An OP_MSG reply: flags 0 and one kind-0 section; the driver rejects anything else in replies. */
export function encodeMsg(requestId: number, responseTo: number, doc: Document): Buffer {
  const out = REPLY_SCRATCH;
  let end: number;
  try {
    end = serializeWithBufferAndIndex(doc, out, { index: HEADER_SIZE + 5 }) + 1;
  } catch (err) {
    // A body larger than the scratch buffer: the copying way (bson's errors are the same both ways).
    if (err instanceof RangeError) return encodeMsgCopying(requestId, responseTo, doc);
    throw err;
  }
  out.writeInt32LE(end, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(OpCode.Msg, 12);
  out.writeInt32LE(0, HEADER_SIZE); // flagBits
  out[HEADER_SIZE + 4] = 0; // section kind 0
  return Buffer.from(out.subarray(0, end));
}

function encodeMsgCopying(requestId: number, responseTo: number, doc: Document): Buffer {
  const body = serialize(doc);
  const h = header(HEADER_SIZE + 5 + body.length, requestId, responseTo, OpCode.Msg);
  const pre = Buffer.alloc(5); // flagBits = 0, section kind 0
  return Buffer.concat([h, pre, body]);
}

/** OP_REPLY to the OP_QUERY handshake: flags 0, cursor 0, startingFrom 0, one document. */
export function encodeReply(requestId: number, responseTo: number, doc: Document): Buffer {
  const body = serialize(doc);
  const h = header(HEADER_SIZE + 20 + body.length, requestId, responseTo, OpCode.Reply);
  const pre = Buffer.alloc(20);
  pre.writeInt32LE(1, 16); // numberReturned
  return Buffer.concat([h, pre, body]);
}
