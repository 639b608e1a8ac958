/**
 * cancel_sm (SMPP 3.4 §4.9): by message_id, or (message_id empty) every queued message of this
 * account from source_addr to destination_addr (and service_type when given). Only messages not yet
 * claimed for delivery can be cancelled; others get ESME_RCANCELFAIL. The id of a submit_multi names
 * all its destinations; a destination_addr with it cancels that destination's only.
 */
import { CommandStatus, type PduOf } from '@smsc/smpp';
import { SmsState } from '@smsc/store';
import type { Connection, InserterContext } from '../context.ts';
import { type Answer, refuse } from './answer.ts';
import { isMessageId, ownedMessage } from './owned-message.ts';

const S = CommandStatus;
/** Most messages one cancel_sm without an id may cancel. */
const MAX_CANCEL = 1000;

export async function handleCancelSm(
  ctx: InserterContext,
  conn: Connection,
  pdu: PduOf<'cancel_sm'>,
): Promise<Answer> {
  const by = `esme:${conn.account?.systemId}`;
  if (pdu.messageId !== '') {
    if (!isMessageId(pdu.messageId)) return refuse(S.ESME_RINVMSGID);
    const message = await ownedMessage(ctx, conn, pdu.messageId);
    if (!message) return refuse(S.ESME_RCANCELFAIL);
    const group = [
      message,
      ...(await ctx.store.find(
        { submitId: message._id, accountId: message.accountId, state: SmsState.queued },
        { limit: MAX_CANCEL },
      )),
    ].filter((m) => pdu.destinationAddr === '' || m.payload.destination.addr === pdu.destinationAddr);
    let cancelled = 0;
    for (const m of group) {
      const result = await ctx.store.cancel(m._id, by);
      conn.log.info({ messageId: m._id, applied: result.applied }, 'cancel_sm');
      if (result.applied) cancelled += 1;
    }
    return cancelled > 0 ? { commandStatus: 0 } : refuse(S.ESME_RCANCELFAIL);
  }
  if (pdu.sourceAddr === '' || pdu.destinationAddr === '') return refuse(S.ESME_RCANCELFAIL);
  const filter: Record<string, unknown> = {
    accountId: conn.account?.systemId,
    state: SmsState.queued,
    'payload.source.addr': pdu.sourceAddr,
    'payload.destination.addr': pdu.destinationAddr,
  };
  if (pdu.serviceType !== '') filter['payload.serviceType'] = pdu.serviceType;
  const candidates = await ctx.store.find(filter, { limit: MAX_CANCEL });
  let cancelled = 0;
  for (const m of candidates) {
    const result = await ctx.store.cancel(m._id, by);
    if (result.applied) {
      cancelled += 1;
      conn.log.info({ messageId: m._id }, 'cancel_sm by address');
    }
  }
  return cancelled > 0 ? { commandStatus: 0 } : refuse(S.ESME_RCANCELFAIL);
}
