import type { Filter, UpdateFilter } from 'mongodb';
import { newToken, type StoreContext } from './context.ts';
import { appendEvents, eventOf, type NewEvent } from './events.ts';
import { queueReceipts } from './receipts.ts';
import {
  EventType,
  FINAL_STATES,
  HistoryOutcome,
  ReceiptRequest,
  type SmsRecord,
  SmsState,
} from './records.ts';

// Every operation here works on at most `limit` documents: find the ids, then one conditional
// write on exactly those ids that repeats the condition, so a row that changed in between is left.

/** Messages whose holder's lease ran out go back to `queued` (they are due again already). */
export async function resetExpiredLeases(ctx: StoreContext, limit: number): Promise<number> {
  const now = ctx.now();
  const cond: Filter<SmsRecord> = { state: SmsState.delivering, nextAttemptAt: { $lte: now } };
  const ids = await idsOf(ctx, cond, limit);
  if (ids.length === 0) return 0;
  const token = newToken();
  const r = await ctx.cols.sms.updateMany(
    { ...cond, _id: { $in: ids } } as Filter<SmsRecord>,
    {
      $set: { state: SmsState.queued, lock: null, updatedAt: now, writeId: token },
      $push: {
        history: {
          $each: [{ attempt: 0, at: now, worker: 'cleanup', outcome: HistoryOutcome.reset }],
          $slice: -ctx.config.historyLimit,
        },
      },
    } as UpdateFilter<SmsRecord>,
  );
  if (r.modifiedCount > 0) {
    const reset = await ctx.cols.sms
      .find({ _id: { $in: ids }, writeId: token } as Filter<SmsRecord>)
      .toArray();
    ctx.metrics.inc('smsc_sms_transitions_total', { to: 'reset' }, reset.length);
    for (const m of reset) ctx.logger.info({ messageId: m._id }, 'lease ran out: message reset to queued');
    await appendEvents(
      ctx,
      reset.map((m) => eventOf(EventType.reset, m, now, { due: m.nextAttemptAt })),
    );
  }
  return r.modifiedCount;
}

/** Destination locks whose lease ran out: their holder died or hung. */
export async function removeExpiredDestinationLocks(ctx: StoreContext, limit: number): Promise<number> {
  const now = ctx.now();
  // A scan, on purpose: the collection holds one lock per destination in flight (and the leader
  // leases), while an index on `until` would move with every claim, release and lease extension.
  const stale = await ctx.cols.locks
    .find({ kind: 'destination', until: { $lte: now } }, { limit, projection: { _id: 1 } })
    .toArray();
  if (stale.length === 0) return 0;
  const r = await ctx.cols.locks.deleteMany({
    _id: { $in: stale.map((l) => l._id) },
    kind: 'destination',
    until: { $lte: now },
  });
  ctx.metrics.inc('smsc_destination_locks_removed_total', undefined, r.deletedCount);
  return r.deletedCount;
}

/**
 * Active messages past validity become `expired` (with a receipt where one was asked for). A
 * message under a live lease is left to its worker, which expires it under its token.
 */
export async function expireDue(ctx: StoreContext, limit: number): Promise<number> {
  const now = ctx.now();
  const cond: Filter<SmsRecord> = {
    state: { $in: [SmsState.queued, SmsState.delivering] },
    expiresAt: { $lte: now },
    $or: [{ state: SmsState.queued }, { nextAttemptAt: { $lte: now } }],
  };
  const candidates = await ctx.cols.sms.find(cond, { limit, projection: { _id: 1 } }).toArray();
  if (candidates.length === 0) return 0;
  const ids = candidates.map((c) => c._id);
  const token = newToken();
  const expire = (receiptPending: boolean) =>
    ({
      $set: {
        state: SmsState.expired,
        lock: null,
        finalAt: now,
        updatedAt: now,
        writeId: token,
        ...(receiptPending ? { receiptPending } : {}),
      },
      $push: {
        history: {
          $each: [{ attempt: 0, at: now, worker: 'cleanup', outcome: HistoryOutcome.expired }],
          $slice: -ctx.config.historyLimit,
        },
      },
    }) as UpdateFilter<SmsRecord>;
  // Two writes split by whether a receipt is owed, so the flag is set in the same write as the
  // final state (a crash between two writes would lose the receipt).
  const owes: Filter<SmsRecord> = { kind: 'message', receipt: { $ne: ReceiptRequest.none } };
  const a = await ctx.cols.sms.updateMany(
    { $and: [cond, { _id: { $in: ids } }, owes] } as Filter<SmsRecord>,
    expire(true),
  );
  const b = await ctx.cols.sms.updateMany(
    { $and: [cond, { _id: { $in: ids } }, { $nor: [owes] }] } as Filter<SmsRecord>,
    expire(false),
  );
  if (a.modifiedCount + b.modifiedCount === 0) return 0;
  const expired = await ctx.cols.sms
    .find({ _id: { $in: ids }, writeId: token } as Filter<SmsRecord>)
    .toArray();
  const owing = expired.filter((m) => m.receiptPending === true);
  const events: NewEvent[] = expired.map((m) =>
    eventOf(EventType.expired, m, now, { state: SmsState.expired }),
  );
  events.push(...(await queueReceipts(ctx, owing)));
  ctx.metrics.inc('smsc_sms_transitions_total', { to: SmsState.expired }, expired.length);
  for (const m of expired) ctx.logger.info({ messageId: m._id }, 'validity period ran out: message expired');
  await appendEvents(ctx, events);
  return expired.length;
}

/** Final records older than `before` are deleted, unless their receipt is still owed. */
export async function purgeFinal(ctx: StoreContext, before: Date, limit: number): Promise<number> {
  const cond: Filter<SmsRecord> = {
    state: { $in: [...FINAL_STATES] },
    finalAt: { $lt: before },
    receiptPending: { $ne: true },
  };
  // The state condition would lead a planner to an index led by state, which holds every record
  // (final ones included); only the sparse finalAt index is bounded by the cutoff.
  const ids = await idsOf(ctx, cond, limit, 'sms_final_at');
  if (ids.length === 0) return 0;
  const r = await ctx.cols.sms.deleteMany({ ...cond, _id: { $in: ids } } as Filter<SmsRecord>);
  ctx.metrics.inc('smsc_sms_purged_total', undefined, r.deletedCount);
  return r.deletedCount;
}

/** Receipts owed by final transitions older than `before` whose writer crashed before queueing them. */
export async function recoverReceipts(ctx: StoreContext, before: Date, limit: number): Promise<number> {
  const owing = await ctx.cols.sms
    .find({ receiptPending: true, finalAt: { $lte: before } } as Filter<SmsRecord>, { limit })
    .toArray();
  if (owing.length === 0) return 0;
  const events = await queueReceipts(ctx, owing);
  ctx.metrics.inc('smsc_receipts_recovered_total', undefined, owing.length);
  await appendEvents(ctx, events);
  return owing.length;
}

async function idsOf(
  ctx: StoreContext,
  filter: Filter<SmsRecord>,
  limit: number,
  hint?: string,
): Promise<string[]> {
  const docs = await ctx.cols.sms
    .find(filter, { limit, projection: { _id: 1 }, ...(hint ? { hint } : {}) })
    .toArray();
  return docs.map((d) => d._id);
}
