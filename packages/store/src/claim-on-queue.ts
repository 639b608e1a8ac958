/**
 * Messages claimed as they are stored: when the inserting process has a worker for a message's
 * target that is not behind (the destination account is bound here), the message is written
 * already claimed by that worker and handed to it: no `sms.queued` event, no claim round, no claim
 * update.
 * The lock protocol still decides. The destination's lock upsert goes in the same command as the
 * insert (MongoDB 8.0's multi-collection bulkWrite, unordered); after it, the same head check as a
 * claim round's. A destination held elsewhere, or with an older active message, or a message that
 * failed to insert, gets its messages given back to `queued` (with their events) before anything
 * is sent: one holder per destination and the order per destination hold as for any claim.
 */
import type { Filter, UpdateFilter } from 'mongodb';
import { type ClaimedBatch, unsettled } from './claim-many.ts';
import { claimedOnInsert, compareDestinationOrder, type LockOptions, MAX_BATCH } from './claims.ts';
import { CollectionName } from './collections.ts';
import type { StoreContext } from './context.ts';
import { appendEvents, eventOf } from './events.ts';
import { namespaceOf } from './multi-write.ts';
import { EventType, HistoryOutcome, type SmsRecord, SmsState } from './records.ts';

/**
 * A worker that takes messages as they are stored, with a fresh token per offer: `adopt` gets the
 * batches stored claimed by it (never throws).
 */
export type QueueHandOff = LockOptions & {
  /** Most destinations it takes now: the worker's free slots. */
  maxDestinations: number;
  adopt(batches: ClaimedBatch[]): void;
};

/** One destination to lock for `claim`, with its records (in delivery order) built claimed by it. */
export type PlannedClaim = { claim: QueueHandOff; destMsisdn: string; records: SmsRecord[] };

/**
 * Per destination, the first (at most four) of `records` (built, not stored) that are due now and
 * whose target has a hand-off, as records claimed by it. Adds their destinations to `busy`: the
 * caller removes them once the claim is settled, so that a later write of this process, which
 * must not overtake this one, queues its messages for them instead.
 */
export function planQueueClaims(
  ctx: StoreContext,
  records: readonly SmsRecord[],
  claimFor: (target: string) => QueueHandOff | undefined,
  busy: Set<string>,
  now: Date,
): PlannedClaim[] {
  const claims = new Map<string, QueueHandOff | undefined>();
  const taken = new Map<QueueHandOff, number>();
  const byDest = new Map<string, { claim: QueueHandOff; records: SmsRecord[] }>();
  const skipped = new Set<string>();
  for (const r of records) {
    // A scheduled message is not due (and, never tried, holds nothing back).
    if (r.nextAttemptAt > now || busy.has(r.destMsisdn) || skipped.has(r.destMsisdn)) continue;
    const entry = byDest.get(r.destMsisdn);
    if (!entry) {
      if (!claims.has(r.target)) claims.set(r.target, claimFor(r.target));
      const claim = claims.get(r.target);
      const n = claim ? (taken.get(claim) ?? 0) : 0;
      if (!claim || n >= claim.maxDestinations) {
        skipped.add(r.destMsisdn);
        continue;
      }
      taken.set(claim, n + 1);
      byDest.set(r.destMsisdn, { claim, records: [r] });
    }
    // One outlet per batch: a message of the destination for another target waits for its worker.
    else if (entry.records[0]!.target === r.target) entry.records.push(r);
  }
  const plans: PlannedClaim[] = [];
  for (const [destMsisdn, { claim, records: list }] of byDest) {
    busy.add(destMsisdn);
    // The rest of a longer queue is stored queued: it comes after these in the destination's order.
    const first = list.sort(compareDestinationOrder).slice(0, MAX_BATCH);
    plans.push({ claim, destMsisdn, records: first.map((r) => claimedOnInsert(ctx, r, claim, now)) });
  }
  return plans;
}

/** The lock upsert of a plan, as a claim round's step 2 writes it, for the multi-collection command. */
export function lockModel(ctx: StoreContext, plan: PlannedClaim, now: Date): object {
  const { owner, token, leaseMs } = plan.claim;
  return {
    namespace: namespaceOf(ctx, CollectionName.locks),
    name: 'updateOne',
    filter: { _id: plan.destMsisdn, until: { $lte: now } },
    update: {
      $set: { owner, token, until: new Date(now.getTime() + leaseMs), since: now },
      $setOnInsert: { kind: 'destination' },
    },
    upsert: true,
  };
}

/**
 * After the command: the head check for the plans that got their lock and all their messages, then
 * each claim's batches are handed to it; the rest are given back. Never throws: a failure leaves
 * the messages under their claim, reset when its lease runs out.
 */
export async function settleQueueClaims(
  ctx: StoreContext,
  whole: readonly PlannedClaim[],
  broken: readonly { plan: PlannedClaim; stored: SmsRecord[]; locked: boolean }[],
  now: Date,
): Promise<void> {
  try {
    const slow =
      whole.length > 0
        ? await unsettled(ctx, new Map(whole.map((p) => [p.destMsisdn, p.records])), now)
        : new Set();
    const handed = new Map<QueueHandOff, ClaimedBatch[]>();
    const giveBack = [...broken];
    for (const plan of whole) {
      if (slow.has(plan.destMsisdn)) {
        giveBack.push({ plan, stored: plan.records, locked: true });
        continue;
      }
      const list = handed.get(plan.claim) ?? [];
      list.push({ destMsisdn: plan.destMsisdn, batch: plan.records });
      handed.set(plan.claim, list);
      ctx.metrics.inc('smsc_batch_messages_total', undefined, plan.records.length);
    }
    for (const [claim, batches] of handed) {
      ctx.metrics.inc('smsc_claims_total', { result: 'claimed-as-stored' }, batches.length);
      claim.adopt(batches);
    }
    await giveBackClaimed(ctx, giveBack, now);
  } catch (error) {
    ctx.logger.warn(
      { err: error, messageIds: whole.flatMap((p) => p.records.map((r) => r._id)) },
      'settling messages claimed as they were stored failed: they wait for their lease',
    );
  }
}

/**
 * Messages stored claimed that may not be sent (their destination is held, or has an older active
 * message, or a message of their batch did not insert): back to `queued`, due at once in their
 * place, with their events; the destination lock given back where this claim took it.
 */
async function giveBackClaimed(
  ctx: StoreContext,
  items: readonly { plan: PlannedClaim; stored: SmsRecord[]; locked: boolean }[],
  now: Date,
): Promise<void> {
  const byClaim = new Map<QueueHandOff, typeof items>();
  for (const i of items) byClaim.set(i.plan.claim, [...(byClaim.get(i.plan.claim) ?? []), i]);
  for (const [claim, mine] of byClaim) {
    const records = mine.flatMap((i) => i.stored);
    if (records.length === 0) continue;
    // Due at arrival: at once on every worker's clock (the order is by priority and arrival).
    const due = new Date(Math.min(...records.map((r) => r.arrivedAt.getTime())));
    const entry = { attempt: 0, at: now, worker: claim.owner, outcome: HistoryOutcome.released };
    await ctx.cols.sms.updateMany(
      { _id: { $in: records.map((r) => r._id) }, 'lock.token': claim.token } as Filter<SmsRecord>,
      {
        $set: { state: SmsState.queued, lock: null, nextAttemptAt: due, updatedAt: now },
        $push: { history: { $each: [entry], $slice: -ctx.config.historyLimit } },
      } as UpdateFilter<SmsRecord>,
    );
    await appendEvents(
      ctx,
      records.map((r) => eventOf(EventType.queued, r, now, { state: SmsState.queued, due })),
    );
  }
  const locked = items.filter((i) => i.locked);
  if (locked.length > 0)
    await ctx.cols.locks.deleteMany({
      $or: locked.map((i) => ({ _id: i.plan.destMsisdn, token: i.plan.claim.token })),
    });
}
