export { CLEANUP_LEASE, Cleanup, type CleanupOptions, type CleanupReport } from './cleanup.ts';
export {
  DuplicateTargetError,
  EngineError,
  EngineErrorCode,
  InvalidEngineOptionError,
  InvalidWorkerStateError,
  isClientClosedError,
} from './errors.ts';
export { Finisher, type ReceiptHandOff, type ReceiptHandOffs } from './finisher.ts';
export { toOutcome } from './outcomes.ts';
export type { DeliveryContext, DeliveryResult, Outlet } from './outlet.ts';
export {
  type Backoff,
  createRetryPolicy,
  type RetryPolicy,
  type RetryPolicyOptions,
} from './retry-policy.ts';
export { type DrainOptions, Worker, type WorkerOptions, WorkerState } from './worker.ts';
