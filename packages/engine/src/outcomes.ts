import type { Outcome, SmsRecord } from '@smsc/store';
import type { DeliveryResult } from './outlet.ts';
import type { RetryPolicy } from './retry-policy.ts';

/**
 * Turns an outlet's answer into the store transition: retries wait by the policy, throttling
 * waits without counting an attempt, the last attempt and a retry past validity become final.
 */
export function toOutcome(
  message: SmsRecord,
  result: DeliveryResult | undefined,
  policy: RetryPolicy,
  now: Date,
  outlet: string,
): Outcome {
  if (message.expiresAt <= now) return { type: 'expired', outlet };
  const r: DeliveryResult = result ?? {
    status: 'temporary',
    error: 'no result from outlet',
    errorClass: 'outlet',
  };
  switch (r.status) {
    case 'delivered':
      return r.upstreamId !== undefined
        ? { type: 'delivered', outlet, upstreamId: r.upstreamId }
        : { type: 'delivered', outlet };
    case 'permanent':
      return { type: 'failed', error: r.reason, outlet };
    case 'throttled': {
      const at = new Date(now.getTime() + (r.retryAfterMs ?? policy.throttleDelayMs));
      return at >= message.expiresAt ? { type: 'expired', outlet } : { type: 'throttled', at, outlet };
    }
    case 'temporary': {
      const attempts = message.attempts + 1;
      const error = r.error ?? 'temporary failure';
      if (attempts >= policy.maxAttempts)
        return { type: 'failed', error: `max attempts (${policy.maxAttempts}) reached: ${error}`, outlet };
      const at = new Date(now.getTime() + (r.retryAfterMs ?? policy.delayMs(attempts, r.errorClass)));
      return at >= message.expiresAt ? { type: 'expired', outlet } : { type: 'retry', at, error, outlet };
    }
  }
}
