import type { DestinationRelease, FinishItem, Metrics, SmsRecord, Store } from '@smsc/store';
import type { Logger } from 'pino';
import { lazyChild } from './lazy-logger.ts';
import { toOutcome } from './outcomes.ts';
import type { DeliveryResult, Outlet } from './outlet.ts';
import type { RetryPolicy } from './retry-policy.ts';

/** What a batch's run needs of its worker. */
export type BatchRunner = {
  owner: string;
  store: Store;
  logger: Logger;
  metrics: Metrics;
  policy: RetryPolicy;
  leaseMs: number;
  renewEveryMs: number;
  /** Aborts when the worker stops: the outlet is told through its own signal. */
  stopped: AbortSignal;
  outletFor(target: string): Outlet;
  /** Records outcomes (the worker's Finisher): the ids whose transition applied. */
  finish(items: FinishItem[], release?: DestinationRelease): Promise<Set<string>>;
};

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Step 4 and 5 for one claimed batch: hands it to the outlet of its target, renews the lease while
 * the outlet works (by destination, or by token for a batch without a destination lock), and
 * records each message's outcome under the claim's token, releasing the destination with them.
 */
export async function runBatch(
  w: BatchRunner,
  dest: string,
  token: string,
  batch: SmsRecord[],
  lockless: boolean,
): Promise<void> {
  const first = batch[0] as SmsRecord;
  const outlet = w.outletFor(first.target);
  const log = lazyChild(w.logger, () => ({
    destMsisdn: dest,
    outlet: outlet.name,
    messageIds: batch.map((m) => m._id),
  }));
  const ac = new AbortController();
  const onStop = () => ac.abort(w.stopped.reason);
  w.stopped.addEventListener('abort', onStop, { once: true });
  const renew = setInterval(() => {
    const extended = lockless
      ? w.store.extendClaim(token, w.leaseMs)
      : w.store.extendLease(dest, token, w.leaseMs);
    extended.then(
      (held) => {
        if (held) return;
        log.warn('lease on the destination lost during delivery');
        ac.abort(new Error('lease lost'));
      },
      (error: unknown) => log.warn({ err: error }, 'lease renewal failed'),
    );
  }, w.renewEveryMs);

  const started = w.store.now();
  const sendable = batch.filter((m) => m.expiresAt > started);
  let results: DeliveryResult[] = [];
  try {
    if (sendable.length > 0) {
      for (const m of sendable) log.debug({ messageId: m._id }, 'delivering');
      results = await outlet.deliver(dest, sendable, { signal: ac.signal, logger: log });
    }
  } catch (error) {
    log.warn({ err: error }, 'outlet failed');
    results = sendable.map(() => ({ status: 'temporary', error: errorText(error), errorClass: 'outlet' }));
  } finally {
    clearInterval(renew);
    w.stopped.removeEventListener('abort', onStop);
  }

  // Recorded even if the lease was lost: the token decides. If nobody took a message over,
  // our result is the truth; if someone did, our write is fenced and changes nothing.
  const done = w.store.now();
  const owner = w.owner;
  const items = batch.map((message) => {
    const i = sendable.indexOf(message);
    const outcome =
      i < 0 ? ({ type: 'expired' } as const) : toOutcome(message, results[i], w.policy, done, outlet.name);
    w.metrics.inc('smsc_deliveries_total', { outcome: outcome.type, outlet: outlet.name });
    return { message, token, owner, outcome };
  });
  const applied = await w.finish(items, lockless ? undefined : { destMsisdn: dest, token });
  for (const item of items) {
    const fenced = !applied.has(item.message._id);
    log[fenced ? 'info' : 'debug'](
      { messageId: item.message._id, outcome: item.outcome.type, fenced },
      'delivery recorded',
    );
  }
}
