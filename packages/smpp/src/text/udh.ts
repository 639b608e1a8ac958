import { SmppUdhError } from './errors.ts';

/** Information element identifiers the SMSC acts on (3GPP TS 23.040 §9.2.3.24). */
export const Iei = {
  concat8: 0x00,
  ports8: 0x04,
  ports16: 0x05,
  concat16: 0x08,
} as const;

/** One information element, kept byte-exactly whether it is known or not. */
export interface InformationElement {
  iei: number;
  data: Buffer;
}

export interface ConcatInfo {
  reference: number;
  total: number;
  /** 1-based. */
  sequence: number;
  referenceBits: 8 | 16;
}

export interface PortInfo {
  destination: number;
  source: number;
  bits: 8 | 16;
}

export interface Udh {
  /** Every element in the order received, unknown ones included. */
  elements: InformationElement[];
  /** From the last valid concatenation element, if any. */
  concat?: ConcatInfo;
  /** From the last valid application port element, if any. */
  ports?: PortInfo;
}

export interface ParsedUserData {
  udh: Udh;
  /** The octets after the header (views into the input, not copies). */
  payload: Buffer;
  /** Header length in octets, the UDHL octet included. */
  udhLength: number;
}

function view(bytes: Uint8Array, start: number, end: number): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start);
}

function readConcat(e: InformationElement): ConcatInfo | undefined {
  const d = e.data;
  let info: ConcatInfo | undefined;
  if (e.iei === Iei.concat8 && d.length === 3) {
    info = { reference: d[0]!, total: d[1]!, sequence: d[2]!, referenceBits: 8 };
  } else if (e.iei === Iei.concat16 && d.length === 4) {
    info = { reference: d.readUInt16BE(0), total: d[2]!, sequence: d[3]!, referenceBits: 16 };
  }
  // 23.040 §9.2.3.24.1: a zero total, or a sequence of zero or above the total, voids the element.
  if (!info || info.total === 0 || info.sequence === 0 || info.sequence > info.total) return undefined;
  return info;
}

function readPorts(e: InformationElement): PortInfo | undefined {
  const d = e.data;
  if (e.iei === Iei.ports8 && d.length === 2) return { destination: d[0]!, source: d[1]!, bits: 8 };
  if (e.iei === Iei.ports16 && d.length === 4) {
    return { destination: d.readUInt16BE(0), source: d.readUInt16BE(2), bits: 16 };
  }
  return undefined;
}

/** Reads the known elements of a list; the last occurrence wins (23.040 §9.2.3.24). */
export function interpretElements(elements: InformationElement[]): Udh {
  const udh: Udh = { elements };
  for (const e of elements) {
    const c = readConcat(e);
    if (c) udh.concat = c;
    const p = readPorts(e);
    if (p) udh.ports = p;
  }
  return udh;
}

/**
 * Splits user data that starts with a UDH (esm_class UDHI 0x40 set) into header and payload.
 * Throws `SmppUdhError` when the lengths do not fit in the data.
 */
export function parseUdh(userData: Uint8Array): ParsedUserData {
  if (userData.length === 0) throw new SmppUdhError('UDHI is set but the user data is empty');
  const udhl = userData[0]!;
  const end = 1 + udhl;
  if (end > userData.length) {
    throw new SmppUdhError(`UDH length ${udhl} exceeds the ${userData.length - 1} octets that follow it`);
  }
  const elements: InformationElement[] = [];
  let p = 1;
  while (p < end) {
    if (p + 2 > end) throw new SmppUdhError(`UDH element at offset ${p} is cut by the header end`);
    const iei = userData[p]!;
    const len = userData[p + 1]!;
    if (p + 2 + len > end) {
      throw new SmppUdhError(`UDH element 0x${iei.toString(16)} at offset ${p} is longer than the header`);
    }
    elements.push({ iei, data: view(userData, p + 2, p + 2 + len) });
    p += 2 + len;
  }
  return { udh: interpretElements(elements), payload: view(userData, end, userData.length), udhLength: end };
}

/** Header length in octets (UDHL included) of a list of elements; 0 for none. */
export function udhLength(elements: readonly InformationElement[]): number {
  if (elements.length === 0) return 0;
  let n = 1;
  for (const e of elements) n += 2 + e.data.length;
  return n;
}

/** Builds a UDH (UDHL first) from elements in the order given. */
export function buildUdh(elements: readonly InformationElement[]): Buffer {
  const len = udhLength(elements);
  if (len === 0) return Buffer.alloc(0);
  if (len - 1 > 0xff) throw new SmppUdhError(`UDH of ${len - 1} octets exceeds 255`);
  const out = Buffer.allocUnsafe(len);
  out[0] = len - 1;
  let p = 1;
  for (const e of elements) {
    if (e.data.length > 0xff)
      throw new SmppUdhError(`UDH element 0x${e.iei.toString(16)} exceeds 255 octets`);
    out[p++] = e.iei;
    out[p++] = e.data.length;
    out.set(e.data, p);
    p += e.data.length;
  }
  return out;
}

/** A concatenation element: IEI 0x00 with an 8-bit reference or 0x08 with a 16-bit one. */
export function concatElement(info: ConcatInfo): InformationElement {
  const { reference, total, sequence, referenceBits } = info;
  if (!(total >= 1 && total <= 255 && sequence >= 1 && sequence <= total)) {
    throw new SmppUdhError(`concatenation sequence ${sequence} of ${total} is out of range 1-255`);
  }
  if (referenceBits === 8)
    return { iei: Iei.concat8, data: Buffer.from([reference & 0xff, total, sequence]) };
  const data = Buffer.allocUnsafe(4);
  data.writeUInt16BE(reference & 0xffff, 0);
  data[2] = total;
  data[3] = sequence;
  return { iei: Iei.concat16, data };
}

/** An application port addressing element: IEI 0x04 (8-bit ports) or 0x05 (16-bit ports). */
export function portElement(info: PortInfo): InformationElement {
  const max = info.bits === 8 ? 0xff : 0xffff;
  for (const port of [info.destination, info.source]) {
    if (!Number.isInteger(port) || port < 0 || port > max) {
      throw new SmppUdhError(`port ${port} does not fit in ${info.bits} bits`);
    }
  }
  if (info.bits === 8) return { iei: Iei.ports8, data: Buffer.from([info.destination, info.source]) };
  const data = Buffer.allocUnsafe(4);
  data.writeUInt16BE(info.destination, 0);
  data.writeUInt16BE(info.source, 2);
  return { iei: Iei.ports16, data };
}
