import { describe, expect, it } from 'vitest';
import {
  decodeGsm7,
  decodeText,
  decodeUcs2,
  ESM_CLASS_UDHI,
  encodeGsm7,
  gsm7FillBits,
  parseUdh,
  portElement,
  type Segment,
  SmppSplitError,
  splitMessage,
  unpackGsm7,
} from '../../src/text/index.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The text part of each segment, after its UDH. */
function payloads(segments: Segment[]): Buffer[] {
  return segments.map((s) =>
    s.esmClassFlags & ESM_CLASS_UDHI ? parseUdh(s.shortMessage).payload : s.shortMessage,
  );
}

describe('splitMessage: single messages', () => {
  it('returns a message that fits as one part without header or TLVs', () => {
    for (const method of ['udh8', 'udh16', 'sar'] as const) {
      const [only, ...rest] = splitMessage('hello', { method });
      expect(rest).toEqual([]);
      expect(only).toEqual({
        shortMessage: Buffer.from('hello'),
        esmClassFlags: 0,
        tlvs: {},
        dataCoding: 0,
        sequence: 1,
        total: 1,
      });
    }
  });

  it('fits 160 GSM septets, 70 UCS2 units and 140 octets in one part', () => {
    expect(splitMessage('a'.repeat(160), { method: 'udh8' })).toHaveLength(1);
    expect(splitMessage('я'.repeat(70), { method: 'udh8' })).toHaveLength(1);
    expect(splitMessage(Buffer.alloc(140), { method: 'udh8' })).toHaveLength(1);
    expect(splitMessage('a'.repeat(161), { method: 'udh8', reference: 1 })).toHaveLength(2);
  });

  it('puts the whole message in message_payload with method payload', () => {
    const text = 'x'.repeat(1000);
    const [only, ...rest] = splitMessage(text, { method: 'payload' });
    expect(rest).toEqual([]);
    expect(only!.shortMessage.length).toBe(0);
    expect(only!.tlvs.messagePayload!.toString()).toBe(text);
    expect(only!.esmClassFlags).toBe(0);
  });

  it('sets the data_coding of the chosen encoding, or the one asked for', () => {
    expect(splitMessage('я', { method: 'udh8' })[0]!.dataCoding).toBe(8);
    expect(splitMessage('á', { method: 'udh8', allowLatin1: true })[0]!.dataCoding).toBe(3);
    expect(splitMessage('flash', { method: 'udh8', dataCoding: 0xf0 })[0]!.dataCoding).toBe(0xf0);
    expect(splitMessage(Buffer.from([1, 2]), { method: 'udh8' })[0]!.dataCoding).toBe(4);
  });
});

describe('splitMessage: concatenation headers and TLVs', () => {
  const text = 'a'.repeat(200);

  it('writes an 8-bit reference UDH (IEI 0x00) and sets UDHI', () => {
    const segments = splitMessage(text, { method: 'udh8', reference: 0x2a });
    expect(segments).toHaveLength(2);
    expect(hex(segments[0]!.shortMessage)).toBe(`0500032a0201${'61'.repeat(153)}`);
    expect(hex(segments[1]!.shortMessage)).toBe(`0500032a0202${'61'.repeat(47)}`);
    for (const s of segments)
      expect(s).toMatchObject({ esmClassFlags: 0x40, tlvs: {}, dataCoding: 0, total: 2 });
  });

  it('writes a 16-bit reference UDH (IEI 0x08) with 152 septets per part', () => {
    const segments = splitMessage(text, { method: 'udh16', reference: 0x1234 });
    expect(hex(segments[0]!.shortMessage)).toBe(`06080412340201${'61'.repeat(152)}`);
    expect(hex(segments[1]!.shortMessage)).toBe(`06080412340202${'61'.repeat(48)}`);
  });

  it('writes SAR TLVs and no UDH', () => {
    const segments = splitMessage(text, { method: 'sar', reference: 0x1234 });
    expect(segments.map((s) => s.tlvs)).toEqual([
      { sarMsgRefNum: 0x1234, sarTotalSegments: 2, sarSegmentSeqnum: 1 },
      { sarMsgRefNum: 0x1234, sarTotalSegments: 2, sarSegmentSeqnum: 2 },
    ]);
    expect(segments.map((s) => s.shortMessage.length)).toEqual([153, 47]);
    expect(segments.every((s) => s.esmClassFlags === 0)).toBe(true);
  });

  it('takes the reference modulo the field size so a counter can be passed', () => {
    expect(splitMessage(text, { method: 'udh8', reference: 300 })[0]!.shortMessage[3]).toBe(300 & 0xff);
    expect(splitMessage(text, { method: 'sar', reference: 70000 })[0]!.tlvs.sarMsgRefNum).toBe(
      70000 & 0xffff,
    );
  });

  it('refuses to split without a reference, with too many parts, or SAR with UDH elements', () => {
    expect(() => splitMessage(text, { method: 'udh8' })).toThrow(SmppSplitError);
    expect(() => splitMessage(text, { method: 'udh8', reference: -1 })).toThrow(SmppSplitError);
    expect(() => splitMessage('a'.repeat(153 * 3), { method: 'udh8', reference: 1, maxSegments: 2 })).toThrow(
      /3 parts/,
    );
    expect(() => splitMessage('a'.repeat(153 * 255 + 1), { method: 'udh8', reference: 1 })).toThrow(
      SmppSplitError,
    );
    const ports = portElement({ destination: 5000, source: 0, bits: 16 });
    expect(() => splitMessage(text, { method: 'sar', reference: 1, elements: [ports] })).toThrow(
      SmppSplitError,
    );
    expect(() => splitMessage(Buffer.alloc(3), { method: 'udh8', encoding: 'ucs2' })).toThrow(/odd length/);
  });

  it('keeps extra UDH elements such as port addressing in every part, with less room for text', () => {
    const ports = portElement({ destination: 0x1388, source: 0, bits: 16 });
    const [single] = splitMessage(Buffer.from('0102', 'hex'), { method: 'udh8', elements: [ports] });
    expect(hex(single!.shortMessage)).toBe('060504138800000102');
    expect(single!.esmClassFlags).toBe(0x40);
    const parts = splitMessage(Buffer.alloc(200, 0xab), { method: 'udh8', reference: 7, elements: [ports] });
    // UDHL 11 + 1 = 12 octets of header leave 128 octets.
    expect(parts.map((p) => p.shortMessage.length)).toEqual([140, 12 + 72]);
    expect(hex(parts[0]!.shortMessage.subarray(0, 12))).toBe('0b0504138800000003070201');
  });
});

describe('splitMessage: never cutting a character', () => {
  it.each(Array.from({ length: 12 }, (_, i) => 146 + i))(
    'keeps an escape sequence whole when it starts at septet %i',
    (at) => {
      const text = `${'a'.repeat(at)}€${'b'.repeat(170 - at)}`;
      const segments = splitMessage(text, { method: 'udh8', reference: 1, encoding: 'gsm7' });
      const parts = payloads(segments);
      for (const p of parts) {
        expect(p.length).toBeLessThanOrEqual(153);
        expect(p[p.length - 1]).not.toBe(0x1b);
      }
      expect(parts.map((p) => decodeGsm7(p)).join('')).toBe(text);
      expect(parts[0]!.length).toBe(at === 152 ? 152 : 153);
    },
  );

  it.each(Array.from({ length: 8 }, (_, i) => 62 + i))(
    'keeps a surrogate pair whole when it starts at unit %i',
    (at) => {
      const text = `${'я'.repeat(at)}😀${'ю'.repeat(100 - at)}`;
      const segments = splitMessage(text, { method: 'udh8', reference: 1 });
      const parts = payloads(segments);
      for (const p of parts) {
        expect(p.length % 2).toBe(0);
        expect(p.length).toBeLessThanOrEqual(134);
        expect(decodeUcs2(p).isWellFormed()).toBe(true);
      }
      expect(parts.map((p) => decodeUcs2(p)).join('')).toBe(text);
      expect(parts[0]!.length).toBe(at === 66 ? 132 : 134);
    },
  );

  it('keeps every emoji whole in a message made only of emoji, for each reference size', () => {
    const text = '👍🏽🎉'.repeat(60);
    for (const method of ['udh8', 'udh16', 'sar'] as const) {
      const parts = payloads(splitMessage(text, { method, reference: 9 }));
      for (const p of parts) expect(decodeUcs2(p).isWellFormed()).toBe(true);
      expect(parts.map((p) => decodeUcs2(p)).join('')).toBe(text);
    }
  });

  it('keeps escapes whole in octets given as unpacked septets', () => {
    const septets = encodeGsm7(`${'a'.repeat(152)}[${'b'.repeat(20)}`);
    const parts = payloads(splitMessage(septets, { method: 'udh8', reference: 1, encoding: 'gsm7' }));
    expect(parts.map((p) => p.length)).toEqual([152, 22]);
  });
});

describe('splitMessage: packed GSM 7-bit', () => {
  it('packs each part after its UDH with the fill bits the header needs', () => {
    const text = `${'The quick brown fox jumps over the lazy dog. '.repeat(5)}€[end]`;
    for (const method of ['udh8', 'udh16'] as const) {
      const segments = splitMessage(text, { method, reference: 0x42, encoding: 'gsm7-packed' });
      let joined = '';
      for (const s of segments) {
        expect(s.shortMessage.length).toBeLessThanOrEqual(140);
        const { payload, udhLength } = parseUdh(s.shortMessage);
        joined += decodeGsm7(unpackGsm7(payload, { fillBits: gsm7FillBits(udhLength) }));
      }
      expect(joined).toBe(text);
      // A full first part fills the 140 octets exactly.
      expect(segments[0]!.shortMessage.length).toBe(140);
    }
  });

  it('does not end a part with a CR that a reader would take for padding', () => {
    // 153 septets after a 6-octet UDH end on an octet boundary: a CR there moves to the next part.
    const text = `${'a'.repeat(152)}\r${'b'.repeat(20)}`;
    const segments = splitMessage(text, { method: 'udh8', reference: 1, encoding: 'gsm7-packed' });
    const texts = segments.map((s) => decodeText(s.shortMessage, 0, { udh: true, gsm7Packed: true }));
    expect(texts).toEqual(['a'.repeat(152), `\r${'b'.repeat(20)}`]);
    // Unpacked parts have no such problem.
    const plain = splitMessage(text, { method: 'udh8', reference: 1, encoding: 'gsm7' });
    expect(plain.map((s) => s.shortMessage.length - 6)).toEqual([153, 20]);
  });

  it('decodes through decodeText with the udh option', () => {
    const [first] = splitMessage('x'.repeat(200), { method: 'udh8', reference: 1, encoding: 'gsm7-packed' });
    expect(decodeText(first!.shortMessage, 0, { udh: true, gsm7Packed: true })).toBe('x'.repeat(153));
  });

  it('packs without fill bits in SAR parts and in message_payload', () => {
    const sar = splitMessage('hellohello', { method: 'sar', encoding: 'gsm7-packed' });
    expect(hex(sar[0]!.shortMessage)).toBe('e8329bfd4697d9ec37');
    const payload = splitMessage('hellohello', { method: 'payload', encoding: 'gsm7-packed' });
    expect(hex(payload[0]!.tlvs.messagePayload!)).toBe('e8329bfd4697d9ec37');
  });
});
