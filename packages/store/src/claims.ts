import type { Filter, UpdateFilter } from 'mongodb';
import type { StoreContext } from './context.ts';
import { isDuplicateKeyError } from './errors.ts';
import { type HistoryEntry, HistoryOutcome, type SmsRecord, SmsState } from './records.ts';

/** At most this many messages per destination per batch: the seed design's "up to four". */
export const MAX_BATCH = 4;

/** The priorities a message can have (SMPP priority_flag 0-3; buildRecord refuses others). */
const PRIORITIES = [3, 2, 1, 0] as const;

export type ClaimOptions = {
  owner: string;
  token: string;
  leaseMs: number;
  /** Targets this process can deliver (its outlets). `'*'` takes any. */
  targets: readonly string[];
  /** Destinations to skip this round: held by us, or lost to another worker. */
  exclude?: readonly string[];
};

export type Claim = { token: string; message: SmsRecord };

/** Sort of one destination's queue: priority (3 first), then arrival, then id (allocation order). */
export const DESTINATION_ORDER = { priority: -1, arrivedAt: 1, _id: 1 } as const;

export function compareDestinationOrder(a: SmsRecord, b: SmsRecord): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  const t = a.arrivedAt.getTime() - b.arrivedAt.getTime();
  if (t !== 0) return t;
  return a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
}

export function targetFilter(targets: readonly string[]): Filter<SmsRecord> {
  return targets.includes('*') ? {} : { target: { $in: [...targets] } };
}

function claimUpdate(
  ctx: StoreContext,
  opts: { owner: string; token: string; leaseMs: number },
): UpdateFilter<SmsRecord> {
  const now = ctx.now();
  const until = new Date(now.getTime() + opts.leaseMs);
  const entry: HistoryEntry = { attempt: 0, at: now, worker: opts.owner, outcome: HistoryOutcome.claimed };
  return {
    // nextAttemptAt = lease end: a claim whose holder dies becomes due again by itself, so the
    // same query that claims free work reclaims expired leases (no separate reset is needed).
    $set: {
      state: SmsState.delivering,
      lock: { owner: opts.owner, token: opts.token, until },
      nextAttemptAt: until,
      updatedAt: now,
    },
    $push: { history: { $each: [entry], $slice: -ctx.config.historyLimit } },
  } as UpdateFilter<SmsRecord>;
}

/**
 * A record not yet stored, as a claim by `claim` leaves it (the same fields as claimUpdate): for
 * messages and receipts written already claimed, so that their worker needs no claim round.
 */
export function claimedOnInsert(
  ctx: StoreContext,
  record: SmsRecord,
  claim: { owner: string; token: string; leaseMs: number },
  now: Date,
): SmsRecord {
  const until = new Date(now.getTime() + claim.leaseMs);
  const entry: HistoryEntry = { attempt: 0, at: now, worker: claim.owner, outcome: HistoryOutcome.claimed };
  return {
    ...record,
    state: SmsState.delivering,
    lock: { owner: claim.owner, token: claim.token, until },
    nextAttemptAt: until,
    history: [...record.history, entry].slice(-ctx.config.historyLimit),
  };
}

/**
 * Step 1: claim one due message, highest priority first, then the longest waiting: one
 * findOneAndUpdate when a queued message is due. A message whose lease ran out is due again (see
 * claimUpdate) and is taken over by the second query when no queued message is due.
 */
export async function claimOne(ctx: StoreContext, opts: ClaimOptions): Promise<Claim | null> {
  const now = ctx.now();
  const rest: Filter<SmsRecord> = { nextAttemptAt: { $lte: now }, ...targetFilter(opts.targets) };
  if (opts.exclude && opts.exclude.length > 0) rest.destMsisdn = { $nin: [...opts.exclude] };
  // Two queries, each an equality on state, so that `sms_due` serves the sort directly (an `$in`
  // on the first key would need a merge of two index ranges). Expired leases come second: at load
  // they wait for a quiet moment, their destination's next holder (claimMore), or cleanup.
  for (const state of [SmsState.queued, SmsState.delivering]) {
    const message = await ctx.cols.sms.findOneAndUpdate(
      { state, ...rest } as Filter<SmsRecord>,
      claimUpdate(ctx, opts),
      {
        sort: { priority: -1, nextAttemptAt: 1 },
        returnDocument: 'after',
      },
    );
    if (message) {
      ctx.metrics.inc('smsc_claims_total', { result: state === SmsState.queued ? 'claimed' : 'taken-over' });
      return { token: opts.token, message };
    }
  }
  ctx.metrics.inc('smsc_claims_total', { result: 'empty' });
  return null;
}

export type LockOptions = { owner: string; token: string; leaseMs: number };

/**
 * Step 2: claim the destination, in one upsert: it matches a lock whose lease ran out (a takeover
 * by CAS on `until`), or inserts a new one. Against a held lock the filter matches nothing and the
 * insert hits the unique `_id`: E11000 (MongoDB does not retry an upsert whose filter has a range
 * on a field outside the unique key), which is the loss. Exactly one winner either way.
 */
export async function claimDestination(
  ctx: StoreContext,
  destMsisdn: string,
  opts: LockOptions,
): Promise<boolean> {
  const now = ctx.now();
  const until = new Date(now.getTime() + opts.leaseMs);
  let result: 'won' | 'taken-over' | 'lost';
  try {
    const r = await ctx.cols.locks.updateOne(
      { _id: destMsisdn, until: { $lte: now } },
      {
        $set: { owner: opts.owner, token: opts.token, until, since: now },
        $setOnInsert: { kind: 'destination' },
      },
      { upsert: true },
    );
    result = r.upsertedCount === 1 ? 'won' : r.modifiedCount === 1 ? 'taken-over' : 'lost';
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    result = 'lost';
  }
  ctx.metrics.inc('smsc_destination_claims_total', { result });
  return result !== 'lost';
}

/** Releases a destination lock we hold. A CAS on the token: a lock taken over is left alone. */
export async function releaseDestination(
  ctx: StoreContext,
  destMsisdn: string,
  token: string,
): Promise<boolean> {
  const r = await ctx.cols.locks.deleteOne({ _id: destMsisdn, token });
  return r.deletedCount === 1;
}

export type ClaimMoreResult = {
  /** The batch in delivery order, every message locked with our token. */
  batch: SmsRecord[];
  /** Our first message, released because older messages of the destination filled the batch. */
  releasedFirst: boolean;
};

export function activeForHolder(now: Date): Filter<SmsRecord> {
  // We hold the destination, so any `delivering` message of it belongs to a worker that lost the
  // destination race (it will try to release it) or whose lease ran out: we take it over. A queued
  // message that was tried before and waits for its retry is read too: it holds its place in the
  // destination's order (see claimMore). One scheduled for later and never tried does not.
  return {
    state: { $in: [SmsState.queued, SmsState.delivering] },
    $or: [
      { state: SmsState.delivering },
      { nextAttemptAt: { $lte: now } },
      { 'history.0': { $exists: true } },
    ],
  } as Filter<SmsRecord>;
}

/** A message tried before and waiting for its retry: nothing of its destination may overtake it. */
function isBlocker(m: SmsRecord, now: Date): boolean {
  // Receipts share lanes, not a subscriber, and have no order to keep.
  return m.kind !== 'receipt' && m.state === SmsState.queued && m.nextAttemptAt > now;
}

/**
 * The messages of `want` still at the `rev` they were read at, as one condition per distinct rev
 * (nearly always one: only `replace` bumps it) instead of one `$or` clause per message, which the
 * server tests against every candidate.
 */
function unchangedSince(want: readonly SmsRecord[]): Filter<SmsRecord> {
  const byRev = new Map<number, string[]>();
  for (const m of want) {
    const ids = byRev.get(m.rev);
    if (ids) ids.push(m._id);
    else byRev.set(m.rev, [m._id]);
  }
  if (byRev.size === 1) return { rev: [...byRev.keys()][0] } as Filter<SmsRecord>;
  return { $or: [...byRev].map(([rev, ids]) => ({ _id: { $in: ids }, rev })) } as Filter<SmsRecord>;
}

/**
 * Locks `want` (messages of destinations we hold) with the claim's token in one updateMany, and
 * returns them as locked. Null when some changed since they were read (replaced, cancelled,
 * finished): then only a read back (heldPrefix) tells what we hold.
 */
export async function lockHeld(
  ctx: StoreContext,
  want: readonly SmsRecord[],
  opts: LockOptions,
): Promise<SmsRecord[] | null> {
  const update = claimUpdate(ctx, opts);
  // No due-time condition here: a candidate released by a loser since our find is still ours to
  // take (we hold the destination), and `rev` keeps out one replaced since.
  const r = await ctx.cols.sms.updateMany(
    {
      // `_id` at the top as well: the planner then looks the candidates up by `_id` instead of
      // reading every active message through the `state` index.
      _id: { $in: want.map((m) => m._id) },
      ...unchangedSince(want),
      state: { $in: [SmsState.queued, SmsState.delivering] },
    } as Filter<SmsRecord>,
    update,
  );
  if (r.modifiedCount !== want.length) return null;
  const set = (update.$set ?? {}) as Partial<SmsRecord>;
  const entry = (update.$push as { history: { $each: HistoryEntry[] } }).history.$each;
  return want.map((m) => ({
    ...m,
    ...set,
    history: [...m.history, ...entry].slice(-ctx.config.historyLimit),
  })) as SmsRecord[];
}

/**
 * After lockHeld came back short: what of `want` (one destination's, in delivery order) we hold,
 * up to the first one we do not. Held ones after that gap are released: they must not overtake it.
 */
export async function heldPrefix(
  ctx: StoreContext,
  destMsisdn: string,
  want: readonly SmsRecord[],
  opts: LockOptions,
): Promise<SmsRecord[]> {
  const held = await ctx.cols.sms
    .find({ 'lock.token': opts.token, destMsisdn } as Filter<SmsRecord>)
    .toArray();
  const byId = new Map(held.map((m) => [m._id, m]));
  const gap = want.findIndex((m) => !byId.has(m._id));
  if (gap < 0) return want.map((m) => byId.get(m._id)!);
  for (const m of want.slice(gap + 1)) {
    const ours = byId.get(m._id);
    if (ours) await releaseOne(ctx, ours, opts.token, opts.owner);
  }
  return want.slice(0, gap).map((m) => byId.get(m._id)!);
}

/**
 * With the destination held: lock up to MAX_BATCH of its oldest active messages for `target` (by
 * priority then arrival), taking over any a loser of the destination race or a dead worker still
 * holds, and stopping before one that waits for its retry.
 */
export async function claimHeld(
  ctx: StoreContext,
  destMsisdn: string,
  target: string,
  opts: LockOptions,
): Promise<SmsRecord[]> {
  const now = ctx.now();
  const candidates = await ctx.cols.sms
    .find({ destMsisdn, target, ...activeForHolder(now) } as Filter<SmsRecord>, {
      sort: DESTINATION_ORDER,
      limit: MAX_BATCH,
    })
    .toArray();
  const blocker = candidates.findIndex((m) => isBlocker(m, now));
  const want = blocker < 0 ? candidates : candidates.slice(0, blocker);
  if (want.length === 0) return [];
  return (await lockHeld(ctx, want, opts)) ?? (await heldPrefix(ctx, destMsisdn, want, opts));
}

/**
 * Step 3: with the destination held, lock up to MAX_BATCH of its oldest active messages (by
 * priority then arrival), including ones held by a loser of the destination race. One find, one
 * updateMany (and one find by token only if someone changed a candidate in between). If `first` is
 * not among the oldest, it is released so that the batch never jumps the destination's queue.
 */
export async function claimMore(
  ctx: StoreContext,
  first: SmsRecord,
  opts: LockOptions,
): Promise<ClaimMoreResult> {
  const now = ctx.now();
  const base: Filter<SmsRecord> = {
    destMsisdn: first.destMsisdn,
    target: first.target,
    ...activeForHolder(now),
  };
  const candidates = await ctx.cols.sms.find(base, { sort: DESTINATION_ORDER, limit: MAX_BATCH }).toArray();
  // Order per destination holds across retries: nothing behind a message waiting for its retry goes
  // out before it. Those behind it (`first` included) wait until it is due again.
  const blocker = candidates.find((m) => isBlocker(m, now));
  const usable = blocker ? candidates.slice(0, candidates.indexOf(blocker)) : candidates;
  const others = usable.filter((m) => m._id !== first._id);
  // `first` may be missing because older messages fill the batch (release it), or because a holder
  // before us took it over while we raced for the destination (then it is not ours to deliver).
  const found = candidates.find((m) => m._id === first._id);
  const firstHeld = found !== undefined && found.lock?.token === opts.token;
  const keepFirst = firstHeld && usable.includes(found);
  let releasedFirst = false;
  // Ours but not to go now: behind a message waiting for its retry (due again with it), or beyond a
  // full batch of older ones (due at once, in its place).
  if (!keepFirst && (firstHeld || (!found && candidates.length === MAX_BATCH))) {
    releasedFirst = await releaseOne(ctx, first, opts.token, opts.owner, blocker?.nextAttemptAt);
  }
  const want = keepFirst ? others.slice(0, MAX_BATCH - 1) : others;
  if (want.length === 0) return { batch: keepFirst ? [first] : [], releasedFirst };

  const claimed = await lockHeld(ctx, want, opts);
  const all = keepFirst ? [first, ...want].sort(compareDestinationOrder) : want;
  const batch = claimed
    ? (keepFirst ? [first, ...claimed] : claimed).sort(compareDestinationOrder)
    : await heldPrefix(ctx, first.destMsisdn, all, opts);
  ctx.metrics.inc('smsc_batch_messages_total', undefined, batch.length);
  return { batch, releasedFirst };
}

export async function releaseOne(
  ctx: StoreContext,
  message: SmsRecord,
  token: string,
  owner: string,
  /** Due again at this time; default its arrival, i.e. at once and in its old place. */
  dueAt?: Date,
): Promise<boolean> {
  const now = ctx.now();
  const r = await ctx.cols.sms.updateOne(
    { _id: message._id, 'lock.token': token } as Filter<SmsRecord>,
    {
      // Due at once and in its old place: its arrival time is in the past on every worker's clock,
      // whereas `now` here may be ahead of the clock of the destination holder about to look for it.
      $set: {
        state: SmsState.queued,
        lock: null,
        nextAttemptAt: dueAt ?? message.arrivedAt,
        updatedAt: now,
        writeId: token,
      },
      $push: {
        history: {
          $each: [
            { attempt: message.attempts + 1, at: now, worker: owner, outcome: HistoryOutcome.released },
          ],
          $slice: -ctx.config.historyLimit,
        },
      },
    } as UpdateFilter<SmsRecord>,
  );
  return r.modifiedCount === 1;
}

/**
 * Gives back a message claimed in step 1 after losing the destination race (step 2). No attempt
 * is counted and no event written: lock churn would wake every worker for nothing.
 */
export async function release(
  ctx: StoreContext,
  message: SmsRecord,
  token: string,
  owner: string,
): Promise<boolean> {
  const released = await releaseOne(ctx, message, token, owner);
  ctx.metrics.inc('smsc_releases_total', { result: released ? 'released' : 'fenced' });
  return released;
}

/**
 * Step 4, while a batch is in flight: pushes the lease of the destination and of its messages.
 * False means the lease ran out and another worker took the destination: stop and write nothing.
 */
export async function extendLease(
  ctx: StoreContext,
  destMsisdn: string,
  token: string,
  leaseMs: number,
): Promise<boolean> {
  const now = ctx.now();
  const until = new Date(now.getTime() + leaseMs);
  const r = await ctx.cols.locks.updateOne({ _id: destMsisdn, token }, { $set: { until } });
  if (r.matchedCount !== 1) {
    ctx.metrics.inc('smsc_lease_extensions_total', { result: 'lost' });
    return false;
  }
  await ctx.cols.sms.updateMany(
    // One token may hold several destinations (claimMany): extend this one's messages only.
    { 'lock.token': token, destMsisdn, state: SmsState.delivering } as Filter<SmsRecord>,
    {
      $set: { 'lock.until': until, nextAttemptAt: until },
    } as UpdateFilter<SmsRecord>,
  );
  ctx.metrics.inc('smsc_lease_extensions_total', { result: 'extended' });
  return true;
}

/**
 * Renews every message held under `token` without a destination lock (receipts claimed as they
 * were stored, see finish). False when none is held any more: the lease ran out and was reset.
 */
export async function extendClaim(ctx: StoreContext, token: string, leaseMs: number): Promise<boolean> {
  const until = new Date(ctx.now().getTime() + leaseMs);
  const r = await ctx.cols.sms.updateMany(
    { 'lock.token': token, state: SmsState.delivering } as Filter<SmsRecord>,
    { $set: { 'lock.until': until, nextAttemptAt: until } } as UpdateFilter<SmsRecord>,
  );
  const held = r.matchedCount > 0;
  ctx.metrics.inc('smsc_lease_extensions_total', { result: held ? 'extended' : 'lost' });
  return held;
}

/** The earliest `nextAttemptAt` among active messages for these targets: the worker's timer. */
export async function nextDue(ctx: StoreContext, targets: readonly string[]): Promise<Date | null> {
  // One look per state and priority, each the first entry of an `sms_due` range (equality on both,
  // then nextAttemptAt in order), instead of an index of its own that every transition would move.
  const looks: Promise<SmsRecord | null>[] = [];
  for (const state of [SmsState.queued, SmsState.delivering])
    for (const priority of PRIORITIES)
      looks.push(
        ctx.cols.sms.findOne({ state, priority, ...targetFilter(targets) } as Filter<SmsRecord>, {
          sort: { nextAttemptAt: 1 },
          projection: { nextAttemptAt: 1 },
        }),
      );
  let first: Date | null = null;
  for (const doc of await Promise.all(looks))
    if (doc && (first === null || doc.nextAttemptAt < first)) first = doc.nextAttemptAt;
  return first;
}
