import { SmppEncodingError } from './errors.ts';

/**
 * UCS2 as SMSCs use it (data_coding 8): UTF-16 big-endian, surrogate pairs included, no BOM.
 * Lone surrogates in the input text become U+FFFD so the bytes are always well-formed UTF-16.
 */
export function encodeUcs2(text: string): Buffer {
  const buf = Buffer.from(text.isWellFormed() ? text : text.toWellFormed(), 'utf16le');
  return buf.swap16();
}

export interface DecodeUcs2Options {
  /** Odd trailing octet: drop it and append U+FFFD (default) or throw `SmppEncodingError`. */
  onOddLength?: 'replace' | 'throw';
}

/** UTF-16 big-endian to text. Lone surrogates (a peer's bad split) are kept as they are. */
export function decodeUcs2(bytes: Uint8Array, options: DecodeUcs2Options = {}): string {
  const even = bytes.length & ~1;
  if (even !== bytes.length && options.onOddLength === 'throw') {
    throw new SmppEncodingError(`UCS2 data has an odd length (${bytes.length} octets)`, even);
  }
  const copy = Buffer.allocUnsafe(even);
  copy.set(bytes.subarray(0, even));
  const text = copy.swap16().toString('utf16le');
  return even === bytes.length ? text : `${text}\uFFFD`;
}

/** True when the 16-bit unit starting at byte `offset` of big-endian UTF-16 is a high surrogate. */
export function isHighSurrogateAt(bytes: Uint8Array, offset: number): boolean {
  const b = bytes[offset];
  return b !== undefined && b >= 0xd8 && b <= 0xdb;
}
