import { receiptDeliverSm } from '@smsc/receipts';
import type { PduInput, UnknownTlv } from '@smsc/smpp';
import type { SmsRecord } from '@smsc/store';

/**
 * Optional parameters a deliver_sm may carry (SMPP 3.4 §4.6.1). Submit-only ones (validity hints,
 * display_time, set_dpf, ...) mean nothing to the receiving ESME and are dropped; so are vendor tags.
 */
export const DELIVER_SM_TLV_TAGS: ReadonlySet<number> = new Set([
  0x0204, // user_message_reference
  0x020a, // source_port
  0x020b, // destination_port
  0x020c, // sar_msg_ref_num
  0x020e, // sar_total_segments
  0x020f, // sar_segment_seqnum
  0x0205, // user_response_code
  0x0201, // privacy_indicator
  0x0019, // payload_type
  0x0424, // message_payload
  0x0381, // callback_num
  0x0202, // source_subaddress
  0x0203, // dest_subaddress
  0x020d, // language_indicator
  0x1383, // its_session_info
  0x0423, // network_error_code
  0x0427, // message_state
  0x001e, // receipted_message_id
]);

/** A stored Binary's content (its `buffer` may be larger than the content). */
function bytes(b: SmsRecord['payload']['shortMessage']): Buffer {
  return Buffer.from(b.value());
}

/** esm_class bits 7-6, the GSM network features (UDHI 0x40, reply path 0x80), §5.2.12. */
const GSM_FEATURES = 0xc0;
/** esm_class bits 5-2, the message type (receipt, acknowledgement...), §5.2.12. */
const MESSAGE_TYPE = 0x3c;

function esmClassFor(record: SmsRecord): number {
  const esm = record.payload.esmClass;
  // A submit's messaging mode and type (bits 5-0) are requests to us; the deliver_sm only keeps the
  // GSM features. A deliver_sm injected as mobile-originated traffic already has deliver_sm's
  // meaning, so its message type (e.g. a receipt from a handset network) travels on.
  if (record.payload.command === 'deliver_sm') return esm & (GSM_FEATURES | MESSAGE_TYPE);
  return esm & GSM_FEATURES;
}

/**
 * The deliver_sm for a stored message: the PDU fields as received (addresses, protocol_id,
 * data_coding, short_message, TLVs byte-exact), with the fields §4.6.1 requires NULL in deliver_sm
 * (schedule, validity, replace_if_present, sm_default_msg_id) left empty. Receipts get their
 * Appendix B form from @smsc/receipts.
 */
export function toDeliverSm(record: SmsRecord): PduInput<'deliver_sm'> {
  if (record.kind === 'receipt') return receiptDeliverSm(record);
  const p = record.payload;
  const unknown: UnknownTlv[] = [];
  for (const t of p.tlvs) {
    if (!DELIVER_SM_TLV_TAGS.has(t.tag)) continue;
    unknown.push({ tag: t.tag, value: bytes(t.value) });
  }
  const pdu: PduInput<'deliver_sm'> = {
    command: 'deliver_sm',
    serviceType: p.serviceType,
    sourceAddrTon: p.source.ton,
    sourceAddrNpi: p.source.npi,
    sourceAddr: p.source.addr,
    destAddrTon: p.destination.ton,
    destAddrNpi: p.destination.npi,
    destinationAddr: p.destination.addr,
    esmClass: esmClassFor(record),
    protocolId: p.protocolId,
    priorityFlag: p.priorityFlag,
    // §4.6.1: registered_delivery in deliver_sm asks the ESME for an SME acknowledgement, which we
    // never want; the submitter's receipt request is the SMSC's business (the store tracks it).
    registeredDelivery: 0,
    dataCoding: p.dataCoding,
    shortMessage: bytes(p.shortMessage),
  };
  if (unknown.length > 0) pdu.tlvs = { unknown };
  return pdu;
}
