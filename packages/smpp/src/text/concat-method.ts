/**
 * How a long message is marked as one of several parts:
 * - `udh8` / `udh16`: a UDH in short_message with IEI 0x00 / 0x08 (3GPP TS 23.040 §9.2.3.24.1 and
 *   §9.2.3.24.8) and esm_class UDHI 0x40;
 * - `sar`: the SMPP 3.4 §5.3.2.22-24 TLVs sar_msg_ref_num, sar_total_segments, sar_segment_seqnum;
 * - `payload`: the whole message in one message_payload TLV (§5.3.2.32); the SMSC splits it.
 */
export type SplitMethod = 'udh8' | 'udh16' | 'sar' | 'payload';

/** The header a concatenated message carries on the radio side. */
export type ConcatMethod = 'udh8' | 'udh16';

/** UDH octets (UDHL included) of a concatenation header alone: 6 for udh8, 7 for udh16. */
export function concatUdhLength(method: ConcatMethod): number {
  return method === 'udh16' ? 7 : 6;
}
