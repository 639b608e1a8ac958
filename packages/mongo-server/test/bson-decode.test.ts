import {
  Binary,
  BSONRegExp,
  Code,
  DBRef,
  Decimal128,
  Double,
  deserialize,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  serialize,
  Timestamp,
  UUID,
} from 'bson';
import { describe, expect, it } from 'vitest';
import { decodeDocument } from '../src/bson-decode.ts';

// decodeDocument must return exactly what bson's deserialize returns (or throw what it throws):
// same types, same values, same key order.

/** A description of a value that tells types, key order and contents apart. */
function shape(v: unknown): unknown {
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'number') return ['number', Object.is(v, -0) ? '-0' : String(v)];
    return [typeof v, String(v)];
  }
  if (Array.isArray(v)) return ['array', v.length, v.map(shape)];
  if (v instanceof Date) return ['date', v.getTime()];
  if (v instanceof Uint8Array)
    return [v.constructor.name, Buffer.from(v).toString('hex'), v.byteOffset, v.buffer.byteLength];
  const bsonType = (v as { _bsontype?: string })._bsontype;
  if (bsonType === 'Binary') {
    const b = v as Binary;
    return ['Binary', b.sub_type, shape(b.buffer), b.position, v.constructor.name];
  }
  if (bsonType) return [bsonType, v.constructor.name, JSON.stringify(v), String(v)];
  return [
    Object.getPrototypeOf(v) === Object.prototype ? 'object' : String(Object.getPrototypeOf(v)),
    Object.keys(v).map((k) => [k, shape((v as Record<string, unknown>)[k])]),
    Object.getOwnPropertyNames(v).length,
  ];
}

function outcome(f: () => unknown): unknown {
  try {
    return ['ok', shape(f())];
  } catch (err) {
    return ['throws', (err as Error).constructor.name, (err as Error).message];
  }
}

function same(bytes: Buffer): void {
  // Inside a larger buffer, as frames hold documents.
  const framed = Buffer.concat([Buffer.from([1, 2, 3]), bytes, Buffer.from([4, 5])]);
  expect(outcome(() => decodeDocument(framed, 3, bytes.length))).toEqual(
    outcome(() => deserialize(framed.subarray(3, 3 + bytes.length))),
  );
}

let seed = 5;
function rnd(n: number): number {
  seed = (seed * 48271) % 2147483647;
  return seed % n;
}

const scalars: unknown[] = [
  0,
  -0,
  1.5,
  -(2 ** 31),
  2 ** 31 - 1,
  2 ** 40,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  new Int32(7),
  new Double(3),
  Long.fromNumber(2 ** 53 - 1),
  Long.fromNumber(2 ** 53),
  Long.fromString('9007199254740993'),
  Long.fromNumber(-(2 ** 53)),
  Long.fromString('-9007199254740993'),
  Long.fromNumber(12),
  '',
  'queued',
  'delivered',
  'a\u0000b',
  'é',
  'x'.repeat(30),
  '\ud83d\ude00 smile',
  '\ufffd',
  true,
  false,
  null,
  undefined,
  new Date(0),
  new Date(-1),
  new Date(8.64e15),
  new ObjectId('65f0a1b2c3d4e5f601020304'),
  new Binary(Buffer.from('hello')),
  new Binary(Buffer.from([1, 2, 3]), 2),
  new Binary(Buffer.alloc(16, 7), 4),
  new UUID('0f8fad5b-d9cb-469f-a165-70867728950e'),
  new Binary(Buffer.from([9]), 0x80),
  /re/i,
  new BSONRegExp('a+', 'm'),
  new Timestamp({ t: 5, i: 1 }),
  Decimal128.fromString('1.5'),
  new MinKey(),
  new MaxKey(),
  new Code('x'),
  new DBRef('coll', new ObjectId('65f0a1b2c3d4e5f601020304')),
];
const names = [
  'a',
  '_id',
  'state',
  '$db',
  '$ref',
  '$id',
  '__proto__',
  '0',
  '1',
  'é',
  '',
  'nested.dot',
  'x'.repeat(40),
];

function randomValue(depth: number): unknown {
  const r = rnd(10);
  if (depth < 3 && r === 0) return Array.from({ length: rnd(4) }, () => randomValue(depth + 1));
  if (depth < 3 && r === 1) return randomDoc(depth + 1);
  return scalars[rnd(scalars.length)];
}

function randomDoc(depth: number): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  const n = rnd(6);
  for (let i = 0; i < n; i++) {
    const name = names[rnd(names.length)]!;
    if (name === '__proto__')
      Object.defineProperty(doc, name, {
        value: randomValue(depth),
        enumerable: true,
        configurable: true,
        writable: true,
      });
    else doc[name] = randomValue(depth);
  }
  return doc;
}

describe('decodeDocument', () => {
  it('decodes as bson deserialize does, over random documents of every type', () => {
    for (let i = 0; i < 3000; i++) {
      const doc = randomDoc(0);
      same(Buffer.from(serialize(doc, { ignoreUndefined: rnd(2) === 0 })));
    }
  });

  it('decodes each scalar alone, in a document and in an array', () => {
    for (const v of scalars) {
      same(Buffer.from(serialize({ v })));
      same(Buffer.from(serialize({ list: [v, v], n: { v } })));
    }
  });

  it('returns repeated strings equal, and a DBRef-like document as bson does', () => {
    const bytes = Buffer.from(
      serialize({ a: 'queued', b: 'queued', c: { $ref: 'x', $id: 1 }, d: { $ref: 5 } }),
    );
    same(bytes);
    const doc = decodeDocument(bytes, 0, bytes.length);
    expect(doc.a).toBe('queued');
    expect(doc.b).toBe('queued');
  });

  it('rejects or decodes damaged input as bson does', () => {
    const good = Buffer.from(
      serialize({ a: 'text', b: [1, 2, { c: new Date(5) }], d: new Binary(Buffer.from('xy')) }),
    );
    for (let i = 0; i < good.length; i++) {
      for (const b of [0, 1, 0x7f, 0x80, 0xff]) {
        const bad = Buffer.from(good);
        bad[i] = b;
        same(bad);
      }
    }
    // Invalid UTF-8 in a value (bson validates values, not names).
    const utf8 = Buffer.from(serialize({ k: 'ab' }));
    utf8[utf8.indexOf('ab')] = 0xc3;
    same(utf8);
    const name = Buffer.from(serialize({ ab: 1 }));
    name[name.indexOf('ab')] = 0xc3;
    same(name);
  });
});
