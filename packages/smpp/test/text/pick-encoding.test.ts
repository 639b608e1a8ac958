import { describe, expect, it } from 'vitest';
import { countMessage, pickEncoding, type TextEncoding } from '../../src/text/index.ts';

describe('pickEncoding', () => {
  it.each([
    ['hello', {}, 'gsm7'],
    ['héllo Ünïcödé? no: ï', {}, 'ucs2'],
    ['café £5 {ok}', {}, 'gsm7'],
    ['á', {}, 'ucs2'],
    ['á', { allowLatin1: true }, 'latin1'],
    ['я', { allowLatin1: true }, 'ucs2'],
    ['€', { allowLatin1: true }, 'gsm7'],
    ['á€', { allowLatin1: true }, 'ucs2'],
    ['😀', {}, 'ucs2'],
    ['', {}, 'gsm7'],
    // 90 braces: 180 septets (2 parts) in GSM but 90 octets (1 part) in Latin-1.
    ['{'.repeat(90), { allowLatin1: true }, 'latin1'],
    ['{'.repeat(90), {}, 'gsm7'],
    ['{'.repeat(10), { allowLatin1: true }, 'gsm7'],
  ])('picks for %j with %j: %s', (text, options, expected) => {
    expect(pickEncoding(text, options)).toBe(expected);
  });
});

describe('countMessage', () => {
  const gsm = (n: number) => 'a'.repeat(n);
  const ucs = (n: number) => 'я'.repeat(n);
  it.each([
    // [text, encoding option, concat, length, segments, perSegment, remaining]
    ['gsm7 0', '', undefined, 'udh8', 0, 1, 160, 160],
    ['gsm7 160', gsm(160), undefined, 'udh8', 160, 1, 160, 0],
    ['gsm7 161', gsm(161), undefined, 'udh8', 161, 2, 153, 145],
    ['gsm7 153*2', gsm(306), undefined, 'udh8', 306, 2, 153, 0],
    ['gsm7 153*2+1', gsm(307), undefined, 'udh8', 307, 3, 153, 152],
    ['gsm7 152*2 udh16', gsm(304), undefined, 'udh16', 304, 2, 152, 0],
    ['gsm7 152*2+1 udh16', gsm(305), undefined, 'udh16', 305, 3, 152, 151],
    ['gsm7 153*255', gsm(153 * 255), undefined, 'udh8', 153 * 255, 255, 153, 0],
    ['ucs2 70', ucs(70), undefined, 'udh8', 70, 1, 70, 0],
    ['ucs2 71', ucs(71), undefined, 'udh8', 71, 2, 67, 63],
    ['ucs2 67*2', ucs(134), undefined, 'udh8', 134, 2, 67, 0],
    ['ucs2 67*2+1', ucs(135), undefined, 'udh8', 135, 3, 67, 66],
    ['ucs2 66*2 udh16', ucs(132), undefined, 'udh16', 132, 2, 66, 0],
    ['ucs2 66*2+1 udh16', ucs(133), undefined, 'udh16', 133, 3, 66, 65],
    ['latin1 140', gsm(140), 'latin1', 'udh8', 140, 1, 140, 0],
    ['latin1 141', gsm(141), 'latin1', 'udh8', 141, 2, 134, 127],
    ['latin1 134*2', gsm(268), 'latin1', 'udh8', 268, 2, 134, 0],
    ['latin1 134*2+1', gsm(269), 'latin1', 'udh8', 269, 3, 134, 133],
    ['latin1 133*2 udh16', gsm(266), 'latin1', 'udh16', 266, 2, 133, 0],
    ['latin1 133*2+1 udh16', gsm(267), 'latin1', 'udh16', 267, 3, 133, 132],
    ['packed like unpacked', gsm(161), 'gsm7-packed', 'udh8', 161, 2, 153, 145],
  ] as [string, string, TextEncoding | undefined, 'udh8' | 'udh16', number, number, number, number][])(
    '%s',
    (_name, text, encoding, concat, length, segments, perSegment, remaining) => {
      const count = countMessage(text, { ...(encoding ? { encoding } : {}), concat });
      expect(count).toMatchObject({ length, segments, perSegment, remaining });
    },
  );

  it('counts extension characters as two septets', () => {
    expect(countMessage('€'.repeat(80))).toMatchObject({ length: 160, characters: 80, segments: 1 });
    expect(countMessage('€'.repeat(81))).toMatchObject({ length: 162, characters: 81, segments: 2 });
  });

  it('counts a part one septet short when an escape sequence would straddle the cut', () => {
    // 306 septets: ceil(306/153) says 2, but € at septets 152-153 pushes the first cut back by one.
    const text = `${'a'.repeat(152)}€${'b'.repeat(152)}`;
    expect(countMessage(text)).toMatchObject({ length: 306, segments: 3 });
    expect(countMessage(`${'a'.repeat(153)}${'b'.repeat(153)}`)).toMatchObject({ length: 306, segments: 2 });
  });

  it('counts a surrogate pair as two UCS2 units and never splits it', () => {
    expect(countMessage('😀'.repeat(35))).toMatchObject({
      encoding: 'ucs2',
      length: 70,
      characters: 35,
      segments: 1,
    });
    // 67 units per part would cut the 34th emoji: parts hold 33 emoji (66 units) each.
    expect(countMessage('😀'.repeat(67))).toMatchObject({ length: 134, segments: 3, remaining: 65 });
  });
});
