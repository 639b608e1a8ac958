import { type AnyBulkWriteOperation, type Filter, MongoBulkWriteError, type UpdateFilter } from 'mongodb';
import {
  activeForHolder,
  claimHeld,
  compareDestinationOrder,
  DESTINATION_ORDER,
  heldPrefix,
  type LockOptions,
  lockHeld,
  MAX_BATCH,
  targetFilter,
} from './claims.ts';
import type { StoreContext } from './context.ts';
import { type HistoryEntry, HistoryOutcome, type LockRecord, type SmsRecord, SmsState } from './records.ts';

export type ClaimManyOptions = {
  owner: string;
  /** One fencing token for the whole round: it guards every destination and message it locks. */
  token: string;
  leaseMs: number;
  /** Targets this process can deliver (its outlets). `'*'` takes any. */
  targets: readonly string[];
  /** Destinations to skip: held by us, or lost to another worker this round. */
  exclude?: readonly string[];
  /** At most this many destinations (batches) in this round. */
  maxDestinations: number;
  /**
   * Also look for messages whose lease ran out (a dead worker's). Costs one more query, so a busy
   * worker asks now and then rather than every round; cleanup resets them too.
   */
  takeOver?: boolean;
};

export type ClaimedBatch = { destMsisdn: string; batch: SmsRecord[] };

export type ClaimManyResult = {
  token: string;
  /** One batch per destination won, each in delivery order and locked with the round's token. */
  batches: ClaimedBatch[];
  /** Destinations held by another worker: skip them for the rest of the round. */
  lost: string[];
};

/**
 * Receipts per batch on one receipt lane. The four per batch are per subscriber; a lane is not one
 * (receipts have no order and go to the ESME), and larger batches keep a bulk sender's receipts up
 * with its messages: the ESME outlet sends a batch of receipts at once, within the session window.
 */
export const MAX_RECEIPT_BATCH = 16;

function batchLimit(list: readonly SmsRecord[]): number {
  return list.length > 0 && list[0]!.kind === 'receipt' ? MAX_RECEIPT_BATCH : MAX_BATCH;
}

/** Head of the queue per destination, in the order the destinations came due. */
function groupByDestination(candidates: SmsRecord[], max: number): Map<string, SmsRecord[]> {
  const byDest = new Map<string, SmsRecord[]>();
  for (const m of candidates) {
    let list = byDest.get(m.destMsisdn);
    if (!list) {
      if (byDest.size >= max) continue;
      list = [];
      byDest.set(m.destMsisdn, list);
    }
    // One outlet per batch: a destination's messages for another target wait for their own worker.
    if (list.length === 0 || list[0]!.target === m.target) list.push(m);
  }
  for (const list of byDest.values()) list.sort(compareDestinationOrder);
  return byDest;
}

type Due = { candidates: SmsRecord[]; truncated: boolean };

function addMore(byDest: Map<string, SmsRecord[]>, more: readonly SmsRecord[]): void {
  for (const m of more) {
    const list = byDest.get(m.destMsisdn);
    if (list && list.length < batchLimit(list) && list[0]!.target === m.target) list.push(m);
  }
  for (const list of byDest.values()) list.sort(compareDestinationOrder);
}

async function findDue(ctx: StoreContext, opts: ClaimManyOptions, now: Date): Promise<Due> {
  const rest: Filter<SmsRecord> = { nextAttemptAt: { $lte: now }, ...targetFilter(opts.targets) };
  if (opts.exclude && opts.exclude.length > 0) rest.destMsisdn = { $nin: [...opts.exclude] };
  // Twice the destinations: at load most due destinations have one or two messages waiting; the
  // rest of a longer queue is read by findMore.
  const limit = opts.maxDestinations * 2;
  const sort = { priority: -1, nextAttemptAt: 1 } as const;
  const queued = await ctx.cols.sms
    .find({ state: SmsState.queued, ...rest } as Filter<SmsRecord>, { sort, limit })
    .toArray();
  if (!opts.takeOver || queued.length >= limit)
    return { candidates: queued, truncated: queued.length >= limit };
  // A lease that ran out sets nothing back by itself: a claim sets nextAttemptAt to the lease end,
  // so a dead worker's messages are due again in `delivering`. A second query, each an equality on
  // state, so that `sms_due` serves the sort.
  const expired = await ctx.cols.sms
    .find({ state: SmsState.delivering, ...rest } as Filter<SmsRecord>, {
      sort,
      limit: limit - queued.length,
    })
    .toArray();
  return { candidates: [...queued, ...expired], truncated: queued.length + expired.length >= limit };
}

/**
 * When the candidate query was cut by its limit, a destination with fewer than MAX_BATCH candidates
 * may have more due: read them, by destination order, for all such destinations in one query. The
 * limit may leave some destinations short still; their batches are then smaller, never wrong.
 */
async function findMore(
  ctx: StoreContext,
  byDest: Map<string, SmsRecord[]>,
  seen: readonly SmsRecord[],
  now: Date,
): Promise<SmsRecord[]> {
  const short = [...byDest].filter(([, list]) => list.length < batchLimit(list)).map(([d]) => d);
  if (short.length === 0) return [];
  return ctx.cols.sms
    .find(
      {
        destMsisdn: { $in: short },
        state: SmsState.queued,
        nextAttemptAt: { $lte: now },
        _id: { $nin: seen.map((m) => m._id) },
      } as Filter<SmsRecord>,
      { sort: { destMsisdn: 1, ...DESTINATION_ORDER }, limit: MAX_RECEIPT_BATCH * short.length },
    )
    .toArray();
}

/**
 * Step 2 for every candidate destination in one command: an upsert each, unordered, which wins a
 * free destination, takes over a lease that ran out (CAS on `until`), or hits the unique `_id`
 * (E11000) against a held one. Returns the destinations won.
 */
export async function lockDestinations(
  ctx: StoreContext,
  dests: string[],
  opts: LockOptions,
  now: Date,
): Promise<{ won: string[]; lost: string[] }> {
  const until = new Date(now.getTime() + opts.leaseMs);
  const ops: AnyBulkWriteOperation<LockRecord>[] = dests.map((d) => ({
    updateOne: {
      filter: { _id: d, until: { $lte: now } },
      update: {
        $set: { owner: opts.owner, token: opts.token, until, since: now },
        $setOnInsert: { kind: 'destination' },
      },
      upsert: true,
    },
  }));
  const lostAt = new Set<number>();
  let upserted: Record<number, unknown> = {};
  try {
    const r = await ctx.cols.locks.bulkWrite(ops, { ordered: false });
    upserted = r.upsertedIds;
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    for (const e of errors) {
      // Some destinations may be ours now: claimMany gives them back.
      if (e.code !== 11000) throw error;
      lostAt.add(e.index);
    }
    upserted = error.result.upsertedIds;
  }
  const won: string[] = [];
  const lost: string[] = [];
  dests.forEach((d, i) => {
    if (lostAt.has(i)) lost.push(d);
    else won.push(d);
    const result = lostAt.has(i) ? 'lost' : upserted[i] !== undefined ? 'won' : 'taken-over';
    ctx.metrics.inc('smsc_destination_claims_total', { result });
  });
  return { won, lost };
}

/**
 * Step 3's check, for all destinations in one query: a destination's batch is its candidates only
 * if no other active message comes before the last of them in the destination's order (a message
 * waiting for its retry, one held under a lease that ran out, or one the candidate query did not
 * reach). Returns the destinations where one does: they take the one-destination path.
 */
export async function unsettled(
  ctx: StoreContext,
  heads: Map<string, SmsRecord[]>,
  now: Date,
): Promise<Set<string>> {
  const clauses: Filter<SmsRecord>[] = [];
  const chosen: string[] = [];
  for (const [dest, batch] of heads) {
    // Receipts share lanes, not a subscriber: any four of them make a batch.
    if (batch.every((m) => m.kind === 'receipt')) continue;
    const last = batch[batch.length - 1]!;
    for (const m of batch) chosen.push(m._id);
    clauses.push({
      destMsisdn: dest,
      target: last.target,
      $or: [
        { priority: { $gt: last.priority } },
        { priority: last.priority, arrivedAt: { $lt: last.arrivedAt } },
        { priority: last.priority, arrivedAt: last.arrivedAt, _id: { $lt: last._id } },
      ],
    } as Filter<SmsRecord>);
  }
  if (clauses.length === 0) return new Set();
  const found = await ctx.cols.sms
    .find(
      {
        destMsisdn: { $in: [...heads.keys()] },
        _id: { $nin: chosen },
        $and: [activeForHolder(now), { $or: clauses }],
      } as Filter<SmsRecord>,
      { projection: { destMsisdn: 1 } },
    )
    .toArray();
  return new Set(found.map((m) => m.destMsisdn));
}

/**
 * The lock protocol for many destinations per round trip, in a fixed number of commands whatever
 * their count: read the due heads of up to `maxDestinations` destinations, lock those destinations
 * (one unordered upsert each), check that each one's candidates are the head of its queue, and lock
 * the messages of the destinations won (one updateMany under the round's token). Only the holder of
 * a destination ever locks its messages, so no message lock is needed before the destination's.
 * A destination whose head the candidates did not cover takes the one-destination path (claimHeld);
 * one left with nothing to send is released at once.
 */
export async function claimMany(ctx: StoreContext, opts: ClaimManyOptions): Promise<ClaimManyResult> {
  const now = ctx.now();
  const empty: ClaimManyResult = { token: opts.token, batches: [], lost: [] };
  if (opts.maxDestinations <= 0) return empty;
  const { candidates, truncated } = await findDue(ctx, opts, now);
  if (candidates.length === 0) {
    ctx.metrics.inc('smsc_claims_total', { result: 'empty' });
    return empty;
  }
  try {
    return await claimFound(ctx, opts, candidates, truncated, now);
  } catch (error) {
    // A store error part-way: give back what this round took, so that its destinations do not
    // wait for the lease to run out. Best effort: if the store is gone, the lease does it.
    await abandonRound(ctx, opts, now).catch(() => undefined);
    throw error;
  }
}

async function abandonRound(ctx: StoreContext, opts: ClaimManyOptions, now: Date): Promise<void> {
  const entry: HistoryEntry = { attempt: 0, at: now, worker: opts.owner, outcome: HistoryOutcome.released };
  await ctx.cols.sms.updateMany(
    { 'lock.token': opts.token, state: SmsState.delivering } as Filter<SmsRecord>,
    {
      $set: { state: SmsState.queued, lock: null, nextAttemptAt: now, updatedAt: now },
      $push: { history: { $each: [entry], $slice: -ctx.config.historyLimit } },
    } as UpdateFilter<SmsRecord>,
  );
  await ctx.cols.locks.deleteMany({ token: opts.token });
}

async function claimFound(
  ctx: StoreContext,
  opts: ClaimManyOptions,
  candidates: SmsRecord[],
  truncated: boolean,
  now: Date,
): Promise<ClaimManyResult> {
  const empty: ClaimManyResult = { token: opts.token, batches: [], lost: [] };
  const byDest = groupByDestination(candidates, opts.maxDestinations);
  const [{ won, lost }, more] = await Promise.all([
    lockDestinations(ctx, [...byDest.keys()], opts, now),
    truncated ? findMore(ctx, byDest, candidates, now) : [],
  ]);
  if (won.length === 0) return { ...empty, lost };
  addMore(byDest, more);

  const heads = new Map<string, SmsRecord[]>();
  for (const d of won) {
    const list = byDest.get(d)!;
    heads.set(d, list.slice(0, batchLimit(list)));
  }
  const lockOpts = { owner: opts.owner, token: opts.token, leaseMs: opts.leaseMs };
  const slow = await unsettled(ctx, heads, now);
  const settled = won.filter((d) => !slow.has(d));
  const batches = new Map<string, SmsRecord[]>();
  const want = settled.flatMap((d) => heads.get(d)!);
  const locked = want.length > 0 ? await lockHeld(ctx, want, lockOpts) : [];
  if (locked === null) {
    // Someone cancelled or replaced a candidate since we read it: per destination, what we hold.
    for (const d of settled) batches.set(d, await heldPrefix(ctx, d, heads.get(d)!, lockOpts));
  } else {
    for (const m of locked) {
      const list = batches.get(m.destMsisdn) ?? [];
      list.push(m);
      batches.set(m.destMsisdn, list);
    }
  }
  for (const d of slow) {
    const target = heads.get(d)![0]!.target;
    batches.set(d, await claimHeld(ctx, d, target, lockOpts));
  }

  const result: ClaimedBatch[] = [];
  const idle: string[] = [];
  for (const d of won) {
    const batch = batches.get(d) ?? [];
    if (batch.length === 0) idle.push(d);
    else {
      batch.sort(compareDestinationOrder);
      result.push({ destMsisdn: d, batch });
      ctx.metrics.inc('smsc_batch_messages_total', undefined, batch.length);
    }
  }
  ctx.metrics.inc('smsc_claims_total', { result: 'claimed' }, result.length);
  if (idle.length > 0) await ctx.cols.locks.deleteMany({ _id: { $in: idle }, token: opts.token });
  return { token: opts.token, batches: result, lost };
}
