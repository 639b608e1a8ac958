/**
 * Group commit for submits: a lone submit is written at once (no timer); submits that arrive while
 * writes are in flight wait for a free write slot and then go together, several messages per round
 * trip. Submits dispatched in the same tick (one TCP read of many PDUs) share their first write.
 */
import type { QueueInput, QueueManyResult } from '@smsc/store';

export type WriteMany = (inputs: readonly QueueInput[]) => Promise<QueueManyResult[]>;

export interface GroupWriterOptions {
  /** Most messages in one write. Default 256. */
  maxGroup?: number;
  /** Writes in flight at once. Default 2. */
  maxConcurrentWrites?: number;
}

interface Waiting {
  inputs: readonly QueueInput[];
  resolve: (results: QueueManyResult[]) => void;
}

export class GroupWriter {
  private readonly write: WriteMany;
  private readonly maxGroup: number;
  private readonly maxConcurrent: number;
  private readonly waiting: Waiting[] = [];
  private writing = 0;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];
  /** Group sizes written so far, for metrics and tests. */
  readonly stats = { writes: 0, messages: 0, largestGroup: 0 };

  constructor(write: WriteMany, options: GroupWriterOptions = {}) {
    this.write = write;
    this.maxGroup = options.maxGroup ?? 256;
    this.maxConcurrent = options.maxConcurrentWrites ?? 2;
  }

  /** Resolves with one result per input, in order; never rejects. */
  submit(inputs: readonly QueueInput[]): Promise<QueueManyResult[]> {
    return new Promise((resolve) => {
      this.waiting.push({ inputs, resolve });
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  /** Messages accepted but not yet written or answered. */
  get pending(): number {
    return this.waiting.length + this.writing;
  }

  /** Resolves when nothing is waiting or being written. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.waiting.length > 0 && this.writing < this.maxConcurrent) {
      const group: Waiting[] = [];
      let size = 0;
      // A submit_multi larger than maxGroup still goes whole, in a group of its own.
      while (
        this.waiting.length > 0 &&
        (size === 0 || size + this.waiting[0]!.inputs.length <= this.maxGroup)
      ) {
        const w = this.waiting.shift()!;
        group.push(w);
        size += w.inputs.length;
      }
      this.writing += 1;
      void this.flush(group, size);
    }
  }

  private async flush(group: Waiting[], size: number): Promise<void> {
    const inputs = group.flatMap((w) => w.inputs);
    let results: QueueManyResult[];
    try {
      results = await this.write(inputs);
    } catch (error) {
      results = inputs.map(() => ({ ok: false, error }) as const);
    }
    this.stats.writes += 1;
    this.stats.messages += size;
    this.stats.largestGroup = Math.max(this.stats.largestGroup, size);
    let offset = 0;
    for (const w of group) {
      w.resolve(results.slice(offset, offset + w.inputs.length));
      offset += w.inputs.length;
    }
    this.writing -= 1;
    this.pump();
    if (this.pending === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
