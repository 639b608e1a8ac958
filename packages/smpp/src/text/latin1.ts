import { SmppEncodingError } from './errors.ts';
import type { EncodeOptions } from './gsm7.ts';
import { isSurrogatePairAt } from './gsm7.ts';

function encodeSingleByte(text: string, max: number, name: string, options: EncodeOptions): Buffer {
  const replace = options.onUnencodable === 'replace';
  const r = options.replacement ?? '?';
  const rc = r.charCodeAt(0);
  if (replace && (r.length !== 1 || rc > max)) {
    throw new SmppEncodingError(`replacement ${JSON.stringify(r)} is not one ${name} character`, 0);
  }
  const out = Buffer.allocUnsafe(text.length);
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= max) out[o++] = c;
    else if (!replace) {
      const cp = (text.codePointAt(i) ?? c).toString(16).toUpperCase().padStart(4, '0');
      throw new SmppEncodingError(`character U+${cp} at index ${i} cannot be encoded in ${name}`, i);
    } else {
      out[o++] = rc;
      if (isSurrogatePairAt(text, i)) i++;
    }
  }
  return o === out.length ? out : out.subarray(0, o);
}

/** ISO-8859-1 (data_coding 3): one octet per character U+0000-U+00FF. */
export function encodeLatin1(text: string, options: EncodeOptions = {}): Buffer {
  return encodeSingleByte(text, 0xff, 'Latin-1', options);
}

export function decodeLatin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** IA5 / ASCII (data_coding 1): one octet per character U+0000-U+007F. */
export function encodeAscii(text: string, options: EncodeOptions = {}): Buffer {
  return encodeSingleByte(text, 0x7f, 'ASCII', options);
}

/**
 * IA5 / ASCII to text. Octets above 0x7F are read as Latin-1 rather than rejected: peers that
 * label Latin-1 text as data_coding 1 are common and the characters are still the intended ones.
 */
export function decodeAscii(bytes: Uint8Array): string {
  return decodeLatin1(bytes);
}
