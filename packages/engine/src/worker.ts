import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type ClaimedBatch,
  type DestinationRelease,
  FINAL_STATES,
  isTransientStoreError,
  MAX_RECEIPT_BATCH,
  type Metrics,
  type QueueHandOff,
  type SmsEvent,
  type SmsRecord,
  type Store,
} from '@smsc/store';
import pino, { type Logger } from 'pino';
import {
  DuplicateTargetError,
  InvalidEngineOptionError,
  InvalidWorkerStateError,
  isClientClosedError,
} from './errors.ts';
import { Finisher, type ReceiptHandOff, type ReceiptHandOffs } from './finisher.ts';
import type { Outlet } from './outlet.ts';
import { createRetryPolicy, type RetryPolicy, type RetryPolicyOptions } from './retry-policy.ts';
import { type BatchRunner, runBatch } from './run-batch.ts';

export const WorkerState = {
  created: 'created',
  starting: 'starting',
  running: 'running',
  /** No new claims; batches in flight finish. */
  draining: 'draining',
  stopped: 'stopped',
  /** The store became unusable (client closed): nothing more happens; leases run out and others take over. */
  failed: 'failed',
} as const;
export type WorkerState = (typeof WorkerState)[keyof typeof WorkerState];

export type WorkerOptions = {
  store: Store;
  outlets: readonly Outlet[];
  /** Lock owner name, shown in locks and history. Default `<host>:<pid>:<random>`. */
  id?: string;
  /** Batches in flight at once (each for a different destination). Default 128. */
  concurrency?: number;
  /**
   * While work is plentiful (the last round filled every slot it had) and batches are in flight,
   * wait until this many slots are free before the next claim round, so that the round's fixed
   * number of commands serves several batches. Otherwise a worker claims as soon as one slot is
   * free. Default a quarter of concurrency (rounded up).
   */
  minClaimSlots?: number;
  /** Lease on a claimed destination and its messages. Default 30 s. */
  leaseMs?: number;
  /** Lease renewal period while a batch is in flight. Default leaseMs / 3. */
  renewEveryMs?: number;
  /** Safety-net scan, in case events were lost. Default 30 s. */
  scanIntervalMs?: number;
  /** Wait before looking again when due messages exist but their destinations are held elsewhere. Default 1 s. */
  busyRecheckMs?: number;
  /** Pause after a store error before trying again. Default 1 s. */
  errorBackoffMs?: number;
  retry?: RetryPolicyOptions | RetryPolicy;
  /**
   * How long finished batches wait for others before their outcomes are written together. Longer
   * means fewer commands per message and more latency before a destination is free again and a
   * receipt queued (not before delivery). Default 5 ms (0: the next turn of the event loop, where
   * batches that finish together still share one write).
   */
  recordLingerMs?: number;
  /**
   * With batches in flight and work not plentiful (moderate load), wait this long before a claim
   * round, so that one round takes the destinations that came due meanwhile instead of one round
   * each. An idle worker claims at once, and at full load the free slots set the pace. Default 5 ms.
   */
  claimLingerMs?: number;
  /**
   * Where the receipts owed by this worker's final transitions can be delivered at once (a worker
   * of this process serving their target, see offerReceiptClaim): they are stored already claimed
   * for it instead of queued for a claim round. Default: none, every receipt is queued.
   */
  receiptHandOffs?: ReceiptHandOffs;
  logger?: Logger;
  metrics?: Metrics;
  /** Event tailing (the wake-up source); `false` to rely on timers and poke() only. */
  tail?: false | { maxAwaitTimeMS?: number; retryDelayMs?: number };
};

export type DrainOptions = { timeoutMs?: number; signal?: AbortSignal };

function isPolicy(r: WorkerOptions['retry']): r is RetryPolicy {
  return typeof r === 'object' && r !== null && typeof (r as RetryPolicy).delayMs === 'function';
}

/** Waits for `promise`, at most `ms` or until `signal` aborts; leaves no timer behind. */
async function within(promise: Promise<unknown>, ms: number, signal?: AbortSignal): Promise<void> {
  const ac = new AbortController();
  const onAbort = () => ac.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) ac.abort();
  try {
    await Promise.race([promise, sleep(ms, undefined, { signal: ac.signal }).catch(() => undefined)]);
  } finally {
    ac.abort();
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * A delivery worker: wakes on events and at the next due time, claims messages by the lock
 * protocol (message, then destination, then up to three more), hands each batch to the outlet of its
 * target, renews the lease while the outlet works, and records the outcomes under the claim's token.
 */
export class Worker extends EventEmitter {
  readonly id: string;
  readonly #store: Store;
  readonly #outlets: Map<string, Outlet>;
  readonly #wildcard: Outlet | undefined;
  readonly #targets: string[];
  readonly #concurrency: number;
  readonly #leaseMs: number;
  readonly #renewEveryMs: number;
  readonly #scanIntervalMs: number;
  readonly #busyRecheckMs: number;
  readonly #errorBackoffMs: number;
  readonly #claimLingerMs: number;
  readonly #policy: RetryPolicy;
  readonly #logger: Logger;
  readonly #metrics: Metrics;
  readonly #tailOptions: WorkerOptions['tail'];
  readonly #finisher: Finisher;
  /** What runBatch needs of this worker, made once. */
  readonly #runner: BatchRunner;
  readonly #abort = new AbortController();
  readonly #inFlight = new Map<string, Promise<void>>();
  #state: WorkerState = WorkerState.created;
  #failure: unknown;
  readonly #minClaimSlots: number;
  /** Whether the claimer runs, the slots its round reserves, and pump calls so far. */
  #claiming = false;
  #reserved = 0;
  #wakes = 0;
  /** Destinations lost to other workers while the claimer runs. */
  readonly #lost = new Set<string>();
  /** Whether the last round found work for every slot it had. */
  #plentiful = false;
  /** Store time since which #lost has been filling. */
  #lostSince = 0;
  /**
   * The last look found messages due whose destinations are held elsewhere: the event of a final
   * transition (a destination freed) is then worth a claim round.
   */
  #awaitingRelease = false;
  /** A claim round has looked since the start: before that, a backlog may wait unseen. */
  #looked = false;
  /** Store time of the last round that looked for leases that ran out. */
  #lastTakeOver = Number.NEGATIVE_INFINITY;
  #listenWaiters: (() => void)[] = [];
  #timer: { at: number; handle: NodeJS.Timeout } | null = null;
  #scan: NodeJS.Timeout | null = null;
  #tailDone: Promise<void> = Promise.resolve();
  #closing: Promise<void> | null = null;
  #idleWaiters: (() => void)[] = [];

  constructor(options: WorkerOptions) {
    super();
    this.#store = options.store;
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.#concurrency = options.concurrency ?? 128;
    this.#minClaimSlots = Math.min(
      options.minClaimSlots ?? Math.ceil(this.#concurrency / 4),
      this.#concurrency,
    );
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#renewEveryMs = options.renewEveryMs ?? Math.max(1, Math.floor(this.#leaseMs / 3));
    this.#scanIntervalMs = options.scanIntervalMs ?? 30_000;
    this.#busyRecheckMs = options.busyRecheckMs ?? 1000;
    this.#errorBackoffMs = options.errorBackoffMs ?? 1000;
    this.#claimLingerMs = options.claimLingerMs ?? 5;
    const recordLingerMs = options.recordLingerMs ?? 5;
    for (const [name, v] of Object.entries({
      concurrency: this.#concurrency,
      leaseMs: this.#leaseMs,
      renewEveryMs: this.#renewEveryMs,
      scanIntervalMs: this.#scanIntervalMs,
      minClaimSlots: this.#minClaimSlots,
    })) {
      if (!(Number.isFinite(v) && v > 0))
        throw new InvalidEngineOptionError(`${name} must be positive, got ${v}`);
    }
    for (const [name, v] of Object.entries({
      recordLingerMs,
      claimLingerMs: this.#claimLingerMs,
    })) {
      if (!(Number.isFinite(v) && v >= 0))
        throw new InvalidEngineOptionError(`${name} must be zero or positive, got ${v}`);
    }
    if (this.#renewEveryMs >= this.#leaseMs)
      throw new InvalidEngineOptionError('renewEveryMs must be shorter than leaseMs');
    if (options.outlets.length === 0)
      throw new InvalidEngineOptionError('a worker needs at least one outlet');
    this.#outlets = new Map();
    for (const outlet of options.outlets) {
      for (const target of outlet.targets) {
        if (this.#outlets.has(target)) throw new DuplicateTargetError(target);
        this.#outlets.set(target, outlet);
      }
    }
    this.#wildcard = this.#outlets.get('*');
    this.#targets = this.#wildcard ? ['*'] : [...this.#outlets.keys()];
    this.#policy = isPolicy(options.retry) ? options.retry : createRetryPolicy(options.retry);
    this.#logger = (options.logger ?? pino({ level: 'silent' })).child({ worker: this.id });
    this.#metrics = options.metrics ?? options.store.metrics;
    this.#tailOptions = options.tail;
    this.#finisher = new Finisher(this.#store, this.#logger, recordLingerMs, options.receiptHandOffs);
    this.#runner = {
      owner: this.id,
      store: this.#store,
      logger: this.#logger,
      metrics: this.#metrics,
      policy: this.#policy,
      leaseMs: this.#leaseMs,
      renewEveryMs: this.#renewEveryMs,
      stopped: this.#abort.signal,
      outletFor: (target) => this.#outletFor(target),
      finish: (items, release) => this.#finisher.submit(items, release),
    };
  }

  get state(): WorkerState {
    return this.#state;
  }

  /** Why the worker failed, if it did. */
  get failure(): unknown {
    return this.#failure;
  }

  get inFlight(): number {
    return this.#inFlight.size;
  }

  #setState(state: WorkerState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#logger.info({ state }, 'worker state');
    this.emit('state', state);
  }

  /** Starts tailing and claiming; resolves once the event feed is placed (bounded by 5 s). */
  async start(): Promise<void> {
    if (this.#state !== WorkerState.created)
      throw new InvalidWorkerStateError(`cannot start a worker in state ${this.#state}`);
    this.#setState(WorkerState.starting);
    let listening: () => void = () => undefined;
    const placed = new Promise<void>((resolve) => {
      listening = resolve;
    });
    if (this.#tailOptions !== false) this.#tailDone = this.#tail(listening);
    else listening();
    this.#scan = setInterval(() => this.#pump(), this.#scanIntervalMs);
    await within(placed, 5000, this.#abort.signal);
    // stop() may have run while we waited.
    if ((this.#state as WorkerState) !== WorkerState.starting) return;
    this.#setState(WorkerState.running);
    this.#pump();
  }

  /**
   * A claim for receipts of this worker's targets, for another worker's finish to store them locked
   * by (Store.finish claimReceipts): adopt() then dispatches them without a claim round. Undefined
   * unless running with fewer batches in flight than its concurrency; slots a claim round has
   * reserved are not counted, so a round in progress does not turn receipts away (together they
   * may exceed the concurrency by a round and the batches of one hand-off). Such receipts hold no
   * destination lock: their lanes only spread queued receipts, and receipts keep no order.
   */
  offerReceiptClaim(): ReceiptHandOff | undefined {
    if (this.#state !== WorkerState.running || this.#inFlight.size >= this.#concurrency) return undefined;
    const token = this.#store.newToken();
    return {
      owner: this.id,
      token,
      leaseMs: this.#leaseMs,
      adopt: (receipts) => this.#adopt(token, receipts),
    };
  }

  #adopt(token: string, receipts: SmsRecord[]): void {
    if (this.#state !== WorkerState.running) {
      this.#giveBack(token, receipts);
      return;
    }
    for (let i = 0; i < receipts.length; i += MAX_RECEIPT_BATCH) {
      const batch = receipts.slice(i, i + MAX_RECEIPT_BATCH);
      this.#dispatch((batch[0] as SmsRecord).destMsisdn, token, batch, {
        key: `${token}/${i}`,
        lockless: true,
        adopted: true,
      });
    }
  }

  /**
   * A claim for messages of this worker's targets as this process's inserter stores them
   * (createBatchQueue `claims`): their destinations are locked under its token before the insert,
   * and adopt() dispatches the batches without a claim round. Undefined unless running, not behind
   * (a round has looked, and the last one found less than its slots' worth) and with fewer batches
   * in flight than its concurrency; it takes at most that many destinations (a claim round in
   * progress may add its own, as with receipts).
   */
  offerQueueClaim(): QueueHandOff | undefined {
    const free = this.#concurrency - this.#inFlight.size;
    // Behind a backlog (the last round found work for every slot it had), messages are queued: a
    // backlog's destinations are mostly held or have older messages waiting, so the claim would
    // be given back after costing its commands, while claim rounds take a backlog in batches.
    if (this.#state !== WorkerState.running || free <= 0 || !this.#looked || this.#plentiful)
      return undefined;
    const token = this.#store.newToken();
    return {
      owner: this.id,
      token,
      leaseMs: this.#leaseMs,
      maxDestinations: free,
      adopt: (batches) => this.#adoptBatches(token, batches),
    };
  }

  #adoptBatches(token: string, batches: ClaimedBatch[]): void {
    for (const { destMsisdn, batch } of batches) {
      if (this.#state !== WorkerState.running) this.#giveBack(token, batch, { destMsisdn, token });
      // A batch of ours for the destination may not have left #inFlight yet (its lock is released).
      else
        this.#dispatch(destMsisdn, token, batch, {
          key: this.#inFlight.has(destMsisdn) ? `${token}/${destMsisdn}` : destMsisdn,
          adopted: true,
        });
    }
  }

  /** Stopping since an offer: adopted messages go back to `queued` now rather than when their lease runs out. */
  #giveBack(token: string, messages: SmsRecord[], release?: DestinationRelease): void {
    const owner = this.id;
    const released = messages.map((message) => ({
      message,
      token,
      owner,
      outcome: { type: 'released' } as const,
    }));
    this.#finisher.submit(released, release).catch((error: unknown) => {
      this.#logger.warn({ err: error }, 'giving back adopted messages failed: they wait for their lease');
    });
  }

  /** An event from a tail this worker does not own (one shared by the workers of a process). */
  notify(event: SmsEvent): void {
    this.#onEvent(event);
  }

  /** Look for due work now (admin "retry now", tests with a hand-moved clock). */
  poke(): void {
    this.#pump();
  }

  /** Resolves when no claim round is running and no batch is in flight. */
  whenIdle(): Promise<void> {
    if (!this.#claiming && this.#inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #checkIdle(): void {
    this.#maybeListen();
    if (this.#claiming || this.#inFlight.size > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Stops claiming, lets batches in flight finish (up to timeoutMs or the signal), then stops. */
  async drain(options: DrainOptions = {}): Promise<void> {
    if (this.#state === WorkerState.running || this.#state === WorkerState.starting)
      this.#setState(WorkerState.draining);
    // whenIdle, not a snapshot of the batches: a claim in progress may still dispatch one.
    await within(this.whenIdle(), options.timeoutMs ?? this.#leaseMs, options.signal);
    return this.stop();
  }

  /** Stops at once: outlets are told to abort, then their results are recorded. Idempotent. */
  stop(): Promise<void> {
    this.#closing ??= this.#shutdown(WorkerState.stopped);
    return this.#closing;
  }

  /** Same as stop(): one closing promise whatever the number of calls. */
  close(): Promise<void> {
    return this.stop();
  }

  async #shutdown(final: WorkerState): Promise<void> {
    if (this.#state !== WorkerState.failed) this.#setState(WorkerState.draining);
    // Each clean-up guarded, so one failure does not skip the rest.
    const steps: [string, () => unknown][] = [
      ['timers', () => this.#clearTimers()],
      [
        'abort',
        () => {
          this.#abort.abort();
          this.#maybeListen();
        },
      ],
      // An outlet that ignores its signal is waited for at most one lease; then its claims run out.
      ['batches', () => within(this.whenIdle(), this.#leaseMs)],
      ['tail', () => this.#tailDone],
    ];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (error) {
        this.#logger.warn({ err: error, step: name }, 'worker clean-up step failed');
      }
    }
    if (this.#state !== WorkerState.failed) this.#setState(final);
    this.#checkIdle();
  }

  #fail(error: unknown): void {
    if (this.#state === WorkerState.failed || this.#state === WorkerState.stopped) return;
    this.#failure = error;
    this.#logger.error({ err: error }, 'worker failed');
    this.#setState(WorkerState.failed);
    this.#closing ??= this.#shutdown(WorkerState.failed);
  }

  #clearTimers(): void {
    if (this.#timer) clearTimeout(this.#timer.handle);
    this.#timer = null;
    if (this.#scan) clearInterval(this.#scan);
    this.#scan = null;
  }

  #freeSlots(): number {
    return this.#concurrency - this.#inFlight.size - this.#reserved;
  }

  /** Running, and enough slots free for a round (any one when nothing is in flight). */
  #canClaim(): boolean {
    if (this.#state !== WorkerState.running) return false;
    // Waiting for several free slots only pays while work is plentiful; when the last round found
    // less than it had room for, a message waiting now would only wait longer.
    const wait = this.#inFlight.size > 0 && this.#plentiful;
    return this.#freeSlots() >= (wait ? this.#minClaimSlots : 1);
  }

  #arm(at: number): void {
    if (this.#state !== WorkerState.running && this.#state !== WorkerState.starting) return;
    if (this.#timer && this.#timer.at <= at) return;
    if (this.#timer) clearTimeout(this.#timer.handle);
    const delay = Math.min(Math.max(0, at - this.#store.now().getTime()), 2 ** 31 - 1);
    const handle = setTimeout(() => {
      this.#timer = null;
      this.#pump();
    }, delay);
    this.#timer = { at, handle };
  }

  async #tail(listening: () => void): Promise<void> {
    const options = this.#tailOptions === false ? {} : (this.#tailOptions ?? {});
    const feed = this.#store.tailEvents({ ...options, signal: this.#abort.signal, logger: this.#logger });
    try {
      for (;;) {
        // While the claimer runs or too few slots are free, events add nothing (the worker looks for
        // work anyway when a round or a batch ends), so stop reading: no getMore per event at load.
        // Events meanwhile wait in the capped collection and are read in one batch afterwards.
        await this.#whenListening();
        const next = await feed.next();
        if (next.done) return;
        const item = next.value;
        if (item.kind === 'gap') {
          listening();
          this.#pump();
        } else this.#onEvent(item.event);
      }
    } catch (error) {
      if (this.#abort.signal.aborted) return;
      if (isClientClosedError(error)) this.#fail(error);
      else this.#logger.error({ err: error }, 'event tail ended');
    } finally {
      listening();
      await feed.return(undefined).catch(() => undefined);
    }
  }

  #busy(): boolean {
    return this.#claiming || (this.#state === WorkerState.running && !this.#canClaim());
  }

  #whenListening(): Promise<void> {
    if (!this.#busy() || this.#abort.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      this.#listenWaiters.push(resolve);
    });
  }

  #maybeListen(): void {
    if (this.#busy() && !this.#abort.signal.aborted) return;
    const waiters = this.#listenWaiters;
    this.#listenWaiters = [];
    for (const w of waiters) w();
  }

  #accepts(target: string): boolean {
    return this.#wildcard !== undefined || this.#outlets.has(target);
  }

  #onEvent(event: SmsEvent): void {
    if (event.target === undefined || !this.#accepts(event.target)) return;
    // A final transition only frees its destination: no claim round for it unless one waits for
    // that (or a round runs now, which may have met the destination still held). At load the
    // receipts' and messages' delivered events otherwise set off a round each on an idle worker.
    const final = event.state !== undefined && FINAL_STATES.includes(event.state);
    if (final && !this.#claiming && !this.#awaitingRelease) return;
    if (event.due && event.due.getTime() > this.#store.now().getTime()) {
      this.#arm(event.due.getTime());
      return;
    }
    this.#pump();
  }

  /** Starts the claimer unless it runs: it then sees the new wake count and looks again. */
  #pump(): void {
    this.#wakes += 1;
    if (this.#claiming || !this.#canClaim()) return;
    void this.#claimer();
  }

  async #claimer(): Promise<void> {
    this.#claiming = true;
    try {
      while (this.#canClaim()) {
        const wakes = this.#wakes;
        if (this.#claimLingerMs > 0 && this.#inFlight.size > 0 && !this.#plentiful) {
          await sleep(this.#claimLingerMs, undefined, { signal: this.#abort.signal }).catch(() => undefined);
          if (!this.#canClaim()) break;
        }
        const slots = this.#freeSlots();
        this.#reserved = slots;
        let found: boolean;
        try {
          found = await this.#claimRound(slots);
        } finally {
          this.#reserved = 0;
        }
        if (found) {
          this.#awaitingRelease = false;
          continue;
        }
        // Nothing claimable. Look again only if something happened meanwhile; otherwise set the
        // timer from the next due time and sleep.
        if (this.#wakes !== wakes) continue;
        await this.#armFromNextDue();
        // A wake-up while the timer was being set is for this claimer too (there is no other).
        if (this.#wakes === wakes) break;
      }
    } catch (error) {
      this.#onStoreError(error);
    } finally {
      this.#claiming = false;
      // Destinations lost while the claimer ran may be claimed again next time.
      this.#lost.clear();
      this.#checkIdle();
    }
  }

  #onStoreError(error: unknown): void {
    if (isClientClosedError(error)) {
      this.#fail(error);
      return;
    }
    this.#metrics.inc('smsc_worker_errors_total');
    if (isTransientStoreError(error)) this.#logger.warn({ err: error }, 'store unavailable, will retry');
    else this.#logger.error({ err: error }, 'claim round failed');
    this.#arm(this.#store.now().getTime() + this.#errorBackoffMs);
  }

  /**
   * One round of the protocol (BRIEF, "The lock protocol") for up to `slots` destinations at once:
   * their due heads, then the destinations, then up to four messages each (Store.claimMany), one
   * batch dispatched per destination won. Leases that ran out are looked for at most once per
   * busyRecheckMs. True when a batch was dispatched or a destination was lost (look again).
   */
  async #claimRound(slots: number): Promise<boolean> {
    const now = this.#store.now().getTime();
    const takeOver = now - this.#lastTakeOver >= this.#busyRecheckMs;
    if (takeOver) this.#lastTakeOver = now;
    // At steady load the claimer may loop for long: lost destinations are tried again after a while.
    if (this.#lost.size > 0 && now - this.#lostSince >= this.#busyRecheckMs) this.#lost.clear();
    if (this.#lost.size === 0) this.#lostSince = now;
    const { token, batches, lost } = await this.#store.claimMany({
      owner: this.id,
      token: this.#store.newToken(),
      leaseMs: this.#leaseMs,
      targets: this.#targets,
      exclude: [...this.#inFlight.keys(), ...this.#lost],
      maxDestinations: slots,
      takeOver,
    });
    this.#plentiful = batches.length + lost.length >= slots;
    this.#looked = true;
    for (const d of lost) this.#lost.add(d);
    for (const b of batches) this.#dispatch(b.destMsisdn, token, b.batch);
    return batches.length > 0 || lost.length > 0;
  }

  async #armFromNextDue(): Promise<void> {
    const next = await this.#store.nextDue(this.#targets);
    const now = this.#store.now().getTime();
    this.#awaitingRelease = next !== null && next.getTime() <= now;
    if (!next) return;
    // Due but not claimable: their destinations are held (by us or others). Their release writes
    // events that wake us; the recheck is only a fallback, so the worker never spins.
    this.#arm(next.getTime() <= now ? now + this.#busyRecheckMs : next.getTime());
  }

  /**
   * `key`: the batch's name among those in flight (default its destination); `lockless`: it holds
   * no destination lock (adopted receipts); `adopted`: handed over, not found by a claim round.
   */
  #dispatch(
    dest: string,
    token: string,
    batch: SmsRecord[],
    how: { key?: string; lockless?: boolean; adopted?: boolean } = {},
  ): void {
    const key = how.key ?? dest;
    const lockless = how.lockless === true;
    this.#metrics.inc('smsc_batches_total', { size: String(batch.length) });
    const run = runBatch(this.#runner, dest, token, batch, lockless)
      .catch((error: unknown) => {
        // The claims stay locked until their lease runs out; then any worker takes them over.
        if (isClientClosedError(error)) this.#fail(error);
        else this.#logger.error({ err: error, destMsisdn: dest }, 'recording a batch failed');
      })
      .finally(() => {
        this.#inFlight.delete(key);
        this.#metrics.set('smsc_batches_in_flight', this.#inFlight.size, { worker: this.id });
        // A claimed batch frees its destination, behind which more may wait. An adopted one is
        // worth a round only when slots were what held work back, or when the last look found due
        // messages of held destinations (this one may be among them): otherwise each adopted batch
        // at load set off an empty round.
        if (!how.adopted || this.#plentiful || (!lockless && this.#awaitingRelease)) this.#pump();
        this.#checkIdle();
      });
    this.#inFlight.set(key, run);
    this.#metrics.set('smsc_batches_in_flight', this.#inFlight.size, { worker: this.id });
  }

  #outletFor(target: string): Outlet {
    const outlet = this.#outlets.get(target) ?? this.#wildcard;
    // claimMany only returns our targets, so this holds by construction.
    if (!outlet) throw new InvalidEngineOptionError(`no outlet for target ${target}`);
    return outlet;
  }
}
