import type { Filter } from 'mongodb';
import { type ClaimManyOptions, type ClaimManyResult, claimMany } from './claim-many.ts';
import * as claims from './claims.ts';
import type { Collections } from './collections.ts';
import {
  createContext,
  newToken,
  type StoreConfig,
  type StoreContext,
  type StoreOptions,
} from './context.ts';
import * as correlations from './correlations.ts';
import { appendEvents, type NewEvent, type TailItem, type TailOptions, tailEvents } from './events.ts';
import * as housekeeping from './housekeeping.ts';
import * as leases from './leases.ts';
import * as messageOps from './message-ops.ts';
import type { Metrics } from './metrics.ts';
import { type MigrateResult, migrate } from './migrate.ts';
import { type QueueInput, queue } from './queue.ts';
import type { CorrelationRecord, SmsRecord } from './records.ts';
import * as transitions from './transitions.ts';

/**
 * The data layer. Every state change is one conditional write; every write after a claim filters
 * on the claim's token, so a worker whose lease ran out changes nothing and learns it from the
 * result (`applied: false`, `false`).
 */
export type Store = {
  readonly config: StoreConfig;
  readonly metrics: Metrics;
  readonly collections: Collections;
  now(): Date;
  /** Creates collections and indexes (idempotent) and records the schema version. */
  migrate(): Promise<MigrateResult>;
  newToken(): string;

  queue(input: QueueInput): Promise<SmsRecord>;
  get(id: string): Promise<SmsRecord | null>;
  find(filter: Filter<SmsRecord>, options?: { limit?: number }): Promise<SmsRecord[]>;

  /** The lock protocol for up to `maxDestinations` destinations in a fixed number of commands. */
  claimMany(options: ClaimManyOptions): Promise<ClaimManyResult>;
  claimOne(options: claims.ClaimOptions): Promise<claims.Claim | null>;
  claimDestination(destMsisdn: string, options: claims.LockOptions): Promise<boolean>;
  claimMore(first: SmsRecord, options: claims.LockOptions): Promise<claims.ClaimMoreResult>;
  extendLease(destMsisdn: string, token: string, leaseMs: number): Promise<boolean>;
  /** Renews messages held under `token` without a destination lock (claimed receipts). */
  extendClaim(token: string, leaseMs: number): Promise<boolean>;
  release(message: SmsRecord, token: string, owner: string): Promise<boolean>;
  releaseDestination(destMsisdn: string, token: string): Promise<boolean>;
  nextDue(targets: readonly string[]): Promise<Date | null>;

  complete(
    message: SmsRecord,
    token: string,
    owner: string,
    info?: { outlet?: string; upstreamId?: string },
  ): Promise<transitions.TransitionResult>;
  retryLater(
    message: SmsRecord,
    token: string,
    owner: string,
    at: Date,
    info?: { error?: string; outlet?: string },
  ): Promise<transitions.TransitionResult>;
  throttle(
    message: SmsRecord,
    token: string,
    owner: string,
    at: Date,
    info?: { outlet?: string },
  ): Promise<transitions.TransitionResult>;
  fail(
    message: SmsRecord,
    token: string,
    owner: string,
    error: string,
    info?: { outlet?: string },
  ): Promise<transitions.TransitionResult>;
  expire(message: SmsRecord, token: string, owner: string): Promise<transitions.TransitionResult>;
  /** Several transitions and destination releases in a fixed number of commands (see finish). */
  finish<C extends transitions.ReceiptClaim = transitions.ReceiptClaim>(
    items: transitions.FinishItem[],
    releases?: transitions.DestinationRelease[],
    options?: transitions.FinishOptions<C>,
  ): Promise<transitions.FinishResult<C>>;

  cancel(id: string, by?: string): Promise<messageOps.CancelResult>;
  replace(id: string, changes: messageOps.ReplaceInput): Promise<messageOps.CancelResult>;
  retryNow(id: string, validityMs?: number): Promise<messageOps.CancelResult>;

  resetExpiredLeases(limit: number): Promise<number>;
  removeExpiredDestinationLocks(limit: number): Promise<number>;
  expireDue(limit: number): Promise<number>;
  purgeFinal(before: Date, limit: number): Promise<number>;
  recoverReceipts(before: Date, limit: number): Promise<number>;
  acquireLease(name: string, owner: string, leaseMs: number): Promise<boolean>;
  releaseLease(name: string, owner: string): Promise<boolean>;

  appendEvents(events: NewEvent[]): Promise<void>;
  tailEvents(options?: TailOptions): AsyncGenerator<TailItem, void, undefined>;

  correlate(connector: string, upstreamId: string, smsId: string, ttlMs: number): Promise<void>;
  findCorrelation(connector: string, upstreamId: string): Promise<CorrelationRecord | null>;
};

/** Each store's context, for the parts of this package built on a Store (createBatchQueue). */
const contexts = new WeakMap<Store, StoreContext>();

/** The context of a store made by createStore; undefined for any other object of the Store type. */
export function contextOf(store: Store): StoreContext | undefined {
  return contexts.get(store);
}

export function createStore(options: StoreOptions): Store {
  const ctx: StoreContext = createContext(options);
  const t = (message: SmsRecord, token: string, owner: string, outcome: transitions.Outcome) =>
    transitions.transition(ctx, message, token, owner, outcome);
  const store: Store = {
    config: ctx.config,
    metrics: ctx.metrics,
    collections: ctx.cols,
    now: ctx.now,
    migrate: () =>
      migrate(ctx.db, { eventsSizeBytes: ctx.config.eventsSizeBytes, now: ctx.now, logger: ctx.logger }),
    newToken,
    queue: (input) => queue(ctx, input),
    get: (id) => ctx.cols.sms.findOne({ _id: id }),
    find: (filter, opts) => ctx.cols.sms.find(filter, { limit: opts?.limit ?? 100 }).toArray(),
    claimMany: (o) => claimMany(ctx, o),
    claimOne: (o) => claims.claimOne(ctx, o),
    claimDestination: (d, o) => claims.claimDestination(ctx, d, o),
    claimMore: (first, o) => claims.claimMore(ctx, first, o),
    extendLease: (d, token, leaseMs) => claims.extendLease(ctx, d, token, leaseMs),
    extendClaim: (token, leaseMs) => claims.extendClaim(ctx, token, leaseMs),
    release: (m, token, owner) => claims.release(ctx, m, token, owner),
    releaseDestination: (d, token) => claims.releaseDestination(ctx, d, token),
    nextDue: (targets) => claims.nextDue(ctx, targets),
    complete: (m, token, owner, info) => t(m, token, owner, { type: 'delivered', ...info }),
    retryLater: (m, token, owner, at, info) => t(m, token, owner, { type: 'retry', at, ...info }),
    throttle: (m, token, owner, at, info) => t(m, token, owner, { type: 'throttled', at, ...info }),
    fail: (m, token, owner, error, info) => t(m, token, owner, { type: 'failed', error, ...info }),
    expire: (m, token, owner) => t(m, token, owner, { type: 'expired' }),
    finish: (items, releases, options) => transitions.finish(ctx, items, releases, options),
    cancel: (id, by) => messageOps.cancel(ctx, id, by),
    replace: (id, changes) => messageOps.replace(ctx, id, changes),
    retryNow: (id, validityMs) => messageOps.retryNow(ctx, id, validityMs ?? ctx.config.defaultValidityMs),
    resetExpiredLeases: (limit) => housekeeping.resetExpiredLeases(ctx, limit),
    removeExpiredDestinationLocks: (limit) => housekeeping.removeExpiredDestinationLocks(ctx, limit),
    expireDue: (limit) => housekeeping.expireDue(ctx, limit),
    purgeFinal: (before, limit) => housekeeping.purgeFinal(ctx, before, limit),
    recoverReceipts: (before, limit) => housekeeping.recoverReceipts(ctx, before, limit),
    acquireLease: (name, owner, leaseMs) => leases.acquireLease(ctx, name, owner, leaseMs),
    releaseLease: (name, owner) => leases.releaseLease(ctx, name, owner),
    appendEvents: (events) => appendEvents(ctx, events),
    tailEvents: (o) => tailEvents(ctx, o),
    correlate: (c, u, s, ttl) => correlations.correlate(ctx, c, u, s, ttl),
    findCorrelation: (c, u) => correlations.findCorrelation(ctx, c, u),
  };
  contexts.set(store, ctx);
  return store;
}
