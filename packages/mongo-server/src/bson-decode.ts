// BSON decoding of incoming commands, for the element types a driver's commands hold (double,
// string, document, array, binary, ObjectId, boolean, date, null, int32, int64 within ±2^53):
// the same values bson's deserialize (default options) makes, with less garbage. bson 7 turns every
// short string and field name into an array of its bytes first (tryReadBasicLatin), a quarter of
// all the memory the server allocated under the SMSC's load; here short ASCII strings come from a
// small table of recent ones, so repeated field names and values (states, targets) allocate nothing.
// Anything else (another type, a possible DBRef, `__proto__`, a string that is not plain UTF-8,
// a malformed length) hands the whole document to bson's deserialize, which decodes or rejects it.

import { Binary, deserialize, ObjectId, UUID } from 'bson';

type Document = Record<string, unknown>;

/** bson's deserializer builds an ObjectId from the frame and an offset, without a 12-byte copy. */
const ObjectIdAt = ObjectId as unknown as new (buffer: Uint8Array, offset: number) => ObjectId;

/** Thrown inside the decoder to give the document to bson's deserialize. */
const FALLBACK = Symbol('fallback');

const TABLE_SIZE = 4096;
const MAX_CACHED = 24;
const cachedHash = new Int32Array(TABLE_SIZE);
const cachedString: (string | undefined)[] = new Array(TABLE_SIZE).fill(undefined);

/**
 * The ASCII string of bytes [start, end): from the table when the same bytes were decoded recently.
 * Undefined when a byte is not ASCII.
 */
function asciiString(buf: Buffer, start: number, end: number): string | undefined {
  const len = end - start;
  if (len > MAX_CACHED) {
    for (let i = start; i < end; i++) if (buf[i]! > 0x7f) return undefined;
    return buf.toString('latin1', start, end);
  }
  let h = 0x811c9dc5 ^ len;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b > 0x7f) return undefined;
    h = Math.imul(h ^ b, 0x01000193);
  }
  const slot = (h ^ (h >>> 15)) & (TABLE_SIZE - 1);
  const s = cachedString[slot];
  if (s !== undefined && cachedHash[slot] === h && s.length === len) {
    let same = true;
    for (let i = 0; i < len; i++) {
      if (s.charCodeAt(i) !== buf[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return s;
  }
  const fresh = len === 0 ? '' : buf.toString('latin1', start, end);
  cachedString[slot] = fresh;
  cachedHash[slot] = h;
  return fresh;
}

/** The document of `size` bytes at `start` of `buf`, as bson's deserialize would return it. */
export function decodeDocument(buf: Buffer, start: number, size: number): Document {
  try {
    const end = start + size;
    if (size < 5 || end > buf.length || buf.readInt32LE(start) !== size || buf[end - 1] !== 0) throw FALLBACK;
    const doc: Document = {};
    if (readElements(buf, start + 4, end - 1, doc, false) !== end - 1) throw FALLBACK;
    return doc;
  } catch (err) {
    if (err !== FALLBACK && !(err instanceof RangeError)) throw err;
    return deserialize(buf.subarray(start, start + size));
  }
}

/** Reads elements from `p` up to the terminating 0 at `stop` into `dest`; returns where it stopped. */
function readElements(
  buf: Buffer,
  p: number,
  stop: number,
  dest: Document | unknown[],
  isArray: boolean,
): number {
  while (p < stop) {
    const type = buf[p++]!;
    // The field name: a C string.
    const nameStart = p;
    while (p < stop && buf[p] !== 0) p++;
    if (p >= stop) throw FALLBACK;
    let name: string | undefined;
    if (!isArray) {
      name = asciiString(buf, nameStart, p);
      if (name === undefined) name = buf.toString('utf8', nameStart, p);
      // bson makes a DBRef of a document with `$ref`, and defines `__proto__` as an own property.
      if (name === '$ref' || name === '__proto__') throw FALLBACK;
    }
    p++;
    let value: unknown;
    switch (type) {
      case 1:
        if (p + 8 > stop) throw FALLBACK;
        value = buf.readDoubleLE(p);
        p += 8;
        break;
      case 2: {
        if (p + 4 > stop) throw FALLBACK;
        const n = buf.readInt32LE(p);
        p += 4;
        if (n <= 0 || p + n > stop || buf[p + n - 1] !== 0) throw FALLBACK;
        let s = asciiString(buf, p, p + n - 1);
        if (s === undefined) {
          s = buf.toString('utf8', p, p + n - 1);
          // Invalid UTF-8 decodes to U+FFFD; bson tells it from a real U+FFFD, and rejects it.
          if (s.includes('\ufffd')) throw FALLBACK;
        }
        value = s;
        p += n;
        break;
      }
      case 3:
      case 4: {
        if (p + 4 > stop) throw FALLBACK;
        const n = buf.readInt32LE(p);
        if (n < 5 || p + n > stop || buf[p + n - 1] !== 0) throw FALLBACK;
        const inner: Document | unknown[] = type === 3 ? {} : [];
        if (readElements(buf, p + 4, p + n - 1, inner, type === 4) !== p + n - 1) throw FALLBACK;
        value = inner;
        p += n;
        break;
      }
      case 5: {
        if (p + 5 > stop) throw FALLBACK;
        const n = buf.readInt32LE(p);
        const subType = buf[p + 4]!;
        p += 5;
        // Subtype 2 (old binary) has a length inside: bson's rules.
        if (n < 0 || p + n > stop || subType === 2) throw FALLBACK;
        const bin = new Binary(buf.subarray(p, p + n), subType);
        // A valid subtype 4 becomes a UUID (the driver's session ids), as bson does it.
        value = subType === 4 && UUID.isValid(bin) ? bin.toUUID() : bin;
        p += n;
        break;
      }
      case 7:
        if (p + 12 > stop) throw FALLBACK;
        value = new ObjectIdAt(buf, p);
        p += 12;
        break;
      case 8: {
        const b = buf[p];
        if (p >= stop || (b !== 0 && b !== 1)) throw FALLBACK;
        value = b === 1;
        p++;
        break;
      }
      case 9:
        if (p + 8 > stop) throw FALLBACK;
        value = new Date(buf.readInt32LE(p + 4) * 4294967296 + buf.readUInt32LE(p));
        p += 8;
        break;
      case 10:
        value = null;
        break;
      case 16:
        if (p + 4 > stop) throw FALLBACK;
        value = buf.readInt32LE(p);
        p += 4;
        break;
      case 18: {
        if (p + 8 > stop) throw FALLBACK;
        const v = buf.readInt32LE(p + 4) * 4294967296 + buf.readUInt32LE(p);
        // bson promotes an int64 within ±2^53 to a number and keeps a Long beyond; near the limit
        // (where this sum may round) it decides.
        if (v >= 2 ** 53 - 1 || v <= -(2 ** 53 - 1)) throw FALLBACK;
        value = v;
        p += 8;
        break;
      }
      default:
        throw FALLBACK;
    }
    if (isArray) (dest as unknown[]).push(value);
    else (dest as Document)[name!] = value;
  }
  return p;
}
