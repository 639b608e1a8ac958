import { describe, expect, it } from 'vitest';
import {
  DataCoding,
  dataCodingFor,
  decodeAscii,
  decodeLatin1,
  decodeText,
  decodeUcs2,
  describeDataCoding,
  encodeAscii,
  encodeGsm7Packed,
  encodeLatin1,
  encodeText,
  encodeUcs2,
  SmppEncodingError,
  type TextEncoding,
} from '../../src/text/index.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('UCS2', () => {
  it.each([
    ['A', '0041'],
    ['я', '044f'],
    ['€', '20ac'],
    ['😀', 'd83dde00'],
    ['a😀b', '0061d83dde000062'],
  ])('encodes %j big-endian as %s', (text, bytes) => {
    expect(hex(encodeUcs2(text))).toBe(bytes);
    expect(decodeUcs2(Buffer.from(bytes, 'hex'))).toBe(text);
  });

  it('writes a lone surrogate of the input as U+FFFD', () => {
    expect(hex(encodeUcs2('a\uD83D'))).toBe('0061fffd');
    expect(hex(encodeUcs2('\uDE00b'))).toBe('fffd0062');
  });

  it('marks an odd trailing octet with U+FFFD, or throws when asked', () => {
    expect(decodeUcs2(Buffer.from('004100', 'hex'))).toBe('A\uFFFD');
    expect(() => decodeUcs2(Buffer.from('004100', 'hex'), { onOddLength: 'throw' })).toThrow(
      SmppEncodingError,
    );
  });

  it('does not modify the bytes it decodes', () => {
    const bytes = Buffer.from('0041', 'hex');
    decodeUcs2(bytes);
    expect(hex(bytes)).toBe('0041');
  });
});

describe('Latin-1 and ASCII', () => {
  it('encodes U+0000-U+00FF one octet each and refuses the rest', () => {
    expect(hex(encodeLatin1('aé\u00ff'))).toBe('61e9ff');
    expect(() => encodeLatin1('a€')).toThrow(/U\+20AC at index 1/);
    expect(hex(encodeLatin1('a€😀b', { onUnencodable: 'replace' }))).toBe('613f3f62');
    expect(decodeLatin1(Buffer.from('61e9ff', 'hex'))).toBe('aé\u00ff');
  });

  it('encodes ASCII only up to U+007F but reads high octets as Latin-1', () => {
    expect(hex(encodeAscii('Hi!'))).toBe('486921');
    expect(() => encodeAscii('é')).toThrow(SmppEncodingError);
    expect(decodeAscii(Buffer.from('48e9', 'hex'))).toBe('Hé');
  });
});

describe('data_coding', () => {
  it.each([
    [0x00, 'gsm7', undefined],
    [0x01, 'ascii', undefined],
    [0x02, 'binary', undefined],
    [0x03, 'latin1', undefined],
    [0x04, 'binary', undefined],
    [0x08, 'ucs2', undefined],
    [0x10, 'gsm7', 0],
    [0x11, 'gsm7', 1],
    [0x14, 'binary', 0],
    [0x18, 'ucs2', 0],
    [0xc0, 'gsm7', undefined],
    [0xd3, 'gsm7', undefined],
    [0xe0, 'ucs2', undefined],
    [0xf0, 'gsm7', 0],
    [0xf1, 'gsm7', 1],
    [0xf2, 'gsm7', 2],
    [0xf4, 'binary', 0],
    [0xf6, 'binary', 2],
    [0xf7, 'binary', 3],
  ])('reads 0x%s as %s with message class %s', (dc, encoding, messageClass) => {
    const info = describeDataCoding(dc);
    expect(info.encoding).toBe(encoding);
    expect(info.messageClass).toBe(messageClass);
  });

  it('marks compressed and unknown values as unsupported binary', () => {
    expect(describeDataCoding(0x20)).toMatchObject({
      encoding: 'binary',
      compressed: true,
      supported: false,
    });
    expect(describeDataCoding(0x0c)).toMatchObject({ encoding: 'binary', supported: false });
    expect(describeDataCoding(0x90)).toMatchObject({ encoding: 'binary', supported: false });
  });

  it('lets data_coding 0 mean Latin-1 on links configured that way', () => {
    expect(describeDataCoding(0, { smscDefault: 'latin1' }).encoding).toBe('latin1');
    expect(decodeText(Buffer.from('e9', 'hex'), 0, { smscDefault: 'latin1' })).toBe('é');
  });

  it.each([
    ['gsm7', DataCoding.smscDefault],
    ['gsm7-packed', DataCoding.smscDefault],
    ['ascii', DataCoding.ia5],
    ['latin1', DataCoding.latin1],
    ['ucs2', DataCoding.ucs2],
    ['binary', DataCoding.octetUnspecified],
  ] as const)('sends %s as data_coding %i', (encoding, dc) => {
    expect(dataCodingFor(encoding)).toBe(dc);
  });
});

describe('encodeText / decodeText', () => {
  it.each([
    ['gsm7', 'Hello {world} €5', 0],
    ['gsm7-packed', 'Hello {world} €5', 0],
    ['ascii', 'Hello [world]', 1],
    ['latin1', 'Grüße, ça va', 3],
    ['ucs2', 'Привет 😀 你好', 8],
    ['ucs2', 'Class 0 UCS2', 0x18],
    ['gsm7', 'flash', 0xf0],
  ] as [TextEncoding, string, number][])('round-trips %s text through data_coding', (encoding, text, dc) => {
    const bytes = encodeText(text, encoding);
    expect(decodeText(bytes, dc, { gsm7Packed: encoding === 'gsm7-packed' })).toBe(text);
  });

  it('reads binary content as hex by default, as Latin-1 on request, and encodes hex back', () => {
    const bytes = Buffer.from('00ff10', 'hex');
    expect(decodeText(bytes, 4)).toBe('00ff10');
    expect(decodeText(bytes, 2, { binary: 'latin1' })).toBe('\u0000\u00ff\u0010');
    expect(hex(encodeText('00ff10', 'binary'))).toBe('00ff10');
    expect(() => encodeText('xyz', 'binary')).toThrow(SmppEncodingError);
  });

  it('decodes Cyrillic and Hebrew code pages (data_coding 6 and 7)', () => {
    expect(decodeText(Buffer.from('bfe0d8d2d5e2', 'hex'), 6)).toBe('Привет');
    expect(decodeText(Buffer.from('f9ece5ed', 'hex'), 7)).toBe('שלום');
  });

  it('skips a UDH, and its fill bits when the text is packed', () => {
    const udh = Buffer.from('050003cc0201', 'hex');
    expect(decodeText(Buffer.concat([udh, encodeText('hi there', 'gsm7')]), 0, { udh: true })).toBe(
      'hi there',
    );
    const packed = Buffer.concat([udh, encodeGsm7Packed('hello', { fillBits: 1 })]);
    expect(hex(packed)).toBe('050003cc0201d06536fb0d');
    expect(decodeText(packed, 0, { udh: true, gsm7Packed: true })).toBe('hello');
    expect(decodeText(Buffer.concat([udh, encodeUcs2('я')]), 8, { udh: true })).toBe('я');
  });
});
