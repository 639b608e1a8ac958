import { EventType, type SmsEvent, type Store } from '@smsc/store';
import type { Logger } from 'pino';

export type WakeupOptions = {
  store: Store;
  signal: AbortSignal;
  logger: Logger;
  /** Passed to the store's tail. */
  tail?: { maxAwaitTimeMS?: number; retryDelayMs?: number };
  /** An event about a target happened (queued, retry, released, delivered...). */
  onEvent(event: SmsEvent & { target: string }): void;
  /** Events may have been missed (the feed was (re)opened): look for work everywhere. */
  onGap(): void;
};

/**
 * The events that can make a message claimable: new, due again, given back. Final transitions
 * (delivered, failed, expired, cancelled: two of every three events at load) only free their
 * destination, and the worker that freed it looks for work right after; a worker of another
 * process that lost that destination finds it at its next round, or at the latest after
 * `busyRecheckMs`. Not reading them spares the server and this process most of the tail.
 */
const WAKE_EVENT_TYPES: readonly string[] = [
  EventType.queued,
  EventType.retry,
  EventType.throttled,
  EventType.replaced,
  EventType.reset,
  EventType.released,
];

/**
 * One tail of the `events` collection for every account worker of the process, instead of one
 * cursor per account: with hundreds of accounts bound on an inserter, per-worker tails would cost
 * hundreds of getMores per second and deliver each event to every one of them. Resolves when the
 * signal aborts; a tail that ends otherwise is logged and reported as a gap, never thrown.
 */
export async function followWakeups(options: WakeupOptions): Promise<void> {
  const { store, signal, logger } = options;
  while (!signal.aborted) {
    try {
      for await (const item of store.tailEvents({
        ...options.tail,
        signal,
        logger,
        types: WAKE_EVENT_TYPES,
      })) {
        if (item.kind === 'gap') options.onGap();
        else if (item.event.target !== undefined)
          options.onEvent(item.event as SmsEvent & { target: string });
      }
    } catch (error) {
      if (signal.aborted) return;
      logger.error({ err: error }, 'event tail for ESME delivery ended; re-opening');
    }
    if (signal.aborted) return;
    options.onGap();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.tail?.retryDelayMs ?? 500);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}
