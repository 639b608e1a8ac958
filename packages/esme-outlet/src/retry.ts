import type { RetryPolicy, RetryPolicyOptions } from '@smsc/engine';
import { EsmeErrorClass } from './results.ts';

/**
 * Backoff for this outlet's own error classes, under whatever the operator configured: a session
 * lost while a deliver_sm waited for its answer usually means the ESME is reconnecting, so the
 * message is retried after 1 s (doubling) instead of the default 30 s, and goes out soon after the
 * ESME is back, here or on another inserter.
 */
export const ESME_RETRY_CLASSES: NonNullable<RetryPolicyOptions['classes']> = {
  [EsmeErrorClass.session]: { baseMs: 1000 },
};

export function isRetryPolicy(r: RetryPolicyOptions | RetryPolicy | undefined): r is RetryPolicy {
  return typeof r === 'object' && r !== null && typeof (r as RetryPolicy).delayMs === 'function';
}

/** The workers' retry option: a ready policy as given, options with the ESME classes added (theirs win). */
export function esmeRetry(
  retry: RetryPolicyOptions | RetryPolicy | undefined,
): RetryPolicyOptions | RetryPolicy {
  if (isRetryPolicy(retry)) return retry;
  return { ...retry, classes: { ...ESME_RETRY_CLASSES, ...retry?.classes } };
}
