import { decodeText, formatReceipt, type PduInput } from '@smsc/smpp';
import type { SmsRecord } from '@smsc/store';
import { receiptErrorCode } from './error-code.ts';
import { NotAReceiptError } from './errors.ts';
import { receiptStatus } from './receipt-status.ts';

/** esm_class message type "SMSC Delivery Receipt" (SMPP 3.4 §5.2.12, bits 5-2 = 0001). */
export const ESM_CLASS_DELIVERY_RECEIPT = 0x04;

/** network_error_code network type (§5.3.2.31): 3 = GSM, the one ESMEs expect. */
export const RECEIPT_NETWORK_TYPE_GSM = 3;

export type ReceiptPduOptions = {
  /** The `text:` field (Appendix B). Default: the first 20 characters of the original message. */
  text?: string;
};

const ESM_CLASS_UDHI = 0x40;
const RECEIPT_TEXT_CHARACTERS = 20;

/**
 * The first 20 characters of the original message for `text:`, as printable ASCII: the receipt goes
 * out in data_coding 0 and receipt parsers read it as ASCII, so anything else becomes '?'.
 */
export function originalText(of: NonNullable<SmsRecord['receiptOf']>): string {
  const content = of.content;
  if (!content) return '';
  let bytes: Uint8Array = content.head.buffer;
  if (content.esmClass & ESM_CLASS_UDHI && bytes.length > 0) bytes = bytes.subarray(1 + (bytes[0] ?? 0));
  let text: string;
  try {
    text = decodeText(bytes, content.dataCoding);
  } catch {
    return '';
  }
  return Array.from(text)
    .slice(0, RECEIPT_TEXT_CHARACTERS)
    .map((c) => (c >= ' ' && c <= '~' ? c : '?'))
    .join('');
}

/** What a receipt says, before it becomes a PDU: the parts tests and other outlets (HTTP) reuse. */
export type ReceiptContent = {
  /** Exactly the message_id the submit_sm_resp carried. */
  receiptedMessageId: string;
  messageState: number;
  errorCode: number;
  /** The Appendix B text, ASCII. */
  text: string;
};

export function isReceipt(record: SmsRecord): boolean {
  return record.kind === 'receipt' && record.receiptOf !== undefined;
}

/** The content of a receipt the store queued (kind `receipt`, see @smsc/store receipts.ts). */
export function receiptContent(record: SmsRecord, options: ReceiptPduOptions = {}): ReceiptContent {
  const of = record.receiptOf;
  if (record.kind !== 'receipt' || of === undefined) throw new NotAReceiptError(record._id);
  const { messageState, stat } = receiptStatus(of.state);
  const errorCode = of.state === 'delivered' ? 0 : receiptErrorCode(of.error);
  // One record per segment, so each receipt counts one part (sub:001) of its own id.
  const text = formatReceipt({
    id: of.messageId,
    sub: 1,
    dlvrd: stat === 'DELIVRD' ? 1 : 0,
    submitDate: of.submittedAt,
    doneDate: of.doneAt,
    stat,
    err: errorCode,
    text: options.text ?? originalText(of),
  });
  return { receiptedMessageId: of.messageId, messageState, errorCode, text };
}

/**
 * The deliver_sm that carries a receipt to the submitting ESME (SMPP 3.4 §4.6.1, Appendix B): the
 * store already swapped the addresses (source = original destination, destination = original source);
 * the text is ASCII in the default alphabet (data_coding 0), and the TLVs say the same as the text
 * for ESMEs that read those instead (§5.3.2.12, §5.3.2.35, §5.3.2.31).
 */
export function receiptDeliverSm(record: SmsRecord, options: ReceiptPduOptions = {}): PduInput<'deliver_sm'> {
  const content = receiptContent(record, options);
  const p = record.payload;
  return {
    command: 'deliver_sm',
    serviceType: p.serviceType,
    sourceAddrTon: p.source.ton,
    sourceAddrNpi: p.source.npi,
    sourceAddr: p.source.addr,
    destAddrTon: p.destination.ton,
    destAddrNpi: p.destination.npi,
    destinationAddr: p.destination.addr,
    esmClass: ESM_CLASS_DELIVERY_RECEIPT,
    protocolId: 0,
    priorityFlag: 0,
    registeredDelivery: 0,
    dataCoding: 0,
    shortMessage: Buffer.from(content.text, 'latin1'),
    tlvs: {
      receiptedMessageId: content.receiptedMessageId,
      messageState: content.messageState,
      networkErrorCode: { networkType: RECEIPT_NETWORK_TYPE_GSM, errorCode: content.errorCode },
    },
  };
}
