/** The message body: short_message or message_payload, its UDH, SAR TLVs and length. */
import { CommandStatus, ESM_CLASS_UDHI, Iei, parseUdh, type Tlvs } from '@smsc/smpp';

const S = CommandStatus;

export interface SegmentInfo {
  ref: number;
  total: number;
  seq: number;
}

export type ContentCheck = { status: number } | { status: 0; content: Buffer; segment?: SegmentInfo };

const UCS2 = 0x08;

/**
 * Checks the content of a message and reads its segment position (UDH concat IE or SAR TLVs,
 * §5.3.2.22-24). `maxBytes` bounds the content (the store's limit).
 */
export function checkContent(
  shortMessage: Buffer,
  tlvs: Tlvs | undefined,
  esmClass: number,
  dataCoding: number,
  maxBytes: number,
): ContentCheck {
  const payload = tlvs?.messagePayload;
  // §5.3.2.32: with message_payload, sm_length must be 0.
  if (payload !== undefined && shortMessage.length > 0) return { status: S.ESME_RINVMSGLEN };
  const content = payload ?? shortMessage;
  if (content.length > maxBytes) return { status: S.ESME_RINVMSGLEN };
  const udhi = (esmClass & ESM_CLASS_UDHI) !== 0;
  const sar = [tlvs?.sarMsgRefNum, tlvs?.sarTotalSegments, tlvs?.sarSegmentSeqnum];
  const sarCount = sar.filter((v) => v !== undefined).length;
  let segment: SegmentInfo | undefined;
  let text = content;
  if (udhi) {
    // SAR TLVs and a UDH would say the same thing twice, possibly differently.
    if (sarCount > 0) return { status: S.ESME_ROPTPARNOTALLWD };
    try {
      const parsed = parseUdh(content);
      text = Buffer.from(parsed.payload);
      const c = parsed.udh.concat;
      // A concatenation element the parser could not accept (sequence 0 or beyond the total).
      const concatIe = parsed.udh.elements.some((e) => e.iei === Iei.concat8 || e.iei === Iei.concat16);
      if (concatIe && !c) return { status: S.ESME_RINVMSGLEN };
      if (c) {
        if (c.total === 0 || c.sequence === 0 || c.sequence > c.total) return { status: S.ESME_RINVMSGLEN };
        segment = { ref: c.reference, total: c.total, seq: c.sequence };
      }
    } catch {
      return { status: S.ESME_RINVMSGLEN };
    }
  } else if (sarCount > 0) {
    if (sarCount < 3) return { status: S.ESME_RMISSINGOPTPARAM };
    const [ref, total, seq] = sar as [number, number, number];
    if (total === 0 || seq === 0 || seq > total) return { status: S.ESME_RINVOPTPARAMVAL };
    segment = { ref, total, seq };
  }
  // UCS2 is two octets per code unit: an odd length cannot be text.
  if ((dataCoding & 0xff) === UCS2 && text.length % 2 !== 0) return { status: S.ESME_RINVMSGLEN };
  return segment ? { status: 0, content, segment } : { status: 0, content };
}
