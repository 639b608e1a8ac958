import { describe, expect, it } from 'vitest';
import {
  decodeGsm7,
  decodeGsm7Packed,
  encodeGsm7,
  encodeGsm7Packed,
  GSM7_BASIC_TABLE,
  GSM7_ESCAPE,
  GSM7_EXTENSION_TABLE,
  gsm7FillBits,
  gsm7Length,
  isGsm7,
  packedLength,
  packGsm7,
  SmppEncodingError,
  unpackGsm7,
} from '../../src/text/index.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Deterministic pseudo-random numbers, so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

describe('GSM 03.38 tables', () => {
  it('has 128 default characters with ESC at 0x1B and 10 extension characters', () => {
    expect(GSM7_BASIC_TABLE.length).toBe(128);
    expect(GSM7_BASIC_TABLE.charCodeAt(GSM7_ESCAPE)).toBe(0x1b);
    expect(GSM7_EXTENSION_TABLE.size).toBe(10);
  });

  it.each([
    ['@', 0x00],
    ['£', 0x01],
    ['$', 0x02],
    ['\n', 0x0a],
    ['\r', 0x0d],
    ['Δ', 0x10],
    ['_', 0x11],
    ['Ξ', 0x1a],
    ['É', 0x1f],
    [' ', 0x20],
    ['¤', 0x24],
    ['¡', 0x40],
    ['A', 0x41],
    ['Ä', 0x5b],
    ['§', 0x5f],
    ['¿', 0x60],
    ['a', 0x61],
    ['à', 0x7f],
  ])('encodes %j as septet 0x%s', (ch, septet) => {
    expect([...encodeGsm7(ch)]).toEqual([septet]);
  });

  it('round-trips every default-table character to its own position', () => {
    for (let s = 0; s < 128; s++) {
      if (s === GSM7_ESCAPE) continue;
      const ch = GSM7_BASIC_TABLE[s]!;
      expect([...encodeGsm7(ch)], `septet ${s}`).toEqual([s]);
      expect(decodeGsm7(Uint8Array.of(s))).toBe(ch);
    }
  });

  it.each([...GSM7_EXTENSION_TABLE].map(([s, ch]) => [ch, s] as const))(
    'encodes extension character %j as ESC + 0x%s',
    (ch, septet) => {
      expect([...encodeGsm7(ch)]).toEqual([GSM7_ESCAPE, septet]);
      expect(decodeGsm7(Uint8Array.of(GSM7_ESCAPE, septet))).toBe(ch);
    },
  );

  it('round-trips both whole tables, unpacked and packed, with every fill-bit count', () => {
    const all = GSM7_BASIC_TABLE.replace('\x1b', '') + [...GSM7_EXTENSION_TABLE.values()].join('');
    expect(gsm7Length(all)).toBe(127 + 20);
    expect(decodeGsm7(encodeGsm7(all))).toBe(all);
    for (let fill = 0; fill <= 6; fill++) {
      const packed = encodeGsm7Packed(all, { fillBits: fill });
      expect(packed.length).toBe(packedLength(147, fill));
      expect(decodeGsm7Packed(packed, { fillBits: fill, septets: 147 })).toBe(all);
    }
  });
});

describe('GSM 7-bit encoding', () => {
  it('counts extension characters as two septets', () => {
    expect(gsm7Length('a€{')).toBe(5);
    expect(gsm7Length('hello')).toBe(5);
    expect(gsm7Length('á')).toBe(-1);
    expect(isGsm7('Ça va? ¿Qúe?')).toBe(false);
    expect(isGsm7('Ça va? ¿Que?')).toBe(true);
  });

  it('throws SmppEncodingError naming the character and index', () => {
    expect(() => encodeGsm7('abcá')).toThrow(SmppEncodingError);
    try {
      encodeGsm7('ab😀');
    } catch (e) {
      expect((e as SmppEncodingError).index).toBe(2);
      expect((e as SmppEncodingError).message).toContain('U+1F600');
    }
  });

  it('replaces unencodable characters once per character, surrogate pairs included', () => {
    expect(decodeGsm7(encodeGsm7('a😀bá', { onUnencodable: 'replace' }))).toBe('a?b?');
    expect(decodeGsm7(encodeGsm7('xá', { onUnencodable: 'replace', replacement: '€' }))).toBe('x€');
  });

  it('decodes ESC before a non-extension septet as the default character and ESC ESC as a space', () => {
    expect(decodeGsm7(Uint8Array.of(0x61, GSM7_ESCAPE, 0x41))).toBe('aA');
    expect(decodeGsm7(Uint8Array.of(GSM7_ESCAPE, GSM7_ESCAPE))).toBe(' ');
    expect(decodeGsm7(Uint8Array.of(0x61, GSM7_ESCAPE))).toBe('a');
    expect(decodeGsm7(Uint8Array.of(0x61, 0xe1))).toBe('a\uFFFD');
  });

  it('decodes long input without losing characters', () => {
    const text = 'Δ€abc'.repeat(5000);
    expect(decodeGsm7(encodeGsm7(text))).toBe(text);
  });
});

describe('7-bit packing', () => {
  // 3GPP TS 23.038 §6.1.2.1.1 examples and widely published vectors.
  it.each([
    ['hello', 'e8329bfd06'],
    ['hellohello', 'e8329bfd4697d9ec37'],
    ['Test@0', 'd4f29c0e8001'],
    [
      'The quick fox jumps over the lazy dog',
      '54741914afa7c76b90f98d07a9eb6df81cf4b697e5203aba0c6287f57910f97d06',
    ],
  ])('packs %j as %s', (text, packed) => {
    expect(hex(encodeGsm7Packed(text))).toBe(packed);
    expect(decodeGsm7Packed(Buffer.from(packed, 'hex'))).toBe(text);
  });

  it('places fill bits before the first septet', () => {
    // 'hello' shifted left by one bit: the septets start on a septet boundary after a 6-octet UDH.
    expect(hex(encodeGsm7Packed('hello', { fillBits: 1 }))).toBe('d06536fb0d');
    expect(decodeGsm7Packed(Buffer.from('d06536fb0d', 'hex'), { fillBits: 1 })).toBe('hello');
  });

  it.each([
    [0, 0],
    [6, 1],
    [7, 0],
    [8, 6],
    [12, 2],
    [13, 1],
  ])('needs %i octets of UDH to be followed by %i fill bits', (udh, fill) => {
    expect(gsm7FillBits(udh)).toBe(fill);
  });

  it('pads 7 spare bits with CR and reads that CR as padding (23.038 §6.1.2.3.1)', () => {
    const seven = encodeGsm7Packed('abcdefg');
    expect(seven.length).toBe(7);
    expect(seven[6]! >> 1).toBe(0x0d);
    expect(decodeGsm7Packed(seven)).toBe('abcdefg');
    // Eight septets fill 7 octets exactly: a final '@' is a character, not padding.
    expect(decodeGsm7Packed(encodeGsm7Packed('abcdefg@'))).toBe('abcdefg@');
    // ...but a final CR there is ambiguous without the septet count.
    const endsInCr = encodeGsm7Packed('abcdefg\r');
    expect(decodeGsm7Packed(endsInCr)).toBe('abcdefg');
    expect(decodeGsm7Packed(endsInCr, { septets: 8 })).toBe('abcdefg\r');
  });

  it('reads zero padding from peers configured to send it', () => {
    const zero = encodeGsm7Packed('abcdefg', { padding: 'zero' });
    expect(zero[6]! >> 1).toBe(0);
    expect(decodeGsm7Packed(zero)).toBe('abcdefg@');
    expect(decodeGsm7Packed(zero, { padding: 'zero' })).toBe('abcdefg');
  });

  it('pads nothing into an empty message', () => {
    expect(packGsm7(new Uint8Array(0), 1).length).toBe(0);
  });

  it('round-trips random septets for every length and fill-bit count', () => {
    const rand = lcg(7);
    for (let len = 0; len <= 170; len++) {
      const septets = Uint8Array.from({ length: len }, () => Math.floor(rand() * 128));
      for (let fill = 0; fill <= 6; fill++) {
        const packed = packGsm7(septets, fill);
        expect(packed.length).toBe(packedLength(len, fill));
        expect([...unpackGsm7(packed, { fillBits: fill, septets: len })]).toEqual([...septets]);
      }
    }
  });

  it('rejects fill-bit counts outside 0-6', () => {
    expect(() => packGsm7(Uint8Array.of(1), 7)).toThrow(RangeError);
    expect(() => unpackGsm7(Uint8Array.of(1), { fillBits: -1 })).toThrow(RangeError);
  });
});
