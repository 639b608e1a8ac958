import { Timestamp } from 'bson';
import { bsonEquals } from './bson-order.ts';
import { MongoCommandError } from './errors.ts';
import type { Document } from './wire.ts';

export type ChangeKind = 'insert' | 'update' | 'replace' | 'delete' | 'drop' | 'dropDatabase';

/** One entry of the server-wide change log: what a change stream event is built from. */
export type ChangeEntry = {
  readonly seq: number;
  readonly kind: ChangeKind;
  readonly db: string;
  readonly coll: string | undefined;
  readonly documentKey?: Document;
  readonly fullDocument?: Document;
  /** Update events: the document before, to describe the change only if a stream reads it. */
  readonly before?: Document;
  readonly wallTime: Date;
};

// Enough history for a stream to resume after a pause; older tokens get ChangeStreamHistoryLost,
// as on MongoDB when the oplog has rolled over.
const RETAINED = 100_000;

/**
 * The oplog stand-in behind change streams: every committed write appends here, in commit order,
 * and waiting change stream getMores wake on append.
 *
 * It records from the first change stream on. Before that no client can hold a resume token or an
 * operation time of this server, so no stream could ask for earlier entries; and the last 100,000
 * writes' documents, kept alive for nobody, cost the garbage collector (the SMSC opens no change
 * stream: its tailable cursors read the capped collection itself).
 */
export class ChangeLog {
  #entries: ChangeEntry[] = [];
  #head = 0;
  #next = 1;
  #recording = false;
  readonly #waiters = new Set<() => void>();

  /** Whether writes are recorded: writers skip building entries while not. */
  get recording(): boolean {
    return this.#recording;
  }

  /** Called as a change stream opens, before it reads `lastSeq`. */
  record(): void {
    this.#recording = true;
  }

  get lastSeq(): number {
    return this.#next - 1;
  }

  get oldestSeq(): number {
    return this.#entries[this.#head]?.seq ?? this.#next;
  }

  append(entry: Omit<ChangeEntry, 'seq' | 'wallTime'>): void {
    if (!this.#recording) return;
    this.#entries.push({ ...entry, seq: this.#next++, wallTime: new Date() });
    if (this.#entries.length - this.#head > RETAINED) this.#head++;
    if (this.#head > 4096 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
    if (this.#waiters.size > 0) for (const w of [...this.#waiters]) w();
  }

  *after(seq: number): Generator<ChangeEntry> {
    const e = this.#entries;
    let lo = this.#head;
    let hi = e.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (e[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < e.length; i++) yield e[i]!;
  }

  waitForAppend(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.#waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}

/** Resume tokens are opaque to clients: here the log sequence number in hex, like MongoDB's `_data`. */
export function resumeToken(seq: number): Document {
  return { _data: seq.toString(16).padStart(16, '0') };
}

export function seqFromToken(token: unknown): number {
  const data = (token as { _data?: unknown } | null)?._data;
  if (typeof data !== 'string' || !/^[0-9a-f]{16}$/.test(data)) {
    throw new MongoCommandError('BadValue', 'invalid resume token');
  }
  return Number.parseInt(data, 16);
}

export function clusterTime(entry: ChangeEntry): Timestamp {
  return new Timestamp({ t: Math.floor(entry.wallTime.getTime() / 1000), i: entry.seq % 0xffffffff });
}

/** Top-level field differences, as MongoDB's updateDescription reports them (without dotted detail). */
export function describeUpdate(before: Document, after: Document): Document {
  const updatedFields: Document = {};
  const removedFields: string[] = [];
  for (const [k, v] of Object.entries(after)) {
    if (!(k in before) || !bsonEquals(before[k], v)) updatedFields[k] = v;
  }
  for (const k of Object.keys(before)) if (!(k in after)) removedFields.push(k);
  return { updatedFields, removedFields, truncatedArrays: [] };
}
