/** query_sm (SMPP 3.4 §4.8): the state of a message this account submitted. */
import { CommandStatus, formatSmppAbsoluteTime, MessageState, type PduOf } from '@smsc/smpp';
import { type SmsRecord, SmsState } from '@smsc/store';
import type { Connection, InserterContext } from '../context.ts';
import { type Answer, refuse } from './answer.ts';
import { isMessageId, ownedMessage } from './owned-message.ts';

/** §5.2.28 message_state for each record state. */
export function messageStateOf(message: SmsRecord): number {
  switch (message.state) {
    case SmsState.queued:
    case SmsState.delivering:
      return MessageState.ENROUTE;
    case SmsState.delivered:
      return MessageState.DELIVERED;
    case SmsState.expired:
      return MessageState.EXPIRED;
    case SmsState.cancelled:
      return MessageState.DELETED;
    case SmsState.failed:
      return MessageState.UNDELIVERABLE;
    default:
      return MessageState.UNKNOWN;
  }
}

export async function handleQuerySm(
  ctx: InserterContext,
  conn: Connection,
  pdu: PduOf<'query_sm'>,
): Promise<Answer> {
  if (!isMessageId(pdu.messageId)) return refuse(CommandStatus.ESME_RINVMSGID);
  const message = await ownedMessage(ctx, conn, pdu.messageId);
  if (!message) return refuse(CommandStatus.ESME_RQUERYFAIL);
  conn.log.debug({ messageId: message._id, state: message.state }, 'query_sm');
  return {
    commandStatus: 0,
    messageId: message._id,
    // §4.8.2: final_date is NULL until the message reaches a final state.
    finalDate: message.finalAt ? formatSmppAbsoluteTime(message.finalAt) : '',
    messageState: messageStateOf(message),
    errorCode: 0,
  };
}
