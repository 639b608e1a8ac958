import type { DestinationRelease, FinishItem, ReceiptClaim, SmsRecord, Store } from '@smsc/store';
import type { Logger } from 'pino';

/** A claim on receipts for a worker that delivers them at once (Worker.offerReceiptClaim). */
export type ReceiptHandOff = ReceiptClaim & {
  /** Takes the receipts stored locked by this claim; never throws. */
  adopt(receipts: SmsRecord[]): void;
};

/** Where receipts for `target` can go at once, if anywhere. */
export type ReceiptHandOffs = (target: string) => ReceiptHandOff | undefined;

type Pending = {
  items: FinishItem[];
  release: DestinationRelease | undefined;
  resolve: (applied: Set<string>) => void;
  reject: (error: unknown) => void;
};

/**
 * Coalesces the results of batches that finish close together into one `store.finish`: one
 * bulkWrite, one deleteMany of destination locks and one insertMany of events per flush, however
 * many batches it carries. A flush starts on the next turn of the event loop; batches that finish
 * while it runs go into the next one, so the busier the worker, the larger each flush.
 */
export class Finisher {
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #lingerMs: number;
  readonly #handOffs: ReceiptHandOffs | undefined;
  #queue: Pending[] = [];
  #flushing = false;
  #scheduled = false;

  /**
   * `lingerMs`: wait this long for more batches before a flush (0: the next turn of the loop).
   * `handOffs`: receipts owed by the outcomes are stored claimed for these and handed to them.
   */
  constructor(store: Store, logger: Logger, lingerMs = 0, handOffs?: ReceiptHandOffs) {
    this.#store = store;
    this.#logger = logger;
    this.#lingerMs = lingerMs;
    this.#handOffs = handOffs;
  }

  /** `release`: the destination lock to free with these outcomes (none for a lost race's message). */
  submit(items: FinishItem[], release?: DestinationRelease): Promise<Set<string>> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ items, release, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#flushing || this.#scheduled) return;
    this.#scheduled = true;
    setTimeout(() => {
      this.#scheduled = false;
      void this.#flush();
    }, this.#lingerMs);
  }

  async #flush(): Promise<void> {
    const pending = this.#queue;
    this.#queue = [];
    if (pending.length === 0) return;
    this.#flushing = true;
    try {
      const { applied, claimedReceipts } = await this.#store.finish(
        pending.flatMap((p) => p.items),
        pending.flatMap((p) => (p.release ? [p.release] : [])),
        this.#handOffs ? { claimReceipts: this.#handOffs } : {},
      );
      for (const c of claimedReceipts) c.claim.adopt(c.receipts);
      for (const p of pending) p.resolve(applied);
    } catch (error) {
      this.#logger.warn({ err: error, batches: pending.length }, 'finishing batches failed');
      for (const p of pending) p.reject(error);
    } finally {
      this.#flushing = false;
      if (this.#queue.length > 0) this.#schedule();
    }
  }
}
