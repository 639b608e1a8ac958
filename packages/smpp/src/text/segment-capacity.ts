import type { TextEncoding } from './data-coding.ts';
import { SmppSplitError } from './errors.ts';
import { GSM7_ESCAPE } from './gsm7.ts';

/** Octets of user data one radio message carries (3GPP TS 23.040 §9.2.3.16: TP-UDL 140 octets). */
export const MAX_USER_DATA_OCTETS = 140;

/** Unit a segment length is counted in, per encoding. */
export type SegmentUnit = 'septet' | 'octet';

/**
 * Payload capacity of one message after a UDH of `udhLength` octets (UDHL included; 0 = none), in
 * septets for GSM 7-bit and in octets otherwise (even for UCS2, so a unit is never cut). The UDH of
 * GSM 7-bit messages is counted in whole septets, fill bits included: 6 octets take 7 septets.
 */
export function segmentCapacity(encoding: TextEncoding, udhLength: number): number {
  const octets = MAX_USER_DATA_OCTETS - udhLength;
  if (octets <= 0) return 0;
  if (encoding === 'gsm7' || encoding === 'gsm7-packed') {
    return Math.floor((MAX_USER_DATA_OCTETS * 8) / 7) - Math.ceil((udhLength * 8) / 7);
  }
  if (encoding === 'ucs2') return octets & ~1;
  return octets;
}

function isHighSurrogateByte(b: number | undefined): boolean {
  return b !== undefined && b >= 0xd8 && b <= 0xdb;
}

const CR = 0x0d;

/**
 * True when a segment may end before `units[end]`: not between ESC and the septet it escapes, not
 * between the halves of a surrogate pair. `escapeStarts` marks GSM escape septets that start a pair.
 */
function canCut(encoding: TextEncoding, units: Uint8Array, end: number, escapeStarts?: Uint8Array): boolean {
  if (end <= 0 || end >= units.length) return true;
  if (escapeStarts) return escapeStarts[end - 1] === 0;
  if (encoding === 'ucs2') {
    if (end & 1) return false;
    return !isHighSurrogateByte(units[end - 2]);
  }
  return true;
}

/**
 * Packed parts only: a part whose septets end exactly on an octet boundary must not end in CR, or a
 * reader without a septet count takes that CR for padding (23.038 §6.1.2.3.1) and drops it.
 */
function endsAsPadding(units: Uint8Array, start: number, end: number, fillBits: number): boolean {
  return end < units.length && units[end - 1] === CR && ((end - start) * 7 + fillBits) % 8 === 0;
}

function markEscapes(units: Uint8Array): Uint8Array {
  const marks = new Uint8Array(units.length);
  for (let i = 0; i < units.length; i++) {
    if (units[i] === GSM7_ESCAPE && i + 1 < units.length) {
      marks[i] = 1;
      i++;
    }
  }
  return marks;
}

/**
 * End offsets of the segments of `units` (unpacked septets for GSM 7-bit, octets otherwise), each
 * at most `capacity` units long, cut greedily where a cut is allowed. `fillBits` is the fill after
 * each part's UDH, used for `gsm7-packed` only.
 */
export function segmentEnds(
  encoding: TextEncoding,
  units: Uint8Array,
  capacity: number,
  fillBits = 0,
): number[] {
  const escapes = encoding === 'gsm7' || encoding === 'gsm7-packed' ? markEscapes(units) : undefined;
  const packed = encoding === 'gsm7-packed';
  const ends: number[] = [];
  let start = 0;
  while (start < units.length) {
    let end = Math.min(start + capacity, units.length);
    while (
      end > start &&
      (!canCut(encoding, units, end, escapes) || (packed && endsAsPadding(units, start, end, fillBits)))
    ) {
      end--;
    }
    if (end === start) {
      throw new SmppSplitError(`a segment of ${capacity} units cannot hold the character at offset ${start}`);
    }
    ends.push(end);
    start = end;
  }
  return ends;
}
