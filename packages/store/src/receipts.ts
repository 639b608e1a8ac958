import { Binary, type Filter, MongoBulkWriteError } from 'mongodb';
import type { StoreContext } from './context.ts';
import { eventOf, type NewEvent } from './events.ts';
import { EventType, type ReceiptOf, ReceiptRequest, type SmsRecord, SmsState } from './records.ts';

/** A receipt's id is its message's id plus this suffix: the same final transition always maps to the same receipt. */
export const RECEIPT_ID_SUFFIX = '.r';

/** Receipts go back to the submitting account's sessions; routing of the next layer resolves this target. */
export function receiptTarget(accountId: string): string {
  return `esme:${accountId}`;
}

/** Receipts of one account spread over this many destination locks. */
export const RECEIPT_LANES = 64;

/**
 * The lock key of a receipt. Receipts go to the submitting ESME, not to a handset, so locking them
 * by the original source address would serialise every receipt of a bulk sender's one short code
 * through one lock, four at a time. Lanes keep a few batches per account in flight instead.
 */
export function receiptLockKey(accountId: string, messageId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < messageId.length; i += 1) h = Math.imul(h ^ messageId.charCodeAt(i), 0x01000193) >>> 0;
  return `receipt:${accountId}:${h % RECEIPT_LANES}`;
}

/** Enough of the original user data for 20 characters of any alphabet after a UDH of up to 140 octets. */
const RECEIPT_HEAD_OCTETS = 200;

function receiptContent(p: SmsRecord['payload']): NonNullable<ReceiptOf['content']> {
  // A long message travels whole in message_payload (SMPP 3.4 §5.3.2.32) with an empty short_message.
  const payloadTlv = p.shortMessage.length() === 0 ? p.tlvs.find((t) => t.tag === 0x0424) : undefined;
  const bytes = (payloadTlv?.value ?? p.shortMessage).buffer;
  return {
    dataCoding: p.dataCoding,
    esmClass: p.esmClass,
    head: new Binary(Buffer.from(bytes.subarray(0, RECEIPT_HEAD_OCTETS))),
  };
}

export function buildReceipt(ctx: StoreContext, message: SmsRecord, now: Date): SmsRecord {
  const p = message.payload;
  return {
    _id: message._id + RECEIPT_ID_SUFFIX,
    kind: 'receipt',
    state: SmsState.queued,
    arrivedAt: now,
    updatedAt: now,
    destMsisdn: receiptLockKey(message.accountId, message._id),
    priority: 0,
    receipt: ReceiptRequest.none,
    expiresAt: new Date(now.getTime() + ctx.config.receiptValidityMs),
    nextAttemptAt: now,
    attempts: 0,
    lock: null,
    rev: 0,
    // The receipt travels back: source and destination swap; esm_class 0x04 marks a delivery
    // receipt (SMPP 3.4 §5.2.12). The text is formatted by the delivering layer from receiptOf.
    payload: {
      ...p,
      command: 'receipt',
      source: p.destination,
      destination: p.source,
      esmClass: 0x04,
      registeredDelivery: 0,
      shortMessage: new Binary(Buffer.alloc(0)),
      tlvs: [],
    },
    target: receiptTarget(message.accountId),
    accountId: message.accountId,
    history: [],
    receiptOf: {
      messageId: message.submitId ?? message._id,
      content: receiptContent(p),
      state: message.state,
      ...(message.lastError !== undefined ? { error: message.lastError } : {}),
      submittedAt: message.arrivedAt,
      doneAt: message.finalAt ?? now,
      attempts: message.attempts,
    },
  };
}

/**
 * Exactly one receipt per final transition that owes one. The final write set `receiptPending`;
 * here the receipt is inserted under an id derived from the message (a repeat hits the unique
 * `_id` and is ignored), and only then is the flag cleared. A crash between leaves the flag set;
 * cleanup finds it and repeats both steps, and the repeat insert is a no-op. Returns the events
 * to write for receipts that were new.
 */
export async function queueReceipts(ctx: StoreContext, finals: SmsRecord[]): Promise<NewEvent[]> {
  if (finals.length === 0) return [];
  const now = ctx.now();
  const receipts = finals.map((m) => buildReceipt(ctx, m, now));
  const failed = new Set<number>();
  try {
    await ctx.cols.sms.insertMany(receipts, { ordered: false });
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    for (const e of errors) {
      if (e.code !== 11000) throw error;
      failed.add(e.index);
    }
  }
  const cleared = receiptPendingCleared(finals);
  await ctx.cols.sms.updateMany(cleared.filter, cleared.update);
  const events: NewEvent[] = [];
  receipts.forEach((r, i) => {
    if (failed.has(i)) return;
    countReceipt(ctx, r);
    events.push(receiptQueuedEvent(r, now));
  });
  return events;
}

export function countReceipt(ctx: StoreContext, r: SmsRecord): void {
  ctx.metrics.inc('smsc_receipts_queued_total');
  ctx.metrics.inc('smsc_sms_transitions_total', { to: SmsState.queued });
  ctx.logger.debug({ messageId: r._id, receiptOf: r.receiptOf?.messageId }, 'receipt queued');
}

export function receiptQueuedEvent(r: SmsRecord, now: Date): NewEvent {
  return eventOf(EventType.queued, r, now, { due: now });
}

/** Clears the flag of messages whose receipt is queued: the second of the two steps above. */
export function receiptPendingCleared(finals: readonly SmsRecord[]): {
  filter: Filter<SmsRecord>;
  update: { $unset: { receiptPending: '' } };
} {
  return {
    filter: { _id: { $in: finals.map((m) => m._id) }, receiptPending: true } as Filter<SmsRecord>,
    update: { $unset: { receiptPending: '' } },
  };
}
