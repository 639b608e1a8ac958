import type { DeliveryResult } from '@smsc/engine';
import { describeCommandStatus } from '@smsc/receipts';
import {
  CommandStatus,
  commandStatusName,
  SmppEncodeError,
  SmppInvalidStateError,
  SmppQueueTimeoutError,
  SmppSessionClosedError,
  SmppTimeoutError,
  SmppWindowFullError,
} from '@smsc/smpp';

/** Error classes this outlet reports, for per-class retry backoff (`retry.classes` of the worker). */
export const EsmeErrorClass = {
  /** The ESME answered with a temporary error (ESME_RX_T_APPN and the unclassified rest). */
  esme: 'esme',
  /** No deliver_sm_resp in time: the ESME may have the message, so a retry may duplicate it. */
  timeout: 'esme-timeout',
  /** The session closed or started unbinding before the answer. */
  session: 'esme-session',
  /** Not sent, to keep the order behind an earlier message of the batch that was not delivered. */
  order: 'esme-order',
} as const;
export type EsmeErrorClass = (typeof EsmeErrorClass)[keyof typeof EsmeErrorClass];

function statusText(status: number): string {
  return `deliver_sm_resp ${describeCommandStatus(status, commandStatusName(status))}`;
}

/**
 * What a deliver_sm_resp status means for the message (issue 5, "Delivery to bound ESMEs"): ok is
 * delivered; the ESME saying "slow down" (RTHROTTLED, RMSGQFUL) is throttling, not an attempt;
 * ESME_RX_P_APPN and ESME_RX_R_APPN are final refusals (§5.1.3); anything else is worth a retry.
 */
export function resultForStatus(status: number): DeliveryResult {
  switch (status) {
    case CommandStatus.ESME_ROK:
      return { status: 'delivered' };
    case CommandStatus.ESME_RTHROTTLED:
    case CommandStatus.ESME_RMSGQFUL:
      return { status: 'throttled' };
    case CommandStatus.ESME_RX_P_APPN:
    case CommandStatus.ESME_RX_R_APPN:
      return { status: 'permanent', reason: statusText(status) };
    default:
      return { status: 'temporary', error: statusText(status), errorClass: EsmeErrorClass.esme };
  }
}

/**
 * A request the session refused before writing it: the session is unbinding or closed (queued
 * requests fail with reason `unbinding` when an unbind starts). The ESME never saw it.
 */
export function wasNeverSent(error: unknown): boolean {
  return (
    error instanceof SmppInvalidStateError ||
    (error instanceof SmppSessionClosedError && error.reason === 'unbinding')
  );
}

/**
 * What a failed request means: our own back-pressure is throttling, a PDU we cannot encode is
 * final, a request the session never wrote waits `notSentRetryMs` without counting as an attempt
 * (another bind, here or on another inserter, can take it), anything else may have reached the ESME.
 */
export function resultForError(error: unknown, notSentRetryMs = 1000): DeliveryResult {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (error instanceof SmppWindowFullError || error instanceof SmppQueueTimeoutError)
    return { status: 'throttled' };
  if (wasNeverSent(error)) return { status: 'throttled', retryAfterMs: notSentRetryMs };
  // A stored field that deliver_sm cannot carry (e.g. a 65-octet data_sm address) never will.
  if (error instanceof SmppEncodeError) return { status: 'permanent', reason: text };
  if (error instanceof SmppTimeoutError)
    return { status: 'temporary', error: text, errorClass: EsmeErrorClass.timeout };
  return { status: 'temporary', error: text, errorClass: EsmeErrorClass.session };
}

/**
 * For messages of a batch left unsent behind one that was not delivered: the same wait. Never sent,
 * they count no attempt when the blocker's delay is known (throttling, or a temporary failure whose
 * delay the outlet fixed); otherwise they are temporary failures of class `esme-order`.
 */
export function resultForUnsent(blocker: DeliveryResult): DeliveryResult {
  if (
    blocker.status === 'throttled' ||
    (blocker.status === 'temporary' && blocker.retryAfterMs !== undefined)
  )
    return blocker.retryAfterMs !== undefined
      ? { status: 'throttled', retryAfterMs: blocker.retryAfterMs }
      : { status: 'throttled' };
  return {
    status: 'temporary',
    error: 'not sent: an earlier message to this destination was not delivered',
    errorClass: EsmeErrorClass.order,
  };
}
