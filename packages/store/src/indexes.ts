import type { CreateIndexesOptions, IndexSpecification } from 'mongodb';
import { CollectionName } from './collections.ts';

export type IndexDefinition = {
  collection: (typeof CollectionName)[keyof typeof CollectionName];
  name: string;
  key: IndexSpecification;
  options?: Omit<CreateIndexesOptions, 'name'>;
  /** Which query needs it: docs/architecture.md repeats these. */
  why: string;
};

// Keys follow the equality-sort-range rule: equality fields first, then the sort, then ranges.
export const INDEXES: readonly IndexDefinition[] = [
  {
    collection: CollectionName.sms,
    name: 'sms_due',
    key: { state: 1, priority: -1, nextAttemptAt: 1 },
    why: 'claim rounds: state queued (or delivering, lease ran out), nextAttemptAt <= now, by priority then nextAttemptAt; nextDue (one look per state and priority); cleanup of leases that ran out',
  },
  {
    collection: CollectionName.sms,
    name: 'sms_destination',
    key: { destMsisdn: 1, state: 1, priority: -1, arrivedAt: 1, _id: 1 },
    why: 'claimMore: the oldest active messages of one destination, by priority then arrival',
  },
  {
    collection: CollectionName.sms,
    name: 'sms_expiry',
    key: { state: 1, expiresAt: 1 },
    why: 'cleanup: active messages past their validity',
  },
  {
    collection: CollectionName.sms,
    name: 'sms_final_at',
    key: { finalAt: 1 },
    // Only final records have finalAt: an active message has no entry here, so claims and
    // retries, which change its state, do not move one.
    options: { sparse: true },
    why: 'cleanup: final records older than the retention period',
  },
  {
    collection: CollectionName.sms,
    name: 'sms_receipt_pending',
    key: { receiptPending: 1, finalAt: 1 },
    options: { sparse: true },
    why: 'cleanup: final transitions whose receipt was not queued yet (a crash in between)',
  },
  {
    collection: CollectionName.sms,
    name: 'sms_submit_id',
    key: { submitId: 1 },
    options: { sparse: true },
    why: 'query_sm / cancel_sm by the id a submit_multi answered, which names all its destinations',
  },
  {
    collection: CollectionName.sms,
    name: 'sms_account_arrived',
    key: { accountId: 1, arrivedAt: -1 },
    why: 'admin search and query_sm listings per account, newest first',
  },
  {
    collection: CollectionName.correlations,
    name: 'correlations_ttl',
    key: { expiresAt: 1 },
    options: { expireAfterSeconds: 0 },
    why: 'TTL: the server deletes a correlation after its expiresAt',
  },
  {
    collection: CollectionName.correlations,
    name: 'correlations_sms',
    key: { smsId: 1 },
    why: 'admin detail: upstream ids of one message',
  },
  {
    collection: CollectionName.accounts,
    name: 'accounts_system_id',
    key: { systemId: 1 },
    options: { unique: true },
    why: 'bind authentication by system_id; one account per system_id',
  },
  {
    collection: CollectionName.connectors,
    name: 'connectors_name',
    key: { name: 1 },
    options: { unique: true },
    why: 'routes name their target connector',
  },
  {
    collection: CollectionName.routes,
    name: 'routes_order',
    key: { enabled: 1, order: 1 },
    why: 'routing reads enabled routes in order',
  },
];

/**
 * Indexes of earlier schema versions that migrate drops. Each state change moved an entry of each:
 * `sms_final` was keyed by state (now `sms_final_at`, sparse on finalAt), and `sms_lock_token` took
 * an entry per claim while every query by token also names the destination or the in-flight state
 * (schema 2); `sms_next_attempt` (state, nextAttemptAt) served only the worker timer and the reset
 * of leases that ran out, which `sms_due` serves as well, and `locks_kind_until` took two entry
 * moves per destination claim and one per lease extension for a cleanup query that reads a
 * collection of one lock per destination in flight (schema 3).
 */
export const RETIRED_INDEXES: readonly { collection: IndexDefinition['collection']; name: string }[] = [
  { collection: CollectionName.sms, name: 'sms_lock_token' },
  { collection: CollectionName.sms, name: 'sms_final' },
  { collection: CollectionName.sms, name: 'sms_next_attempt' },
  { collection: CollectionName.locks, name: 'locks_kind_until' },
];
