import type { TextEncoding } from './data-coding.ts';
import { describeDataCoding } from './data-coding.ts';
import { SmppEncodingError } from './errors.ts';
import type { EncodeOptions, Gsm7Padding } from './gsm7.ts';
import { decodeGsm7, encodeGsm7, encodeGsm7Packed, gsm7FillBits, unpackGsm7 } from './gsm7.ts';
import { decodeAscii, decodeLatin1, encodeAscii, encodeLatin1 } from './latin1.ts';
import { decodeUcs2, encodeUcs2 } from './ucs2.ts';
import { parseUdh } from './udh.ts';

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Text to octets in one encoding. `gsm7` gives unpacked septets (one per octet), `gsm7-packed`
 * packs them; `binary` takes the text as hex digits (the inverse of `decodeText`'s default).
 */
export function encodeText(text: string, encoding: TextEncoding, options: EncodeOptions = {}): Buffer {
  switch (encoding) {
    case 'gsm7':
      return encodeGsm7(text, options);
    case 'gsm7-packed':
      return encodeGsm7Packed(text, options);
    case 'ascii':
      return encodeAscii(text, options);
    case 'latin1':
      return encodeLatin1(text, options);
    case 'ucs2':
      return encodeUcs2(text);
    case 'binary':
      if (!HEX.test(text))
        throw new SmppEncodingError('binary content must be given as pairs of hex digits', 0);
      return Buffer.from(text, 'hex');
  }
}

export interface DecodeTextOptions {
  /** What data_coding 0 means on this link. Default `'gsm7'`. */
  smscDefault?: 'gsm7' | 'latin1' | 'ascii';
  /**
   * GSM 7-bit octets are packed. Default false: SMPP peers nearly always put one septet per octet
   * in short_message and leave packing to the radio side.
   */
  gsm7Packed?: boolean;
  /** Septet count of packed text (header excluded), when known: removes the padding ambiguity. */
  septets?: number;
  /** Padding the packing peer uses in 7 spare bits (see `Gsm7Padding`). Default `'cr'`. */
  gsm7Padding?: Gsm7Padding;
  /** The octets start with a UDH (esm_class UDHI 0x40): skip it, and its fill bits when packed. */
  udh?: boolean;
  /** Octets that are not text: as hex digits (default) or one Latin-1 character per octet. */
  binary?: 'hex' | 'latin1';
}

/** Octets of short_message or message_payload to text, following data_coding. */
export function decodeText(bytes: Uint8Array, dataCoding: number, options: DecodeTextOptions = {}): string {
  const info = describeDataCoding(dataCoding, options);
  let body = bytes;
  let udhLength = 0;
  if (options.udh) {
    const parsed = parseUdh(bytes);
    body = parsed.payload;
    udhLength = parsed.udhLength;
  }
  if (info.charset) return new TextDecoder(info.charset).decode(body);
  switch (info.encoding) {
    case 'gsm7':
      if (!options.gsm7Packed) return decodeGsm7(body);
      // The fill bits sit between the header and the first septet.
      return decodeGsm7(
        unpackGsm7(body, {
          fillBits: udhLength > 0 ? gsm7FillBits(udhLength) : 0,
          padding: options.gsm7Padding ?? 'cr',
          ...(options.septets === undefined ? {} : { septets: options.septets }),
        }),
      );
    case 'ascii':
      return decodeAscii(body);
    case 'latin1':
      return decodeLatin1(body);
    case 'ucs2':
      return decodeUcs2(body);
    case 'binary':
      return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString(
        options.binary === 'latin1' ? 'latin1' : 'hex',
      );
  }
}
