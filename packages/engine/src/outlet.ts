import type { SmsRecord } from '@smsc/store';
import type { Logger } from 'pino';

/** What an outlet says about one message of a batch, in the batch's order. */
export type DeliveryResult =
  | { status: 'delivered'; upstreamId?: string }
  /** Try again later: after `retryAfterMs` if given, else by the retry policy of `errorClass`. */
  | { status: 'temporary'; error?: string; errorClass?: string; retryAfterMs?: number }
  /** The peer asked us to slow down (e.g. ESME_RTHROTTLED): not counted as an attempt. */
  | { status: 'throttled'; retryAfterMs?: number }
  | { status: 'permanent'; reason: string };

export type DeliveryContext = {
  /** Aborted when the worker stops or the lease on the destination is lost: stop sending. */
  signal: AbortSignal;
  logger: Logger;
};

/**
 * Where messages leave the engine: an SMPP client connector, an HTTP webhook, a test double. The
 * worker claims only messages whose `target` one of its outlets declares, so a process never holds
 * work it cannot deliver.
 */
export type Outlet = {
  readonly name: string;
  /** Targets this outlet takes; `'*'` takes every target. */
  readonly targets: readonly string[];
  /**
   * Delivers up to four messages for one destination, in the given order (priority, then arrival).
   * To keep order, an outlet should stop at the first temporary failure and answer `temporary`
   * for the rest. Throwing counts as a temporary failure of every message (error class `outlet`).
   */
  deliver(
    destination: string,
    messages: readonly SmsRecord[],
    context: DeliveryContext,
  ): Promise<DeliveryResult[]>;
};
