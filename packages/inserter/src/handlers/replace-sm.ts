/** replace_sm (SMPP 3.4 §4.10): new content, times or receipt request for a queued message. */
import { CommandStatus, type PduOf } from '@smsc/smpp';
import { MessageTooLargeError } from '@smsc/store';
import type { Connection, InserterContext } from '../context.ts';
import { checkContent } from '../validate/content.ts';
import { validateRegisteredDelivery } from '../validate/flags.ts';
import { checkTimes } from '../validate/times.ts';
import { type Answer, refuse } from './answer.ts';
import { isMessageId, ownedMessage } from './owned-message.ts';

const S = CommandStatus;

export async function handleReplaceSm(
  ctx: InserterContext,
  conn: Connection,
  pdu: PduOf<'replace_sm'>,
): Promise<Answer> {
  if (!isMessageId(pdu.messageId)) return refuse(S.ESME_RINVMSGID);
  const status = validateRegisteredDelivery(pdu.registeredDelivery);
  if (status !== 0) return refuse(status);
  const message = await ownedMessage(ctx, conn, pdu.messageId);
  if (!message) return refuse(S.ESME_RREPLACEFAIL);
  const content = checkContent(
    pdu.shortMessage,
    pdu.tlvs,
    message.payload.esmClass,
    message.payload.dataCoding,
    ctx.limits.maxMessageBytes,
  );
  if (content.status !== 0) return refuse(content.status);
  const times = checkTimes(pdu.scheduleDeliveryTime, pdu.validityPeriod, ctx.now(), ctx.limits);
  if (times.status !== 0) return refuse(times.status);
  const changes: Parameters<typeof ctx.store.replace>[1] = { registeredDelivery: pdu.registeredDelivery };
  // An empty short_message keeps the stored content (it may live in message_payload).
  if (pdu.shortMessage.length > 0) changes.shortMessage = pdu.shortMessage;
  if ('scheduledAt' in times && times.scheduledAt) changes.scheduledAt = times.scheduledAt;
  if ('expiresAt' in times && times.expiresAt) changes.expiresAt = times.expiresAt;
  try {
    const result = await ctx.store.replace(message._id, changes);
    conn.log.info({ messageId: message._id, applied: result.applied }, 'replace_sm');
    return result.applied ? { commandStatus: 0 } : refuse(S.ESME_RREPLACEFAIL);
  } catch (error) {
    if (error instanceof MessageTooLargeError) return refuse(S.ESME_RINVMSGLEN);
    throw error;
  }
}
