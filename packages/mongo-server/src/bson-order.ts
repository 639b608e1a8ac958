import { Long } from 'bson';

// MongoDB's comparison order across BSON types ("Comparison/Sort Order" in the manual):
// MinKey < null < numbers < strings < objects < arrays < binary < ObjectId < bool < date
// < timestamp < regex < MaxKey. mingo orders some of these differently, so indexes and sorts use this.
export const TypeRank = {
  MinKey: 1,
  Null: 2,
  Number: 3,
  String: 4,
  Object: 5,
  Array: 6,
  Binary: 7,
  ObjectId: 8,
  Boolean: 9,
  Date: 10,
  Timestamp: 11,
  RegExp: 12,
  MaxKey: 13,
} as const;

/** An index bound that sorts before (or after) every value of one type rank. */
export class TypeBound {
  readonly rank: number;
  readonly high: boolean;
  constructor(rank: number, high: boolean) {
    this.rank = rank;
    this.high = high;
  }
}

function bsonTypeOf(v: object): string | undefined {
  return (v as { _bsontype?: string })._bsontype;
}

export function typeRank(v: unknown): number {
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return TypeRank.Number;
    case 'string':
      return TypeRank.String;
    case 'boolean':
      return TypeRank.Boolean;
    case 'undefined':
      return TypeRank.Null;
    case 'object':
      break;
    default:
      return TypeRank.Object;
  }
  if (v === null) return TypeRank.Null;
  if (Array.isArray(v)) return TypeRank.Array;
  if (v instanceof Date) return TypeRank.Date;
  if (v instanceof RegExp) return TypeRank.RegExp;
  if (v instanceof TypeBound) return v.rank;
  switch (bsonTypeOf(v)) {
    case 'ObjectId':
      return TypeRank.ObjectId;
    case 'Long':
    case 'Double':
    case 'Int32':
    case 'Decimal128':
      return TypeRank.Number;
    case 'Binary':
      return TypeRank.Binary;
    case 'Timestamp':
      return TypeRank.Timestamp;
    case 'BSONRegExp':
      return TypeRank.RegExp;
    case 'BSONSymbol':
      return TypeRank.String;
    case 'MinKey':
      return TypeRank.MinKey;
    case 'MaxKey':
      return TypeRank.MaxKey;
    default:
      if (v instanceof Uint8Array) return TypeRank.Binary;
      return TypeRank.Object;
  }
}

function cmp(a: number | string | bigint, b: number | string | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNumbers(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return cmp(a, b);
  const ta = a instanceof Long ? 'Long' : bsonTypeOf(a as object);
  const tb = b instanceof Long ? 'Long' : bsonTypeOf(b as object);
  // Two Longs compare exactly; mixed kinds compare as doubles, close enough for keys beyond 2^53.
  if (ta === 'Long' && tb === 'Long') return (a as Long).compare(b as Long);
  return cmp(toDouble(a), toDouble(b));
}

export function toDouble(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Long) return v.toNumber();
  const t = bsonTypeOf(v as object);
  if (t === 'Double' || t === 'Int32') return (v as { value: number }).value;
  if (t === 'Decimal128') return Number.parseFloat(String(v));
  return Number.NaN;
}

function bytesOf(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  const b = v as { buffer?: Uint8Array; id?: Uint8Array };
  if (bsonTypeOf(v as object) === 'ObjectId') return b.id as Uint8Array;
  return b.buffer ?? new Uint8Array();
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return cmp(a.length, b.length);
}

/** Total order over BSON values as MongoDB compares them in indexes and sorts. */
export function compareBson(a: unknown, b: unknown): number {
  if (a === b) return 0;
  // Fast paths for the key types an SMSC indexes: strings, numbers, dates.
  const ta = typeof a;
  if (ta === typeof b) {
    if (ta === 'string' || ta === 'number')
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    if (a instanceof Date && b instanceof Date) return cmp(a.getTime(), b.getTime());
  }
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (a instanceof TypeBound || b instanceof TypeBound) {
    if (ra !== rb) return ra < rb ? -1 : 1;
    if (a instanceof TypeBound) return a.high ? 1 : -1;
    return (b as TypeBound).high ? -1 : 1;
  }
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case TypeRank.Null:
    case TypeRank.MinKey:
    case TypeRank.MaxKey:
      return 0;
    case TypeRank.Number:
      return compareNumbers(a, b);
    case TypeRank.String:
      return cmp(String(a), String(b));
    case TypeRank.Boolean:
      return cmp(a ? 1 : 0, b ? 1 : 0);
    case TypeRank.Date:
      return cmp((a as Date).getTime(), (b as Date).getTime());
    case TypeRank.ObjectId: {
      // bson 7 keeps an ObjectId as four 24-bit words: compare those without building a buffer.
      const oa = a as { i0?: number; i1: number; i2: number; i3: number };
      const ob = b as { i0?: number; i1: number; i2: number; i3: number };
      if (oa.i0 !== undefined && ob.i0 !== undefined) {
        return oa.i0 !== ob.i0
          ? cmp(oa.i0, ob.i0)
          : oa.i1 !== ob.i1
            ? cmp(oa.i1, ob.i1)
            : oa.i2 !== ob.i2
              ? cmp(oa.i2, ob.i2)
              : cmp(oa.i3, ob.i3);
      }
      return compareBytes(bytesOf(a), bytesOf(b));
    }
    case TypeRank.Binary: {
      const ba = bytesOf(a);
      const bb = bytesOf(b);
      if (ba.length !== bb.length) return cmp(ba.length, bb.length);
      const sa = (a as { sub_type?: number }).sub_type ?? 0;
      const sb = (b as { sub_type?: number }).sub_type ?? 0;
      if (sa !== sb) return cmp(sa, sb);
      return compareBytes(ba, bb);
    }
    case TypeRank.Timestamp: {
      const ta = a as { t: number; i: number };
      const tb = b as { t: number; i: number };
      return ta.t !== tb.t ? cmp(ta.t, tb.t) : cmp(ta.i, tb.i);
    }
    case TypeRank.RegExp: {
      const pa = regexParts(a);
      const pb = regexParts(b);
      return pa[0] !== pb[0] ? cmp(pa[0], pb[0]) : cmp(pa[1], pb[1]);
    }
    case TypeRank.Array: {
      const xa = a as unknown[];
      const xb = b as unknown[];
      const n = Math.min(xa.length, xb.length);
      for (let i = 0; i < n; i++) {
        const d = compareBson(xa[i], xb[i]);
        if (d !== 0) return d;
      }
      return cmp(xa.length, xb.length);
    }
    default:
      return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>);
  }
}

function regexParts(v: unknown): [string, string] {
  if (v instanceof RegExp) return [v.source, v.flags];
  const r = v as { pattern: string; options: string };
  return [r.pattern, r.options];
}

// Embedded documents compare field by field: type, then name, then value; key order matters.
function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const va = a[ka[i]!];
    const vb = b[kb[i]!];
    const rt = typeRank(va) - typeRank(vb);
    if (rt !== 0) return rt < 0 ? -1 : 1;
    const rn = cmp(ka[i]!, kb[i]!);
    if (rn !== 0) return rn;
    const rv = compareBson(va, vb);
    if (rv !== 0) return rv;
  }
  return cmp(ka.length, kb.length);
}

export function bsonEquals(a: unknown, b: unknown): boolean {
  return compareBson(a, b) === 0;
}
