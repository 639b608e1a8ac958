import { MessageState, type MessageStateValue, type ReceiptStatWord, statForMessageState } from '@smsc/smpp';
import { SmsState } from '@smsc/store';

/** What a receipt reports for a final state: SMPP 3.4 §5.2.28 message_state and its Appendix B stat word. */
export type ReceiptStatus = { messageState: MessageStateValue; stat: ReceiptStatWord };

const STATE_BY_SMS_STATE: Record<SmsState, MessageStateValue> = {
  [SmsState.delivered]: MessageState.DELIVERED,
  [SmsState.expired]: MessageState.EXPIRED,
  // Permanent failure or attempts exhausted: the message will never arrive.
  [SmsState.failed]: MessageState.UNDELIVERABLE,
  [SmsState.cancelled]: MessageState.DELETED,
  // Not final: only intermediate notifications would report these.
  [SmsState.queued]: MessageState.ENROUTE,
  [SmsState.delivering]: MessageState.ENROUTE,
};

export function receiptStatus(state: SmsState): ReceiptStatus {
  const messageState = STATE_BY_SMS_STATE[state] ?? MessageState.UNKNOWN;
  return { messageState, stat: statForMessageState(messageState) };
}
