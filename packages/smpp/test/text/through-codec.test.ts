import { describe, expect, it } from 'vitest';
import { createPdu, decodePdu, encodePdu, type PduOf } from '../../src/index.ts';
import {
  countMessage,
  decodeText,
  Reassembler,
  type SplitMethod,
  splitMessage,
  type TextEncoding,
} from '../../src/text/index.ts';

/** Deterministic pseudo-random numbers, so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 0x100000000;
  };
}

// GSM default and extension characters, Latin-1 only, Cyrillic, and astral characters. CR is left
// out: a packed message ending in CR on an octet boundary is ambiguous by design (see gsm7 tests).
const ALPHABET = ['a', 'Z', ' ', '@', 'Δ', '€', '{', '^', '\n', 'é', 'á', 'я', '😀', '👍🏽', '𝄞'];

function randomText(rand: () => number, length: number, pool: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < length; i++) out.push(pool[Math.floor(rand() * pool.length)]!);
  return out.join('');
}

function submit(source: string, dest: string, segment: ReturnType<typeof splitMessage>[number]) {
  return createPdu('submit_sm', {
    sequenceNumber: segment.sequence,
    sourceAddr: source,
    destinationAddr: dest,
    esmClass: segment.esmClassFlags,
    dataCoding: segment.dataCoding,
    shortMessage: segment.shortMessage,
    tlvs: segment.tlvs,
  });
}

describe('split -> submit_sm -> wire -> decode -> reassemble', () => {
  const methods: SplitMethod[] = ['udh8', 'udh16', 'sar', 'payload'];
  const pools: [string, string[], TextEncoding | undefined][] = [
    ['GSM', ALPHABET.slice(0, 9), undefined],
    ['GSM packed', ALPHABET.slice(0, 9), 'gsm7-packed'],
    ['Latin-1', ['a', ' ', 'é', 'á', '{', 'ÿ'], 'latin1'],
    ['UCS2', ALPHABET, undefined],
  ];

  it.each(pools)('carries random %s text whole with every method', (_name, pool, encoding) => {
    const rand = lcg(pool.length * 31);
    for (let round = 0; round < 40; round++) {
      const text = randomText(rand, 1 + Math.floor(rand() * 500), pool);
      for (const method of methods) {
        const segments = splitMessage(text, { method, reference: round, ...(encoding ? { encoding } : {}) });
        if (method !== 'payload') {
          expect(segments.length).toBe(
            countMessage(text, {
              ...(encoding ? { encoding } : {}),
              concat: method === 'udh16' ? 'udh16' : 'udh8',
            }).segments,
          );
        }
        const reassembler = new Reassembler({ gsm7Packed: encoding === 'gsm7-packed' });
        const order = segments.map((_, i) => i).sort(() => rand() - 0.5);
        let done: string | undefined;
        for (const i of order) {
          const frame = encodePdu(submit('1234', '5678', segments[i]!));
          const pdu = decodePdu(frame) as PduOf<'submit_sm'>;
          const result = reassembler.accept({
            source: pdu.sourceAddr,
            destination: pdu.destinationAddr,
            esmClass: pdu.esmClass,
            dataCoding: pdu.dataCoding,
            shortMessage: pdu.shortMessage,
            ...(pdu.tlvs ? { tlvs: pdu.tlvs } : {}),
          });
          if (result.status === 'complete')
            done = decodeText(result.message.payload, result.message.dataCoding);
        }
        expect(done, `${method} round ${round}`).toBe(text);
      }
    }
  });
});
