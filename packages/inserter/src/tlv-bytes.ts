/**
 * TLVs between the codec's typed object and the store's raw `{tag, value}` list, through the codec
 * itself (a throwaway data_sm_resp), so the two never disagree on a value's layout.
 */
import { decodePdu, encodePdu, type Tlvs } from '@smsc/smpp';

export interface RawTlv {
  tag: number;
  value: Buffer;
}

// A data_sm_resp with an empty message_id: 16 octets of header, 1 octet of NUL, then the TLVs.
const TLV_OFFSET = 17;

/** The TLVs of a decoded PDU as raw tag/value pairs, in the object's order. */
export function tlvsToRaw(tlvs: Tlvs | undefined): RawTlv[] {
  if (!tlvs) return [];
  const frame = encodePdu({
    command: 'data_sm_resp',
    commandStatus: 0,
    sequenceNumber: 1,
    messageId: '',
    tlvs,
  });
  const out: RawTlv[] = [];
  for (let p = TLV_OFFSET; p + 4 <= frame.length; ) {
    const tag = frame.readUInt16BE(p);
    const length = frame.readUInt16BE(p + 2);
    out.push({ tag, value: Buffer.from(frame.subarray(p + 4, p + 4 + length)) });
    p += 4 + length;
  }
  return out;
}

/** Raw tag/value pairs (as stored) back to the codec's typed object, e.g. to build a deliver_sm. */
export function rawToTlvs(raw: readonly { tag: number; value: Uint8Array }[]): Tlvs {
  if (raw.length === 0) return {};
  const unknown = raw.map((t) => ({ tag: t.tag, value: Buffer.from(t.value) }));
  const frame = encodePdu({
    command: 'data_sm_resp',
    commandStatus: 0,
    sequenceNumber: 1,
    messageId: '',
    tlvs: { unknown },
  });
  return decodePdu(frame).tlvs ?? {};
}
