// An index entry's key as one string that compares with `<` exactly as the entries' comparator
// orders them (compareBson per field, each field's direction, then the record id): the sorted list's
// binary searches then make one string comparison per step instead of walking key arrays, values and
// records (cache misses on indexes of 100k entries). Only for keys of the types an SMSC indexes
// (null and missing, JS numbers, strings, booleans, dates, ObjectIds); any other value gives no code
// and its entries are compared with compareBson.
//
// Each field is its type rank (one unit), then its value; a descending field has every unit
// inverted. Numbers and dates are the 8 bytes of their double made to sort as unsigned bytes;
// strings are their UTF-16 units (compareBson compares strings with `<`, unit by unit) with 0
// written as 0,2 and a terminating 0,1, so that no field's code is a prefix of another's; the record
// id closes the code in 6 bytes. Every unit of an ascending field and of numbers is below 0x100,
// so the SMSC's keys are one-byte strings.

import { TypeRank } from './bson-order.ts';

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Longer keys (long strings) are compared the generic way rather than copied into a code. */
const MAX_UNITS = 2048;
const MAX_ID = 2 ** 48;

/** The code being built (every function takes and returns the next free position). */
const units = new Uint16Array(MAX_UNITS + 64);
const bytes = Buffer.allocUnsafeSlow(MAX_UNITS + 64);

function toCode(n: number): string {
  const u = units;
  const b = bytes;
  for (let i = 0; i < n; i++) {
    const x = u[i]!;
    if (x > 0xff) return String.fromCharCode.apply(null, Array.from(u.subarray(0, n)));
    b[i] = x;
  }
  return b.toString('latin1', 0, n);
}

/** Writes one value of a field of direction `desc` at `at`; -1 when the value has no code. */
function putValue(v: unknown, desc: boolean, at: number): number {
  const u = units;
  const flip = desc ? 0xff : 0;
  switch (typeof v) {
    case 'string': {
      const len = v.length;
      if (at + 2 * len + 3 > MAX_UNITS) return -1;
      u[at++] = TypeRank.String ^ flip;
      if (!desc) {
        for (let i = 0; i < len; i++) {
          const c = v.charCodeAt(i);
          if (c === 0) {
            u[at++] = 0;
            u[at++] = 2;
          } else u[at++] = c;
        }
        u[at++] = 0;
        u[at++] = 1;
      } else {
        for (let i = 0; i < len; i++) {
          const c = v.charCodeAt(i);
          if (c === 0) {
            u[at++] = 0xffff;
            u[at++] = 0xfffd;
          } else u[at++] = 0xffff - c;
        }
        u[at++] = 0xffff;
        u[at++] = 0xfffe;
      }
      return at;
    }
    case 'number':
      // NaN has no place in compareBson's order of numbers (it compares equal to all of them).
      if (Number.isNaN(v)) return -1;
      u[at++] = TypeRank.Number ^ flip;
      return putDouble(v === 0 ? 0 : v, flip, at);
    case 'boolean':
      u[at++] = TypeRank.Boolean ^ flip;
      u[at++] = (v ? 1 : 0) ^ flip;
      return at;
    case 'undefined':
      u[at++] = TypeRank.Null ^ flip;
      return at;
    case 'object': {
      if (v === null) {
        u[at++] = TypeRank.Null ^ flip;
        return at;
      }
      if (v instanceof Date) {
        const t = v.getTime();
        if (Number.isNaN(t)) return -1;
        u[at++] = TypeRank.Date ^ flip;
        return putDouble(t, flip, at);
      }
      const o = v as { _bsontype?: unknown; i0?: unknown; i1: number; i2: number; i3: number };
      if (o._bsontype === 'ObjectId' && typeof o.i0 === 'number') {
        // bson 7's ObjectId: four 24-bit words, compared in order by compareBson.
        u[at++] = TypeRank.ObjectId ^ flip;
        at = putWord24(o.i0, flip, at);
        at = putWord24(o.i1, flip, at);
        at = putWord24(o.i2, flip, at);
        return putWord24(o.i3, flip, at);
      }
      return -1;
    }
    default:
      return -1;
  }
}

function putWord24(w: number, flip: number, at: number): number {
  const u = units;
  u[at] = ((w >>> 16) & 0xff) ^ flip;
  u[at + 1] = ((w >>> 8) & 0xff) ^ flip;
  u[at + 2] = (w & 0xff) ^ flip;
  return at + 3;
}

// IEEE 754 doubles sort as unsigned big-endian bytes once a positive one has its sign bit set and a
// negative one has every bit inverted.
function putDouble(v: number, flip: number, at: number): number {
  f64[0] = v;
  const b = f64Bytes;
  const u = units;
  const neg = (LITTLE_ENDIAN ? b[7]! : b[0]!) & 0x80;
  const rest = (neg ? 0xff : 0) ^ flip;
  const first = (neg ? 0xff : 0x80) ^ flip;
  if (LITTLE_ENDIAN) {
    u[at] = b[7]! ^ first;
    for (let i = 1; i < 8; i++) u[at + i] = b[7 - i]! ^ rest;
  } else {
    u[at] = b[0]! ^ first;
    for (let i = 1; i < 8; i++) u[at + i] = b[i]! ^ rest;
  }
  return at + 8;
}

/** The key's fields from position 0; -1 when one has no code. */
function putFields(key: unknown[], dirs: readonly number[]): number {
  let at = 0;
  for (let i = 0; i < key.length && at >= 0; i++) at = putValue(key[i], dirs[i]! < 0, at);
  return at;
}

/** The code of a stored entry: the key's fields, then the record id; undefined when it has none. */
export function entryCode(key: unknown[], dirs: readonly number[], id: number): string | undefined {
  let at = putFields(key, dirs);
  if (at < 0 || !(id >= 0 && id < MAX_ID)) return undefined;
  const hi = Math.floor(id / 0x1000000);
  const lo = id % 0x1000000;
  at = putWord24(hi, 0, at);
  return toCode(putWord24(lo, 0, at));
}

/**
 * The code of a search probe for the entries whose keys start with `prefix`: before all of them,
 * or with `after` after all of them (a unit above any a field or an id can start with).
 */
export function probeCode(prefix: unknown[], dirs: readonly number[], after: boolean): string | undefined {
  const at = putFields(prefix, dirs);
  if (at < 0) return undefined;
  if (!after) return toCode(at);
  units[at] = 0xffff;
  return toCode(at + 1);
}
