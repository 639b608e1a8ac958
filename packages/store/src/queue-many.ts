/**
 * Queues several messages in one round trip (the inserter's grouped writes): one insertMany with
 * write concern majority, then one insert of their `sms.queued` events. Each message is one
 * document, so each either is stored whole or not at all; results come back per input, in order.
 * With `claims`, messages whose target has a worker here that is not behind are stored claimed by
 * it instead (claim-on-queue.ts): their destinations' lock upserts and all the inserts go in one
 * unordered multi-collection command, and only the messages stored queued get events.
 */
import { MongoBulkWriteError, MongoClientBulkWriteError, type WriteConcernSettings } from 'mongodb';
import pino, { type Logger } from 'pino';
import {
  lockModel,
  type PlannedClaim,
  planQueueClaims,
  type QueueHandOff,
  settleQueueClaims,
} from './claim-on-queue.ts';
import { CollectionName } from './collections.ts';
import type { StoreContext } from './context.ts';
import { isDuplicateKeyError } from './errors.ts';
import { eventOf, type NewEvent } from './events.ts';
import { createMessageIdGenerator } from './message-id.ts';
import { multiWrite, namespaceOf } from './multi-write.ts';
import { buildRecord, type QueueInput } from './queue.ts';
import { EventType, type SmsRecord, SmsState } from './records.ts';
import { contextOf, type Store } from './store.ts';

export type QueueManyResult = { ok: true; record: SmsRecord } | { ok: false; error: unknown };

export type BatchQueue = {
  /** Stores what it can of `inputs`; never throws for a per-message or a database failure. */
  queueMany(inputs: readonly QueueInput[]): Promise<QueueManyResult[]>;
};

export type BatchQueueOptions = {
  logger?: Logger;
  /** Default `{ w: 'majority' }`: a message is only acknowledged once a majority has it. */
  writeConcern?: WriteConcernSettings;
  /**
   * Asked once per target and write: a hand-off makes that target's messages that are due now go
   * in claimed by it when their destination is free and nothing older of it is active; the rest
   * are queued. Only on a store made by createStore whose server has the multi-collection
   * bulkWrite (MongoDB 8.0). Default: none, every message is queued.
   */
  claims?: (target: string) => QueueHandOff | undefined;
};

const ID_ATTEMPTS = 5;

type Result = QueueManyResult | undefined;

type Built = { index: number; record: SmsRecord };

export function createBatchQueue(store: Store, options: BatchQueueOptions = {}): BatchQueue {
  const logger = options.logger ?? pino({ level: 'silent' });
  const writeConcern = options.writeConcern ?? { w: 'majority' };
  const ids = createMessageIdGenerator(store.now);
  // buildRecord reads only the clock and the config; claims need the whole context.
  const full = contextOf(store);
  const ctx = full ? { ...full, logger } : ({ now: store.now, config: store.config } as StoreContext);
  const sms = store.collections.sms;
  /** Destinations a write of this process is claiming: a later write must not overtake it. */
  const busy = new Set<string>();

  function build(inputs: readonly QueueInput[], indexes: readonly number[], results: Result[]): Built[] {
    const out: Built[] = [];
    for (const index of indexes) {
      try {
        out.push({ index, record: buildRecord(ctx, ids.next(), inputs[index] as QueueInput) });
      } catch (error) {
        results[index] = { ok: false, error };
      }
    }
    return out;
  }

  /** Inserts `batch` as built (queued), with new ids for those another process took meanwhile. */
  async function insertQueued(
    inputs: readonly QueueInput[],
    batch: Built[],
    results: Result[],
  ): Promise<void> {
    for (let attempt = 0; attempt < ID_ATTEMPTS && batch.length > 0; attempt += 1) {
      const pending: number[] = [];
      try {
        await sms.insertMany(
          batch.map((b) => b.record),
          { ordered: false, writeConcern },
        );
        for (const b of batch) results[b.index] = { ok: true, record: b.record };
      } catch (error) {
        const perDocument = error instanceof MongoBulkWriteError && !error.writeConcernError;
        if (!perDocument) {
          takeBack(batch, error, results);
          return;
        }
        const failed = new Map<number, unknown>();
        const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
        for (const w of writeErrors) failed.set(w.index, w);
        for (const [i, b] of batch.entries()) {
          const w = failed.get(i);
          if (w === undefined) results[b.index] = { ok: true, record: b.record };
          else if (isDuplicateKeyError(w)) pending.push(b.index);
          else results[b.index] = { ok: false, error: w };
        }
      }
      // Another process allocated the same id in the same second: move elsewhere and retry those.
      if (pending.length > 0) ids.reseed();
      batch = build(inputs, pending, results);
    }
    for (const b of batch) results[b.index] = { ok: false, error: new Error('no unique message id') };
  }

  /**
   * Unknown which documents landed: take back what we can so nothing answered as failed stays.
   * Not awaited: with the database unreachable it would hold the answer for a server selection
   * timeout. `then` runs after the take-back (destination locks of claims: given back only then).
   */
  function takeBack(
    batch: readonly Built[],
    error: unknown,
    results: Result[],
    then?: () => Promise<unknown>,
  ) {
    void sms
      .deleteMany({ _id: { $in: batch.map((b) => b.record._id) }, attempts: 0 })
      .then(then)
      .catch(() => {});
    for (const b of batch) results[b.index] = { ok: false, error };
  }

  /**
   * One unordered command: the lock upserts of `plans`, then every insert (claimed or queued).
   * False when the server has no multi-collection bulkWrite (nothing was written). Settling the
   * claims (head check, hand-over, give-back) runs on after this returns.
   */
  async function insertClaimed(
    inputs: readonly QueueInput[],
    batch: Built[],
    plans: PlannedClaim[],
    results: Result[],
  ): Promise<boolean> {
    const c = full as StoreContext;
    const now = c.now();
    const smsNs = namespaceOf(c, CollectionName.sms);
    const models = [
      ...plans.map((p) => lockModel(c, p, now)),
      ...batch.map((b) => ({ namespace: smsNs, name: 'insertOne', document: b.record })),
    ];
    let errors = new Map<number, unknown>();
    try {
      if (!(await multiWrite(c, models, { ordered: false, writeConcern }))) return false;
    } catch (error) {
      const perOperation =
        error instanceof MongoClientBulkWriteError &&
        error.writeConcernErrors.length === 0 &&
        error.writeErrors.size > 0;
      if (!perOperation) {
        const tokens = [...new Set(plans.map((p) => p.claim.token))];
        takeBack(batch, error, results, () => c.cols.locks.deleteMany({ token: { $in: tokens } }));
        for (const p of plans) busy.delete(p.destMsisdn);
        return true;
      }
      errors = error.writeErrors as Map<number, unknown>;
    }
    const retry: number[] = [];
    batch.forEach((b, i) => {
      const e = errors.get(plans.length + i);
      if (e === undefined) results[b.index] = { ok: true, record: b.record };
      else if (isDuplicateKeyError(e)) retry.push(b.index);
      else results[b.index] = { ok: false, error: e };
    });
    const stored = new Set(batch.filter((b) => results[b.index]?.ok).map((b) => b.record._id));
    const whole: PlannedClaim[] = [];
    const broken: { plan: PlannedClaim; stored: SmsRecord[]; locked: boolean }[] = [];
    plans.forEach((plan, i) => {
      const locked = !errors.has(i);
      c.metrics.inc('smsc_destination_claims_total', { result: locked ? 'won' : 'lost' });
      const mine = plan.records.filter((r) => stored.has(r._id));
      if (locked && mine.length === plan.records.length) whole.push(plan);
      else broken.push({ plan, stored: mine, locked });
    });
    // Ids another process took meanwhile: stored queued under new ones (a claim they were part
    // of is given back whole, so nothing overtakes them).
    if (retry.length > 0) {
      ids.reseed();
      await insertQueued(inputs, build(inputs, retry, results), results);
    }
    void settleQueueClaims(c, whole, broken, now).finally(() => {
      for (const p of plans) busy.delete(p.destMsisdn);
    });
    return true;
  }

  async function queueMany(inputs: readonly QueueInput[]): Promise<QueueManyResult[]> {
    const results: Result[] = new Array(inputs.length);
    const batch = build(
      inputs,
      inputs.map((_, i) => i),
      results,
    );
    const claimFor = options.claims;
    const plans =
      claimFor && full && full.multi.supported !== false && batch.length > 0
        ? planQueueClaims(
            ctx,
            batch.map((b) => b.record),
            claimFor,
            busy,
            ctx.now(),
          )
        : [];
    let written = false;
    if (plans.length > 0) {
      const claimed = new Map(plans.flatMap((p) => p.records.map((r) => [r._id, r] as const)));
      const asClaimed = batch.map((b) => ({ index: b.index, record: claimed.get(b.record._id) ?? b.record }));
      written = await insertClaimed(inputs, asClaimed, plans, results);
      if (!written) for (const p of plans) busy.delete(p.destMsisdn);
    }
    if (!written) await insertQueued(inputs, batch, results);

    const events: NewEvent[] = [];
    for (const r of results) {
      if (!r?.ok) continue;
      const record = r.record;
      store.metrics.inc('smsc_sms_transitions_total', { to: SmsState.queued });
      logger.debug(
        { messageId: record._id, destMsisdn: record.destMsisdn, target: record.target, state: record.state },
        'sms queued',
      );
      // A message stored claimed is its worker's already: nobody needs waking for it (one given
      // back gets its event then).
      if (record.state !== SmsState.queued) continue;
      events.push(eventOf(EventType.queued, record, record.arrivedAt, { due: record.nextAttemptAt }));
    }
    // Never throws: the messages are stored; the periodic scan covers a lost event.
    await store.appendEvents(events);
    return results as QueueManyResult[];
  }

  return { queueMany };
}
