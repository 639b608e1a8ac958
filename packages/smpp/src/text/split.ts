import type { SplitMethod } from './concat-method.ts';
import { concatUdhLength } from './concat-method.ts';
import type { TextEncoding } from './data-coding.ts';
import { dataCodingFor } from './data-coding.ts';
import { SmppSplitError } from './errors.ts';
import type { EncodeOptions } from './gsm7.ts';
import { encodeGsm7, gsm7FillBits, packGsm7 } from './gsm7.ts';
import { pickEncoding } from './pick-encoding.ts';
import { segmentCapacity, segmentEnds } from './segment-capacity.ts';
import { encodeText } from './text-codec.ts';
import type { InformationElement } from './udh.ts';
import { buildUdh, concatElement, udhLength } from './udh.ts';

/** esm_class bit 6: short_message starts with a UDH (SMPP 3.4 §5.2.12). */
export const ESM_CLASS_UDHI = 0x40;

/** SMPP 3.4 §5.3.2: a TLV value is at most 65535 octets. */
const MAX_TLV_OCTETS = 0xffff;

export interface SplitOptions extends EncodeOptions {
  /**
   * Encoding of the content. Default: `pickEncoding(text)` for a string, `'binary'` for octets.
   * Octets given with a GSM encoding must be unpacked septets; `gsm7-packed` packs them per segment.
   */
  encoding?: TextEncoding;
  /** How parts are marked; see `SplitMethod`. */
  method: SplitMethod;
  /**
   * Concatenation reference shared by all parts, required when there is more than one. Taken modulo
   * 256 (udh8) or 65536 (udh16, sar), so a plain counter can be passed.
   */
  reference?: number;
  /** With automatic choice of encoding, allow Latin-1 (see `pickEncoding`). */
  allowLatin1?: boolean;
  /** data_coding to report instead of the encoding's own (e.g. 0xF0 for a flash message, 2 for binary). */
  dataCoding?: number;
  /** More UDH elements for every part, e.g. `portElement(...)`; only with udh8, udh16 or payload. */
  elements?: readonly InformationElement[];
  /** Refuse messages of more parts. At most 255 (the UDH total is one octet). Default 255. */
  maxSegments?: number;
}

/** TLVs of one part, named as in the SMPP 3.4 §5.3.2 TLV table (camelCase). */
export interface SegmentTlvs {
  sarMsgRefNum?: number;
  sarTotalSegments?: number;
  sarSegmentSeqnum?: number;
  messagePayload?: Buffer;
}

/** One submit_sm / deliver_sm worth of content. */
export interface Segment {
  /** Ready for the PDU's short_message: UDH (if any) then the text. Empty with `payload`. */
  shortMessage: Buffer;
  /** OR this into esm_class: 0x40 (UDHI) when a UDH leads the content, else 0. */
  esmClassFlags: number;
  /** Merge into the PDU's tlvs. */
  tlvs: SegmentTlvs;
  dataCoding: number;
  /** 1-based position and count of the parts. */
  sequence: number;
  total: number;
}

function toUnits(content: string | Uint8Array, encoding: TextEncoding, options: EncodeOptions): Buffer {
  if (typeof content !== 'string') {
    const units = Buffer.from(content);
    if (encoding === 'ucs2' && units.length % 2 !== 0) {
      throw new SmppSplitError(`UCS2 content has an odd length (${units.length} octets)`);
    }
    return units;
  }
  return encoding === 'gsm7-packed' ? encodeGsm7(content, options) : encodeText(content, encoding, options);
}

function body(units: Uint8Array, packed: boolean, udh: Buffer): Buffer {
  if (!packed) return udh.length ? Buffer.concat([udh, units]) : Buffer.from(units);
  const text = packGsm7(units, udh.length ? gsm7FillBits(udh.length) : 0);
  return udh.length ? Buffer.concat([udh, text]) : text;
}

function checkReference(reference: number | undefined, total: number): number {
  if (reference === undefined) {
    throw new SmppSplitError(`a reference is required to split a message into ${total} parts`);
  }
  if (!Number.isSafeInteger(reference) || reference < 0) {
    throw new SmppSplitError(`reference must be a non-negative integer, got ${reference}`);
  }
  return reference;
}

/**
 * Splits a message into parts ready for submit_sm / deliver_sm. A message that fits one part is
 * returned alone, without concatenation header or SAR TLVs. Cuts never fall inside a GSM escape
 * sequence or a UCS2 surrogate pair; with `gsm7-packed` and a UDH, the fill bits are accounted for.
 */
export function splitMessage(content: string | Uint8Array, options: SplitOptions): Segment[] {
  const encoding =
    options.encoding ?? (typeof content === 'string' ? pickEncoding(content, options) : 'binary');
  const units = toUnits(content, encoding, options);
  const dataCoding = options.dataCoding ?? dataCodingFor(encoding);
  const packed = encoding === 'gsm7-packed';
  const elements = options.elements ?? [];
  const method = options.method;
  if (elements.length > 0 && method === 'sar') {
    throw new SmppSplitError('UDH elements cannot be combined with SAR TLVs (SMPP 3.4 §5.3.2.22)');
  }
  const extra = buildUdh(elements);
  const flags = extra.length ? ESM_CLASS_UDHI : 0;

  if (method === 'payload') {
    const messagePayload = body(units, packed, extra);
    if (messagePayload.length > MAX_TLV_OCTETS) {
      throw new SmppSplitError(
        `message_payload of ${messagePayload.length} octets exceeds ${MAX_TLV_OCTETS}`,
      );
    }
    return [
      {
        shortMessage: Buffer.alloc(0),
        esmClassFlags: flags,
        tlvs: { messagePayload },
        dataCoding,
        sequence: 1,
        total: 1,
      },
    ];
  }

  if (units.length <= segmentCapacity(encoding, extra.length)) {
    return [
      {
        shortMessage: body(units, packed, extra),
        esmClassFlags: flags,
        tlvs: {},
        dataCoding,
        sequence: 1,
        total: 1,
      },
    ];
  }

  const concatBits = method === 'udh16' ? 16 : 8;
  // SAR parts carry no UDH here, but the SMSC adds an 8-bit one on the radio side.
  const headerLength =
    method === 'sar'
      ? concatUdhLength('udh8')
      : udhLength(elements) + concatUdhLength(method) - (elements.length ? 1 : 0);
  const capacity = segmentCapacity(encoding, headerLength);
  const fill = method === 'sar' ? 0 : gsm7FillBits(headerLength);
  const ends = segmentEnds(encoding, units, capacity, fill);
  const total = ends.length;
  const max = Math.min(options.maxSegments ?? 255, 255);
  if (total > max) throw new SmppSplitError(`the message needs ${total} parts, more than the ${max} allowed`);
  const reference = checkReference(options.reference, total);

  const segments: Segment[] = [];
  let start = 0;
  for (let i = 0; i < total; i++) {
    const end = ends[i]!;
    const part = units.subarray(start, end);
    start = end;
    const sequence = i + 1;
    if (method === 'sar') {
      segments.push({
        shortMessage: body(part, packed, Buffer.alloc(0)),
        esmClassFlags: 0,
        tlvs: { sarMsgRefNum: reference & 0xffff, sarTotalSegments: total, sarSegmentSeqnum: sequence },
        dataCoding,
        sequence,
        total,
      });
      continue;
    }
    const concat = concatElement({ reference, total, sequence, referenceBits: concatBits });
    const udh = buildUdh([...elements, concat]);
    segments.push({
      shortMessage: body(part, packed, udh),
      esmClassFlags: ESM_CLASS_UDHI,
      tlvs: {},
      dataCoding,
      sequence,
      total,
    });
  }
  return segments;
}
