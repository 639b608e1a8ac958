import { describe, expect, it } from 'vitest';
import {
  buildUdh,
  concatElement,
  Iei,
  parseUdh,
  portElement,
  SmppUdhError,
  udhLength,
} from '../../src/text/index.ts';

const bytes = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('parseUdh', () => {
  it.each([
    ['8-bit concatenation', '050003cc0301 68', { reference: 0xcc, total: 3, sequence: 1, referenceBits: 8 }],
    [
      '16-bit concatenation',
      '06080412340302 68',
      { reference: 0x1234, total: 3, sequence: 2, referenceBits: 16 },
    ],
  ])('reads %s', (_name, data, concat) => {
    const parsed = parseUdh(bytes(data));
    expect(parsed.udh.concat).toEqual(concat);
    expect(hex(parsed.payload)).toBe('68');
    expect(parsed.udhLength).toBe(bytes(data).length - 1);
  });

  it('reads 8-bit and 16-bit application ports', () => {
    expect(parseUdh(bytes('0404021000')).udh.ports).toEqual({ destination: 0x10, source: 0, bits: 8 });
    expect(parseUdh(bytes('06050423f40000')).udh.ports).toEqual({ destination: 9204, source: 0, bits: 16 });
  });

  it('keeps unknown elements byte-exactly and in order', () => {
    const parsed = parseUdh(bytes('0c 0a03000102 0003ff0201 2400 4142'));
    expect(parsed.udh.elements.map((e) => [e.iei, hex(e.data)])).toEqual([
      [0x0a, '000102'],
      [0x00, 'ff0201'],
      [0x24, ''],
    ]);
    expect(parsed.udh.concat).toMatchObject({ reference: 0xff, sequence: 1 });
    expect(hex(parsed.payload)).toBe('4142');
    expect(hex(buildUdh(parsed.udh.elements))).toBe('0c0a030001020003ff02012400');
  });

  it('ignores a concatenation element whose numbers are void (23.040 §9.2.3.24.1)', () => {
    expect(parseUdh(bytes('050003010000')).udh.concat).toBeUndefined();
    expect(parseUdh(bytes('050003010200')).udh.concat).toBeUndefined();
    expect(parseUdh(bytes('050003010203')).udh.concat).toBeUndefined();
    expect(parseUdh(bytes('0400020102')).udh.concat).toBeUndefined();
  });

  it('takes the last of repeated concatenation elements', () => {
    expect(parseUdh(bytes('0a 0003010201 0003020302')).udh.concat).toMatchObject({
      reference: 2,
      sequence: 2,
    });
  });

  it.each([
    ['empty user data', ''],
    ['header longer than data', '05000301'],
    ['element cut by the header end', '0300030102'],
    ['element header cut', '0100'],
  ])('throws SmppUdhError for %s', (_name, data) => {
    expect(() => parseUdh(bytes(data))).toThrow(SmppUdhError);
  });

  it('accepts an empty header', () => {
    const parsed = parseUdh(bytes('00 41'));
    expect(parsed.udh.elements).toEqual([]);
    expect(hex(parsed.payload)).toBe('41');
  });
});

describe('buildUdh', () => {
  it('builds concatenation and port elements', () => {
    const concat8 = concatElement({ reference: 0x1ff, total: 2, sequence: 1, referenceBits: 8 });
    expect(concat8.iei).toBe(Iei.concat8);
    expect(hex(buildUdh([concat8]))).toBe('050003ff0201');
    const concat16 = concatElement({ reference: 0xabcd, total: 9, sequence: 9, referenceBits: 16 });
    expect(hex(buildUdh([concat16]))).toBe('060804abcd0909');
    const ports = portElement({ destination: 2948, source: 9200, bits: 16 });
    expect(hex(buildUdh([ports, concat8]))).toBe('0b05040b8423f00003ff0201');
    expect(udhLength([ports, concat8])).toBe(12);
    expect(hex(buildUdh([portElement({ destination: 1, source: 2, bits: 8 })]))).toBe('0404020102');
    expect(buildUdh([]).length).toBe(0);
  });

  it('round-trips through parseUdh', () => {
    const elements = [
      portElement({ destination: 5000, source: 6000, bits: 16 }),
      { iei: 0x70, data: bytes('deadbeef') },
      concatElement({ reference: 77, total: 4, sequence: 3, referenceBits: 8 }),
    ];
    const parsed = parseUdh(Buffer.concat([buildUdh(elements), bytes('cafe')]));
    expect(parsed.udh.elements).toEqual(elements);
    expect(parsed.udh.ports).toEqual({ destination: 5000, source: 6000, bits: 16 });
    expect(parsed.udh.concat).toEqual({ reference: 77, total: 4, sequence: 3, referenceBits: 8 });
  });

  it('refuses numbers that do not fit', () => {
    expect(() => concatElement({ reference: 1, total: 256, sequence: 1, referenceBits: 8 })).toThrow(
      SmppUdhError,
    );
    expect(() => concatElement({ reference: 1, total: 2, sequence: 3, referenceBits: 8 })).toThrow(
      SmppUdhError,
    );
    expect(() => portElement({ destination: 256, source: 0, bits: 8 })).toThrow(SmppUdhError);
    expect(() => buildUdh([{ iei: 1, data: Buffer.alloc(256) }])).toThrow(SmppUdhError);
  });
});
