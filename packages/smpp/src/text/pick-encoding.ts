import { type ConcatMethod, concatUdhLength } from './concat-method.ts';
import type { TextEncoding } from './data-coding.ts';
import { encodeGsm7, gsm7FillBits, gsm7Length } from './gsm7.ts';
import { segmentCapacity, segmentEnds } from './segment-capacity.ts';
import { encodeText } from './text-codec.ts';

export interface PickEncodingOptions {
  /**
   * Consider Latin-1 (data_coding 3). Off by default: many handsets and SMSCs mangle it. When on,
   * it is chosen only when it needs fewer segments than GSM 7-bit (or the text is not GSM).
   */
  allowLatin1?: boolean;
  /** Header used for concatenated messages when comparing segment counts. Default `'udh8'`. */
  concat?: ConcatMethod;
}

export interface SegmentCount {
  encoding: TextEncoding;
  /** Length in the encoding's unit: septets (extension characters count 2), octets, or UCS2 units. */
  length: number;
  /** Messages on the radio side: 1 when it fits a single message, else the concatenated parts. */
  segments: number;
  /** Capacity of each segment in the same unit: 160/140/70 single, 153/134/67 (udh8), 152/133/66 (udh16). */
  perSegment: number;
  /** Units still free in the last segment. */
  remaining: number;
}

export interface MessageCount extends SegmentCount {
  /** Characters (Unicode code points) of the text. */
  characters: number;
}

function unitsPerLength(encoding: TextEncoding): number {
  return encoding === 'ucs2' ? 2 : 1;
}

function isLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return false;
  return true;
}

function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Counts already-encoded units (unpacked septets / octets) into segments. */
export function countUnits(
  encoding: TextEncoding,
  units: Uint8Array,
  concat: ConcatMethod = 'udh8',
): SegmentCount {
  const div = unitsPerLength(encoding);
  const single = segmentCapacity(encoding, 0);
  const length = units.length / div;
  if (units.length <= single) {
    return {
      encoding,
      length,
      segments: 1,
      perSegment: single / div,
      remaining: (single - units.length) / div,
    };
  }
  const capacity = segmentCapacity(encoding, concatUdhLength(concat));
  const ends = segmentEnds(encoding, units, capacity, gsm7FillBits(concatUdhLength(concat)));
  const last = ends[ends.length - 1]! - (ends[ends.length - 2] ?? 0);
  return {
    encoding,
    length,
    segments: ends.length,
    perSegment: capacity / div,
    remaining: (capacity - last) / div,
  };
}

/**
 * How many messages the text takes, in the given encoding or in the one `pickEncoding` chooses.
 * Cuts never split an escape sequence or a surrogate pair, so the count matches `splitMessage`.
 * Throws `SmppEncodingError` when a given encoding cannot carry the text.
 */
export function countMessage(
  text: string,
  options: PickEncodingOptions & { encoding?: TextEncoding } = {},
): MessageCount {
  const encoding = options.encoding ?? pickEncoding(text, options);
  const units = encoding === 'gsm7-packed' ? encodeGsm7(text) : encodeText(text, encoding);
  return { ...countUnits(encoding, units, options.concat), characters: codePoints(text) };
}

/**
 * The cheapest encoding that carries the text: GSM 7-bit when every character is in the default or
 * extension table, else UCS2; Latin-1 only with `allowLatin1`, and then only when it saves segments.
 */
export function pickEncoding(text: string, options: PickEncodingOptions = {}): 'gsm7' | 'latin1' | 'ucs2' {
  const septets = gsm7Length(text);
  if (!options.allowLatin1) return septets >= 0 ? 'gsm7' : 'ucs2';
  if (!isLatin1(text)) return septets >= 0 ? 'gsm7' : 'ucs2';
  if (septets < 0) return 'latin1';
  // Both fit: Latin-1 wins only where extension characters (2 septets each) push GSM over a boundary.
  const gsm = countUnits('gsm7', encodeGsm7(text), options.concat).segments;
  const latin = countUnits('latin1', encodeText(text, 'latin1'), options.concat).segments;
  return latin < gsm ? 'latin1' : 'gsm7';
}
