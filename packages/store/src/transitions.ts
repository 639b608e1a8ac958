import type { AnyBulkWriteOperation, ClientBulkWriteResult, Filter, UpdateFilter } from 'mongodb';
import { claimedOnInsert } from './claims.ts';
import { CollectionName } from './collections.ts';
import { newToken, type StoreContext } from './context.ts';
import { appendEvents, eventOf, type NewEvent } from './events.ts';
import { multiWrite, namespaceOf } from './multi-write.ts';
import {
  buildReceipt,
  countReceipt,
  queueReceipts,
  receiptPendingCleared,
  receiptQueuedEvent,
  receiptTarget,
} from './receipts.ts';
import {
  type HistoryEntry,
  HistoryOutcome,
  type LockRecord,
  ReceiptRequest,
  type SmsRecord,
  SmsState,
} from './records.ts';

/** What happened to one claimed message. Every outcome is applied only under the claim's token. */
export type Outcome =
  | { type: 'delivered'; outlet?: string; upstreamId?: string }
  /** Temporary failure: queued again for `at`; counts as an attempt. */
  | { type: 'retry'; at: Date; error?: string; outlet?: string }
  /** The outlet asked us to slow down: queued again for `at`; not an attempt. */
  | { type: 'throttled'; at: Date; outlet?: string }
  | { type: 'failed'; error: string; outlet?: string }
  | { type: 'expired'; outlet?: string }
  /** Given back untried (shutdown, lease lost before sending). */
  | {
      type: 'released';
      at?: Date;
      /**
       * Lock churn (a message given back after a lost destination race): no event, since each
       * event wakes every idle worker, and counted in `smsc_releases_total`, not as a transition.
       */
      quiet?: boolean;
    };

export type FinishItem = { message: SmsRecord; token: string; owner: string; outcome: Outcome };
export type DestinationRelease = { destMsisdn: string; token: string };

/** A worker that can deliver a target's receipts now (see FinishOptions). */
export type ReceiptClaim = { owner: string; token: string; leaseMs: number };

export type FinishOptions<C extends ReceiptClaim = ReceiptClaim> = {
  /**
   * Asked once per receipt target in a finish. A claim makes that target's receipts go into the
   * transitions' own command already locked by it (state delivering, its token and lease), for the
   * caller to hand to the claim's worker: no `sms.queued` event, no claim round, no `receiptPending`
   * step. Undefined: queued as usual. Only where the multi-collection bulkWrite is known to work.
   */
  claimReceipts?: (target: string) => C | undefined;
};

/** Receipts stored locked by `claim`: its worker delivers them. */
export type ClaimedReceipts<C extends ReceiptClaim = ReceiptClaim> = { claim: C; receipts: SmsRecord[] };

export type FinishResult<C extends ReceiptClaim = ReceiptClaim> = {
  /** Ids whose transition applied. The others were fenced: their lease ran out and someone else owns them. */
  applied: Set<string>;
  claimedReceipts: ClaimedReceipts<C>[];
};

const FINAL_BY_OUTCOME = {
  delivered: SmsState.delivered,
  failed: SmsState.failed,
  expired: SmsState.expired,
} as const;

const EVENT_BY_OUTCOME = {
  delivered: 'sms.delivered',
  retry: 'sms.retry',
  throttled: 'sms.throttled',
  failed: 'sms.failed',
  expired: 'sms.expired',
  released: 'sms.released',
} as const;

/** Whether a final transition of this message owes its submitter a receipt. */
export function wantsReceipt(message: SmsRecord, finalState: SmsState): boolean {
  if (message.kind === 'receipt') return false;
  if (message.receipt === ReceiptRequest.final) return finalState !== SmsState.cancelled;
  if (message.receipt === ReceiptRequest.failure)
    return finalState === SmsState.failed || finalState === SmsState.expired;
  return false;
}

type Built = {
  filter: Filter<SmsRecord>;
  update: UpdateFilter<SmsRecord>;
  after: SmsRecord;
  event: NewEvent;
  writeId: string;
  quiet: boolean;
};

/** One conditional write per outcome: the filter holds the fencing token. */
export function buildTransition(ctx: StoreContext, item: FinishItem, now: Date): Built {
  const { message, token, owner, outcome } = item;
  const counts = outcome.type === 'delivered' || outcome.type === 'retry' || outcome.type === 'failed';
  const attempts = message.attempts + (counts ? 1 : 0);
  const entry: HistoryEntry = {
    attempt: message.attempts + 1,
    at: now,
    worker: owner,
    outcome: outcomeToHistory(outcome),
  };
  if ('outlet' in outcome && outcome.outlet) entry.outlet = outcome.outlet;
  const error =
    outcome.type === 'retry' ? outcome.error : outcome.type === 'failed' ? outcome.error : undefined;
  if (error !== undefined) entry.error = error;

  const writeId = newToken();
  const set: Partial<SmsRecord> = { lock: null, updatedAt: now, writeId, attempts };
  if (error !== undefined) set.lastError = error;
  if (outcome.type === 'delivered' || outcome.type === 'failed' || outcome.type === 'expired') {
    const state = FINAL_BY_OUTCOME[outcome.type];
    set.state = state;
    set.finalAt = now;
    if (wantsReceipt(message, state)) set.receiptPending = true;
    if (outcome.type === 'delivered' && outcome.upstreamId) set.upstreamId = outcome.upstreamId;
  } else {
    set.state = SmsState.queued;
    set.nextAttemptAt = outcome.type === 'released' ? (outcome.at ?? now) : outcome.at;
  }
  const update = {
    $set: set,
    $push: { history: { $each: [entry], $slice: -ctx.config.historyLimit } },
  } as UpdateFilter<SmsRecord>;
  const after: SmsRecord = {
    ...message,
    ...set,
    history: [...message.history, entry].slice(-ctx.config.historyLimit),
  };
  const event = eventOf(
    EVENT_BY_OUTCOME[outcome.type],
    after,
    now,
    after.state === SmsState.queued ? { due: after.nextAttemptAt } : {},
  );
  return {
    filter: { _id: message._id, 'lock.token': token } as Filter<SmsRecord>,
    update,
    after,
    event,
    writeId,
    quiet: outcome.type === 'released' && outcome.quiet === true,
  };
}

function outcomeToHistory(outcome: Outcome): HistoryEntry['outcome'] {
  switch (outcome.type) {
    case 'delivered':
      return HistoryOutcome.delivered;
    case 'retry':
      return HistoryOutcome.temporary;
    case 'throttled':
      return HistoryOutcome.throttled;
    case 'failed':
      return HistoryOutcome.permanent;
    case 'expired':
      return HistoryOutcome.expired;
    case 'released':
      return HistoryOutcome.released;
  }
}

/** One bulkWrite on `sms`; if some updates were fenced, their write ids tell which of ours applied. */
async function writeTransitions(ctx: StoreContext, built: Built[]): Promise<string[]> {
  const ops: AnyBulkWriteOperation<SmsRecord>[] = built.map((b) => ({
    updateOne: { filter: b.filter, update: b.update },
  }));
  const r = await ctx.cols.sms.bulkWrite(ops, { ordered: false });
  if (r.matchedCount === built.length) return built.map((b) => b.after._id);
  return appliedByWriteId(ctx, built);
}

async function appliedByWriteId(ctx: StoreContext, built: Built[]): Promise<string[]> {
  const won = await ctx.cols.sms
    .find({ $or: built.map((b) => ({ _id: b.after._id, writeId: b.writeId })) } as Filter<SmsRecord>, {
      projection: { _id: 1 },
    })
    .toArray();
  return won.map((w) => w._id);
}

/**
 * Applies the outcomes of one or more batches and releases their destinations, in a fixed number
 * of commands whatever the batch count. On a server with the multi-collection `bulkWrite` (MongoDB
 * 8.0, and the in-memory server): one ordered command with every update (each conditional on its
 * token) and the deleteMany of the destination locks, then one with the receipts owed (an upsert
 * each, then clearing `receiptPending`), then the events (an insertMany: their ids must come from
 * the server, see receiptsLocksAndEvents). Events and receipts wait for the first command because
 * only transitions that applied may have them. Elsewhere: one bulkWrite, the receipts
 * (insertMany + updateMany), one deleteMany of the locks, one insertMany of events. Locks
 * go before events either way, so that a worker woken by an event finds the destination free.
 */
export async function finish<C extends ReceiptClaim = ReceiptClaim>(
  ctx: StoreContext,
  items: FinishItem[],
  releases: DestinationRelease[] = [],
  options: FinishOptions<C> = {},
): Promise<FinishResult<C>> {
  const now = ctx.now();
  const built = items.map((item) => buildTransition(ctx, item, now));
  const applied = new Set<string>();
  const locks =
    releases.length > 0 ? { $or: releases.map((r) => ({ _id: r.destMsisdn, token: r.token })) } : undefined;
  let locksReleased = locks === undefined;
  // Known to work, not merely untried: the per-collection fallback has no room for claimed receipts.
  const direct =
    ctx.multi.supported === true && options.claimReceipts
      ? claimReceiptsOf(ctx, built, options.claimReceipts, now)
      : [];
  if (built.length > 0) {
    const sms = namespaceOf(ctx, CollectionName.sms);
    // Claimed receipts go first: a command cut short after them leaves each message unchanged
    // under our token (its lease runs out and it is tried again, its receipt's upsert then a no-op),
    // never a final message without its receipt.
    const models: object[] = direct.map((d) => receiptUpsert(sms, d.receipt));
    for (const b of built)
      models.push({ namespace: sms, name: 'updateOne', filter: b.filter, update: b.update });
    if (locks)
      models.push({ namespace: namespaceOf(ctx, CollectionName.locks), name: 'deleteMany', filter: locks });
    // Per-operation results cost a result document each (and a getMore per hundred); ask for them
    // only when some update is likely fenced (a lost race's message, which the winner has often
    // taken over already). Otherwise the totals say whether everything went as expected: every
    // transition matched and every claimed receipt was new (one that existed counts as matched).
    const verboseResults = built.some((b) => b.quiet);
    const combined = await multiWrite(ctx, models, { verboseResults });
    if (!combined) {
      for (const id of await writeTransitions(ctx, built)) applied.add(id);
    } else {
      locksReleased = true;
      if (verboseResults) {
        built.forEach((b, i) => {
          if (combined.updateResults?.get(direct.length + i)?.matchedCount === 1) applied.add(b.after._id);
        });
        direct.forEach((d, i) => {
          d.inserted = combined.updateResults?.get(i)?.upsertedId !== undefined;
        });
      } else if (combined.matchedCount === built.length && combined.upsertedCount === direct.length) {
        for (const b of built) applied.add(b.after._id);
        for (const d of direct) d.inserted = true;
      } else {
        for (const id of await appliedByWriteId(ctx, built)) applied.add(id);
        await markInsertedReceipts(ctx, direct);
      }
    }
  }
  const events: NewEvent[] = [];
  const finals: SmsRecord[] = [];
  for (const b of built) {
    const id = b.after._id;
    const owner = items.find((i) => i.message._id === id)?.owner;
    if (b.quiet) {
      ctx.metrics.inc('smsc_releases_total', { result: applied.has(id) ? 'released' : 'fenced' });
      continue;
    }
    if (!applied.has(id)) {
      ctx.metrics.inc('smsc_transitions_fenced_total');
      ctx.logger.info(
        { messageId: id, owner },
        'transition fenced: the lease ran out and another worker owns the message',
      );
      continue;
    }
    ctx.metrics.inc('smsc_sms_transitions_total', {
      to: b.event.type === 'sms.throttled' ? 'throttled' : b.after.state,
    });
    ctx.logger.debug({ messageId: id, state: b.after.state, owner }, 'sms transition');
    events.push(b.event);
    if (b.after.receiptPending) finals.push(b.after);
  }
  const claimedReceipts = await settleClaimedReceipts(ctx, direct, applied);
  if (ctx.multi.supported && (finals.length > 0 || !locksReleased)) {
    await receiptsLocksAndEvents(ctx, finals, locksReleased ? undefined : locks, events, now);
    return { applied, claimedReceipts };
  }
  if (finals.length > 0) events.push(...(await queueReceipts(ctx, finals)));
  if (!locksReleased && locks) await ctx.cols.locks.deleteMany(locks);
  await appendEvents(ctx, events);
  return { applied, claimedReceipts };
}

type DirectReceipt<C extends ReceiptClaim> = {
  messageId: string;
  claim: C;
  receipt: SmsRecord;
  /** Whether the upsert made it (false: it existed, from an earlier final transition). */
  inserted: boolean;
};

/**
 * The receipts owed by `built` whose target has a claim, built locked by it; their messages'
 * transitions then leave `receiptPending` unset (the receipt is written in the same command).
 */
function claimReceiptsOf<C extends ReceiptClaim>(
  ctx: StoreContext,
  built: Built[],
  claimFor: (target: string) => C | undefined,
  now: Date,
): DirectReceipt<C>[] {
  const claims = new Map<string, C | undefined>();
  const out: DirectReceipt<C>[] = [];
  for (const b of built) {
    if (!b.after.receiptPending) continue;
    const target = receiptTarget(b.after.accountId);
    if (!claims.has(target)) claims.set(target, claimFor(target));
    const claim = claims.get(target);
    if (!claim) continue;
    delete (b.update.$set as Partial<SmsRecord>).receiptPending;
    delete b.after.receiptPending;
    out.push({
      messageId: b.after._id,
      claim,
      receipt: claimedOnInsert(ctx, buildReceipt(ctx, b.after, now), claim, now),
      inserted: false,
    });
  }
  return out;
}

/** Which claimed receipts the upserts made: those holding their claim's token (an old one has another lock). */
async function markInsertedReceipts<C extends ReceiptClaim>(
  ctx: StoreContext,
  direct: DirectReceipt<C>[],
): Promise<void> {
  if (direct.length === 0) return;
  const held = await ctx.cols.sms
    .find({ _id: { $in: direct.map((d) => d.receipt._id) } } as Filter<SmsRecord>, {
      projection: { _id: 1, lock: 1 },
    })
    .toArray();
  const tokens = new Map(held.map((r) => [r._id, r.lock?.token]));
  for (const d of direct) d.inserted = tokens.get(d.receipt._id) === d.claim.token;
}

/**
 * Groups the claimed receipts by claim. A receipt whose message's transition was fenced is taken
 * back (it is locked by our token, so nobody has sent it): the message's new holder owes it.
 */
async function settleClaimedReceipts<C extends ReceiptClaim>(
  ctx: StoreContext,
  direct: DirectReceipt<C>[],
  applied: Set<string>,
): Promise<ClaimedReceipts<C>[]> {
  const groups = new Map<C, SmsRecord[]>();
  const orphans: SmsRecord[] = [];
  for (const d of direct) {
    if (!d.inserted) continue;
    if (!applied.has(d.messageId)) {
      orphans.push(d.receipt);
      continue;
    }
    countReceipt(ctx, d.receipt);
    const list = groups.get(d.claim) ?? [];
    list.push(d.receipt);
    groups.set(d.claim, list);
  }
  if (orphans.length > 0) {
    await ctx.cols.sms.deleteMany({
      $or: orphans.map((r) => ({ _id: r._id, 'lock.token': r.lock?.token })),
    } as Filter<SmsRecord>);
    ctx.logger.info({ receipts: orphans.map((r) => r._id) }, 'receipts of fenced transitions taken back');
  }
  return [...groups].map(([claim, receipts]) => ({ claim, receipts }));
}

/**
 * The second command of a multi-collection finish: receipts (an upsert by their derived id, so a
 * repeat changes nothing), then clearing `receiptPending`, then the locks if still held; then the
 * events in a command of their own. Receipts that already existed (a message made final twice
 * through an admin retry) still get a `sms.queued` event: a spurious wake-up, which events allow.
 */
async function receiptsLocksAndEvents(
  ctx: StoreContext,
  finals: SmsRecord[],
  locks: Filter<LockRecord> | undefined,
  events: NewEvent[],
  now: Date,
): Promise<void> {
  const sms = namespaceOf(ctx, CollectionName.sms);
  const receipts = finals.map((m) => buildReceipt(ctx, m, now));
  const models: object[] = receipts.map((r) => receiptUpsert(sms, r));
  if (finals.length > 0) {
    const cleared = receiptPendingCleared(finals);
    models.push({ namespace: sms, name: 'updateMany', filter: cleared.filter, update: cleared.update });
  }
  if (locks)
    models.push({ namespace: namespaceOf(ctx, CollectionName.locks), name: 'deleteMany', filter: locks });
  // Events stay out of the bulkWrite: the driver gives every document of a client bulkWrite an
  // ObjectId of its own (forceServerObjectId does not apply there), and the event tail filters on
  // `_id > last`, so an event with a driver-made id from the same second as `last` can sort below it
  // and be skipped (a receipt then waits for the safety-net scan). appendEvents inserts them with
  // server-made ids, in insertion order.
  const all = [...events, ...receipts.map((r) => receiptQueuedEvent(r, now))];
  const result: ClientBulkWriteResult | undefined = await multiWrite(ctx, models, {
    verboseResults: receipts.length > 0,
  });
  receipts.forEach((r, i) => {
    if (result?.updateResults?.get(i)?.upsertedId !== undefined) countReceipt(ctx, r);
  });
  await appendEvents(ctx, all);
}

/** An insert that leaves an existing receipt (same derived id) alone. */
function receiptUpsert(namespace: string, receipt: SmsRecord): object {
  // The upsert takes `_id` from the filter; the update leaves it out (an update may not name `_id`).
  const { _id, ...fields } = receipt;
  return { namespace, name: 'updateOne', filter: { _id }, update: { $setOnInsert: fields }, upsert: true };
}

export type TransitionResult = { applied: boolean };

/** A single named transition after a claim: one conditional write (plus its event and receipt). */
export async function transition(
  ctx: StoreContext,
  message: SmsRecord,
  token: string,
  owner: string,
  outcome: Outcome,
): Promise<TransitionResult> {
  const { applied } = await finish(ctx, [{ message, token, owner, outcome }]);
  return { applied: applied.has(message._id) };
}
