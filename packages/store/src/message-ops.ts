import { Binary, type Filter, type UpdateFilter } from 'mongodb';
import type { StoreContext } from './context.ts';
import { InvalidMessageError, MessageTooLargeError } from './errors.ts';
import { appendEvents } from './events.ts';
import { EventType, HistoryOutcome, type SmsRecord, SmsState } from './records.ts';

export type CancelResult = { applied: boolean; message: SmsRecord | null };

/**
 * cancel_sm / admin cancel: only a message that is queued and not being delivered (a claimed message
 * may already be on its way; SMPP 3.4 §4.9 lets the SMSC refuse). One conditional write.
 */
export async function cancel(ctx: StoreContext, id: string, by = 'api'): Promise<CancelResult> {
  const now = ctx.now();
  const message = await ctx.cols.sms.findOneAndUpdate(
    { _id: id, state: SmsState.queued } as Filter<SmsRecord>,
    {
      $set: { state: SmsState.cancelled, finalAt: now, updatedAt: now },
      $push: {
        history: {
          $each: [{ attempt: 0, at: now, worker: by, outcome: HistoryOutcome.cancelled }],
          $slice: -ctx.config.historyLimit,
        },
      },
    } as UpdateFilter<SmsRecord>,
    { returnDocument: 'after' },
  );
  if (!message) return { applied: false, message: await ctx.cols.sms.findOne({ _id: id }) };
  ctx.metrics.inc('smsc_sms_transitions_total', { to: SmsState.cancelled });
  ctx.logger.debug({ messageId: id, by }, 'sms cancelled');
  await appendEvents(ctx, [
    {
      type: EventType.cancelled,
      at: now,
      smsId: id,
      destMsisdn: message.destMsisdn,
      target: message.target,
      state: message.state,
    },
  ]);
  return { applied: true, message };
}

export type ReplaceInput = {
  shortMessage?: Uint8Array;
  registeredDelivery?: number;
  scheduledAt?: Date;
  expiresAt?: Date;
};

/** replace_sm (SMPP 3.4 §4.10): only while queued and unclaimed; bumps `rev` so a claim from a stale read fails. */
export async function replace(ctx: StoreContext, id: string, changes: ReplaceInput): Promise<CancelResult> {
  const now = ctx.now();
  const set: Record<string, unknown> = { updatedAt: now };
  if (changes.shortMessage) {
    const current = await ctx.cols.sms.findOne({ _id: id });
    if (!current) return { applied: false, message: null };
    let tlvBytes = 0;
    for (const t of current.payload.tlvs) tlvBytes += t.value.length();
    const size = changes.shortMessage.byteLength + tlvBytes;
    if (size > ctx.config.maxMessageBytes) throw new MessageTooLargeError(size, ctx.config.maxMessageBytes);
    set['payload.shortMessage'] = new Binary(Buffer.from(changes.shortMessage));
  }
  if (changes.registeredDelivery !== undefined)
    set['payload.registeredDelivery'] = changes.registeredDelivery;
  if (changes.scheduledAt) set.nextAttemptAt = changes.scheduledAt;
  if (changes.expiresAt) {
    if (changes.expiresAt <= now) throw new InvalidMessageError('expiresAt is in the past');
    set.expiresAt = changes.expiresAt;
  }
  const message = await ctx.cols.sms.findOneAndUpdate(
    { _id: id, state: SmsState.queued } as Filter<SmsRecord>,
    { $set: set, $inc: { rev: 1 } } as UpdateFilter<SmsRecord>,
    { returnDocument: 'after' },
  );
  if (!message) return { applied: false, message: await ctx.cols.sms.findOne({ _id: id }) };
  ctx.metrics.inc('smsc_sms_replaced_total');
  ctx.logger.debug({ messageId: id }, 'sms replaced');
  await appendEvents(ctx, [
    {
      type: EventType.replaced,
      at: now,
      smsId: id,
      destMsisdn: message.destMsisdn,
      target: message.target,
      state: message.state,
      due: message.nextAttemptAt,
    },
  ]);
  return { applied: true, message };
}

/** Admin retry of a final (failed or expired) message: queued again now, attempts kept. */
export async function retryNow(ctx: StoreContext, id: string, validityMs: number): Promise<CancelResult> {
  const now = ctx.now();
  const message = await ctx.cols.sms.findOneAndUpdate(
    { _id: id, state: { $in: [SmsState.failed, SmsState.expired] } } as Filter<SmsRecord>,
    {
      $set: {
        state: SmsState.queued,
        nextAttemptAt: now,
        expiresAt: new Date(now.getTime() + validityMs),
        updatedAt: now,
      },
      $unset: { finalAt: '' },
      $inc: { rev: 1 },
    } as UpdateFilter<SmsRecord>,
    { returnDocument: 'after' },
  );
  if (!message) return { applied: false, message: await ctx.cols.sms.findOne({ _id: id }) };
  await appendEvents(ctx, [
    {
      type: EventType.queued,
      at: now,
      smsId: id,
      destMsisdn: message.destMsisdn,
      target: message.target,
      state: message.state,
      due: now,
    },
  ]);
  return { applied: true, message };
}
