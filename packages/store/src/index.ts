export {
  type ClaimedBatch,
  type ClaimManyOptions,
  type ClaimManyResult,
  MAX_RECEIPT_BATCH,
} from './claim-many.ts';
export type { QueueHandOff } from './claim-on-queue.ts';
export {
  type Claim,
  type ClaimMoreResult,
  type ClaimOptions,
  compareDestinationOrder,
  DESTINATION_ORDER,
  type LockOptions,
  MAX_BATCH,
} from './claims.ts';
export { type Clock, systemClock } from './clock.ts';
export { CollectionName, type Collections, collections } from './collections.ts';
export type { StoreConfig, StoreOptions } from './context.ts';
export {
  InvalidMessageError,
  InvalidStoreOptionError,
  isCappedPositionLost,
  isDuplicateKeyError,
  isTransientStoreError,
  MessageIdExhaustedError,
  MessageTooLargeError,
  SchemaTooNewError,
  StoreError,
  StoreErrorCode,
} from './errors.ts';
export type { NewEvent, TailItem, TailOptions } from './events.ts';
export { INDEXES, type IndexDefinition } from './indexes.ts';
export { createMessageIdGenerator, type MessageIdGenerator } from './message-id.ts';
export type { CancelResult, ReplaceInput } from './message-ops.ts';
export { createMetrics, type Labels, type Metrics } from './metrics.ts';
export { type MigrateOptions, type MigrateResult, migrate, SCHEMA_VERSION } from './migrate.ts';
export { normaliseMsisdn } from './msisdn.ts';
export { type PayloadInput, type QueueInput, receiptFromRegisteredDelivery } from './queue.ts';
export {
  type BatchQueue,
  type BatchQueueOptions,
  createBatchQueue,
  type QueueManyResult,
} from './queue-many.ts';
export { RECEIPT_ID_SUFFIX, RECEIPT_LANES, receiptLockKey, receiptTarget } from './receipts.ts';
export {
  ACTIVE_STATES,
  type Address,
  type CorrelationRecord,
  EventType,
  FINAL_STATES,
  type HistoryEntry,
  HistoryOutcome,
  type LockRecord,
  ReceiptRequest,
  type SegmentInfo,
  type SmsEvent,
  type SmsLock,
  type SmsPayload,
  type SmsRecord,
  SmsState,
  type Tlv,
} from './records.ts';
export { createStore, type Store } from './store.ts';
export {
  type ClaimedReceipts,
  type DestinationRelease,
  type FinishItem,
  type FinishOptions,
  type FinishResult,
  type Outcome,
  type ReceiptClaim,
  type TransitionResult,
  wantsReceipt,
} from './transitions.ts';
