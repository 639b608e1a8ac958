import { describe, expect, it } from 'vitest';
import {
  decodeText,
  parseReceipt,
  parseSmppTime,
  parseUdh,
  Reassembler,
  SmppTimeError,
  SmppUdhError,
} from '../../src/text/index.ts';

/** Deterministic pseudo-random numbers, so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

function randomBytes(rand: () => number, max: number): Buffer {
  const out = Buffer.alloc(Math.floor(rand() * max));
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

describe('random input from peers', () => {
  it('parseUdh either reads the header within the data or throws SmppUdhError', () => {
    const rand = lcg(1);
    for (let i = 0; i < 3000; i++) {
      const data = randomBytes(rand, 40);
      // Short headers make valid parses common enough to check both outcomes.
      if (data.length > 0) data[0] = data[0]! % 12;
      try {
        const parsed = parseUdh(data);
        expect(parsed.udhLength + parsed.payload.length).toBe(data.length);
        for (const e of parsed.udh.elements) expect(e.data.length).toBeLessThan(data.length);
      } catch (error) {
        expect(error).toBeInstanceOf(SmppUdhError);
      }
    }
  });

  it('decodeText returns a string for any octets and any data_coding', () => {
    const rand = lcg(2);
    for (let dc = 0; dc < 256; dc++) {
      for (let i = 0; i < 8; i++) {
        const data = randomBytes(rand, 160);
        expect(typeof decodeText(data, dc)).toBe('string');
        expect(typeof decodeText(data, dc, { gsm7Packed: true })).toBe('string');
      }
    }
  });

  it('Reassembler.accept answers every random part without throwing', () => {
    const rand = lcg(3);
    const r = new Reassembler({ maxSets: 50 });
    const statuses = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const shortMessage = randomBytes(rand, 30);
      if (shortMessage.length > 1 && rand() < 0.5) {
        shortMessage[0] = 5;
        shortMessage[1] = 0;
      }
      const result = r.accept({
        source: String(Math.floor(rand() * 3)),
        destination: 'd',
        esmClass: rand() < 0.7 ? 0x40 : 0,
        dataCoding: Math.floor(rand() * 256),
        shortMessage,
        tlvs:
          rand() < 0.3
            ? {
                sarMsgRefNum: Math.floor(rand() * 4),
                sarTotalSegments: Math.floor(rand() * 4),
                sarSegmentSeqnum: Math.floor(rand() * 5),
              }
            : {},
      });
      statuses.add(result.status);
    }
    expect(r.size).toBeLessThanOrEqual(50);
    expect([...statuses].sort()).toEqual(['complete', 'duplicate', 'invalid', 'pending']);
  });

  it('parseSmppTime either parses or throws SmppTimeError', () => {
    const rand = lcg(4);
    const chars = '0123456789+-R ';
    for (let i = 0; i < 3000; i++) {
      const len = rand() < 0.8 ? 16 : Math.floor(rand() * 20);
      let s = '';
      for (let j = 0; j < len; j++) s += chars[Math.floor(rand() * (j < 15 ? 10.3 : chars.length))];
      try {
        const t = parseSmppTime(s);
        if (t?.kind === 'absolute') expect(Number.isNaN(t.date.getTime())).toBe(false);
      } catch (error) {
        expect(error).toBeInstanceOf(SmppTimeError);
      }
    }
  });

  it('parseReceipt returns null or a receipt with an id for any text', () => {
    const rand = lcg(5);
    const words = [
      'id:',
      'stat:',
      'done date:',
      'text:',
      'err:',
      'sub:',
      ' ',
      'DELIVRD',
      '2611251504',
      'abc',
      ':',
    ];
    for (let i = 0; i < 3000; i++) {
      let s = '';
      const n = Math.floor(rand() * 12);
      for (let j = 0; j < n; j++) s += words[Math.floor(rand() * words.length)];
      const receipt = parseReceipt(s);
      if (receipt) expect(receipt.id.length).toBeGreaterThan(0);
    }
  });
});
