import { EventEmitter } from 'node:events';
import { createRetryPolicy, type RetryPolicy, Worker, type WorkerOptions } from '@smsc/engine';
import type { ReceiverChange, SessionRegistry } from '@smsc/inserter';
import type { QueueHandOff, Store } from '@smsc/store';
import pino, { type Logger } from 'pino';
import { EsmeDeliveryClosedError, InvalidEsmeOutletOptionError } from './errors.ts';
import { EsmeOutlet } from './esme-outlet.ts';
import { esmeRetry, isRetryPolicy } from './retry.ts';
import { esmeTarget } from './targets.ts';
import { followWakeups } from './wakeups.ts';

/**
 * Worker options shared by every account's worker (store, outlets, id and logger are set here).
 * `tail` configures the one event tail the workers share (`false`: timers and binds only).
 */
export type EsmeWorkerOptions = Omit<WorkerOptions, 'store' | 'outlets' | 'id' | 'logger'>;

export type EsmeDeliveryOptions = {
  store: Store;
  registry: SessionRegistry;
  /** Prefix of the workers' lock owner names (`<id>/esme:<account>`). Default `<host>:<pid>`-like from the engine. */
  id?: string;
  worker?: EsmeWorkerOptions;
  /** Wait for each deliver_sm_resp. Default: the session's response timeout. */
  responseTimeoutMs?: number;
  /** When an account's last receiving bind goes, how long its batches in flight may take to finish. Default 5000 ms. */
  idleDrainMs?: number;
  logger?: Logger;
};

export type EsmeDeliveryEvents = {
  /** A worker started for an account that got its first receiving bind here. */
  workerStarted: [accountId: string];
  /** An account's worker stopped (no receiving bind left, or close()). */
  workerStopped: [accountId: string];
};

/**
 * Delivery to ESMEs bound on this process. The engine's Worker claims by a fixed set of targets,
 * so each account with a receiving bind here gets a worker of its own whose only target is
 * `esme:<account>`: the process never claims a message it has no session for, and a new bind
 * starts its waiting messages at once (the worker's first claim round runs on start).
 */
export class EsmeDelivery extends EventEmitter<EsmeDeliveryEvents> {
  readonly #o: EsmeDeliveryOptions;
  readonly #logger: Logger;
  readonly #idleDrainMs: number;
  /** One policy for the workers and their outlets: the outlet fixes delays that the worker applies. */
  readonly #policy: RetryPolicy;
  readonly #workers = new Map<string, Worker>();
  readonly #stopping = new Set<Promise<void>>();
  readonly #tailAbort = new AbortController();
  #tailDone: Promise<void> = Promise.resolve();
  #started = false;
  #closing: Promise<void> | null = null;

  constructor(options: EsmeDeliveryOptions) {
    super();
    this.#o = options;
    this.#idleDrainMs = options.idleDrainMs ?? 5000;
    if (!(Number.isFinite(this.#idleDrainMs) && this.#idleDrainMs >= 0))
      throw new InvalidEsmeOutletOptionError(`idleDrainMs must be >= 0, got ${this.#idleDrainMs}`);
    this.#logger = (options.logger ?? pino({ level: 'silent' })).child({ component: 'esme-delivery' });
    const retry = esmeRetry(options.worker?.retry);
    this.#policy = isRetryPolicy(retry) ? retry : createRetryPolicy(retry);
  }

  /** Accounts that have a worker running here. */
  get accounts(): string[] {
    return [...this.#workers.keys()];
  }

  /** The worker of an account (tests, admin "retry now"). */
  worker(accountId: string): Worker | undefined {
    return this.#workers.get(accountId);
  }

  readonly #onOpened = (change: ReceiverChange): void => {
    const existing = this.#workers.get(change.accountId);
    // Another bind of the same account: more capacity, so look for work now.
    if (existing) existing.poke();
    else this.#startWorker(change.accountId);
  };

  readonly #onClosed = (change: ReceiverChange): void => {
    if (change.count > 0) return;
    this.#stopWorker(change.accountId, this.#idleDrainMs);
  };

  /** Follows the registry: a worker per account with a receiving bind, from the binds open now on. */
  start(): void {
    if (this.#closing) throw new EsmeDeliveryClosedError();
    if (this.#started) return;
    this.#started = true;
    this.#o.registry.on('receiverOpened', this.#onOpened);
    this.#o.registry.on('receiverClosed', this.#onClosed);
    for (const accountId of this.#o.registry.receivingAccounts()) this.#startWorker(accountId);
    const tail = this.#o.worker?.tail;
    if (tail !== false) {
      this.#tailDone = followWakeups({
        store: this.#o.store,
        signal: this.#tailAbort.signal,
        logger: this.#logger,
        ...(tail ? { tail } : {}),
        onEvent: (event) => this.#byTarget(event.target)?.notify(event),
        onGap: () => {
          for (const worker of this.#workers.values()) worker.poke();
        },
      });
    }
  }

  /**
   * Where messages for `target` can be stored claimed (the inserter's `claims`): the worker of the
   * account if it runs here, else undefined (they are queued).
   */
  offerQueueClaim(target: string): QueueHandOff | undefined {
    return this.#byTarget(target)?.offerQueueClaim();
  }

  #byTarget(target: string): Worker | undefined {
    // Targets of this outlet are `esme:<account>` (see targets.ts); anything else is not ours.
    const prefix = esmeTarget('');
    return target.startsWith(prefix) ? this.#workers.get(target.slice(prefix.length)) : undefined;
  }

  #startWorker(accountId: string): void {
    if (this.#closing) return;
    const outlet = new EsmeOutlet({
      accountId,
      registry: this.#o.registry,
      retryPolicy: this.#policy,
      ...(this.#o.responseTimeoutMs !== undefined ? { responseTimeoutMs: this.#o.responseTimeoutMs } : {}),
    });
    const worker = new Worker({
      ...this.#o.worker,
      retry: this.#policy,
      // The shared tail pokes it; a poke for a retry due later just arms its timer.
      tail: false,
      // Receipts for an account bound here go straight to its worker, claimed as they are stored.
      receiptHandOffs: (target) => this.#byTarget(target)?.offerReceiptClaim(),
      store: this.#o.store,
      outlets: [outlet],
      ...(this.#o.id !== undefined ? { id: `${this.#o.id}/${outlet.name}` } : {}),
      logger: this.#logger.child({ accountId }),
    });
    this.#workers.set(accountId, worker);
    // A failed worker (its MongoDB client closed) claims nothing more: forget it, so that the next
    // bind of the account starts a fresh one instead of poking a dead one.
    worker.on('state', (state: string) => {
      if (state !== 'failed' || this.#workers.get(accountId) !== worker) return;
      this.#workers.delete(accountId);
      this.#logger.error({ accountId, err: worker.failure }, 'account worker failed');
      this.emit('workerStopped', accountId);
    });
    this.#logger.info({ accountId, worker: worker.id }, 'delivering to the account through its binds here');
    worker.start().then(
      () => this.emit('workerStarted', accountId),
      (error: unknown) => this.#logger.error({ err: error, accountId }, 'worker failed to start'),
    );
  }

  #stopWorker(accountId: string, drainMs: number): void {
    const worker = this.#workers.get(accountId);
    if (!worker) return;
    this.#workers.delete(accountId);
    this.#logger.info({ accountId }, 'no receiving bind left here: stopping the account worker');
    const done = worker
      .drain({ timeoutMs: drainMs })
      .catch((error: unknown) => this.#logger.warn({ err: error, accountId }, 'worker stop failed'))
      .finally(() => {
        this.#stopping.delete(done);
        this.emit('workerStopped', accountId);
      });
    this.#stopping.add(done);
  }

  /**
   * Stops following the registry, lets batches in flight finish (up to `timeoutMs`, default
   * idleDrainMs) and stops every worker. Idempotent: one closing promise.
   */
  close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.#closing ??= (async () => {
      this.#o.registry.off('receiverOpened', this.#onOpened);
      this.#o.registry.off('receiverClosed', this.#onClosed);
      this.#tailAbort.abort();
      for (const accountId of [...this.#workers.keys()])
        this.#stopWorker(accountId, options.timeoutMs ?? this.#idleDrainMs);
      await Promise.allSettled([...this.#stopping, this.#tailDone]);
    })();
    return this.#closing;
  }
}
