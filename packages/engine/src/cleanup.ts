import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Metrics, Store } from '@smsc/store';
import pino, { type Logger } from 'pino';
import { InvalidEngineOptionError } from './errors.ts';

export type CleanupOptions = {
  store: Store;
  /** Lease owner name. Default `<host>:<pid>:<random>`. */
  id?: string;
  /** Time between runs. Default 10 s. */
  intervalMs?: number;
  /** Leader lease: one active cleanup across processes. Default 60 s (renewed every run). */
  leaseMs?: number;
  /** Documents per write. Default 500. */
  batchSize?: number;
  /** Batches per step per run, so one run is bounded. Default 20. */
  maxBatchesPerRun?: number;
  /** Final records are kept this long, then purged. Default 7 days. */
  retentionMs?: number;
  /** A receipt still owed this long after the final transition was lost in a crash: queue it. Default 60 s. */
  receiptGraceMs?: number;
  logger?: Logger;
  metrics?: Metrics;
};

export type CleanupReport = {
  leasesReset: number;
  locksRemoved: number;
  expired: number;
  receiptsRecovered: number;
  purged: number;
};

export const CLEANUP_LEASE = 'cleanup';

/**
 * The cleanup role: resets messages whose lease ran out, removes destination locks whose lease ran
 * out, expires messages past validity, queues receipts a crash left owed, purges old final records.
 * Every step works in bounded batches; only the holder of the `cleanup` lease runs.
 */
export class Cleanup {
  readonly id: string;
  readonly #store: Store;
  readonly #o: Required<Omit<CleanupOptions, 'store' | 'id' | 'logger' | 'metrics'>>;
  readonly #logger: Logger;
  readonly #metrics: Metrics;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> = Promise.resolve();
  #closing: Promise<void> | null = null;

  constructor(options: CleanupOptions) {
    this.#store = options.store;
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.#o = {
      intervalMs: options.intervalMs ?? 10_000,
      leaseMs: options.leaseMs ?? 60_000,
      batchSize: options.batchSize ?? 500,
      maxBatchesPerRun: options.maxBatchesPerRun ?? 20,
      retentionMs: options.retentionMs ?? 7 * 24 * 3600_000,
      receiptGraceMs: options.receiptGraceMs ?? 60_000,
    };
    for (const [k, v] of Object.entries(this.#o)) {
      if (!(Number.isFinite(v) && v > 0))
        throw new InvalidEngineOptionError(`cleanup ${k} must be positive, got ${v}`);
    }
    if (this.#o.leaseMs <= this.#o.intervalMs)
      throw new InvalidEngineOptionError('cleanup leaseMs must be longer than intervalMs');
    this.#logger = (options.logger ?? pino({ level: 'silent' })).child({ role: 'cleanup', owner: this.id });
    this.#metrics = options.metrics ?? options.store.metrics;
  }

  start(): void {
    if (this.#timer || this.#closing) return;
    const tick = () => {
      this.#running = this.runOnce().catch((error: unknown) =>
        this.#logger.error({ err: error }, 'cleanup run failed'),
      );
    };
    this.#timer = setInterval(tick, this.#o.intervalMs);
    tick();
  }

  /** One run if this process holds (or wins) the lease; null otherwise. */
  async runOnce(): Promise<CleanupReport | null> {
    if (!(await this.#store.acquireLease(CLEANUP_LEASE, this.id, this.#o.leaseMs))) return null;
    const { batchSize } = this.#o;
    const now = this.#store.now();
    const report: CleanupReport = {
      leasesReset: await this.#repeat(() => this.#store.resetExpiredLeases(batchSize)),
      locksRemoved: await this.#repeat(() => this.#store.removeExpiredDestinationLocks(batchSize)),
      expired: await this.#repeat(() => this.#store.expireDue(batchSize)),
      receiptsRecovered: await this.#repeat(() =>
        this.#store.recoverReceipts(new Date(now.getTime() - this.#o.receiptGraceMs), batchSize),
      ),
      purged: await this.#repeat(() =>
        this.#store.purgeFinal(new Date(now.getTime() - this.#o.retentionMs), batchSize),
      ),
    };
    for (const [k, v] of Object.entries(report)) this.#metrics.inc('smsc_cleanup_total', { step: k }, v);
    if (Object.values(report).some((v) => v > 0)) this.#logger.info(report, 'cleanup run');
    return report;
  }

  async #repeat(step: () => Promise<number>): Promise<number> {
    let total = 0;
    for (let i = 0; i < this.#o.maxBatchesPerRun; i += 1) {
      const n = await step();
      total += n;
      if (n < this.#o.batchSize) break;
    }
    return total;
  }

  /** Stops the timer, waits for a run in progress, gives the lease up. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#timer) clearInterval(this.#timer);
      this.#timer = null;
      await this.#running;
      try {
        await this.#store.releaseLease(CLEANUP_LEASE, this.id);
      } catch (error) {
        this.#logger.warn({ err: error }, 'could not release the cleanup lease');
      }
    })();
    return this.#closing;
  }
}
