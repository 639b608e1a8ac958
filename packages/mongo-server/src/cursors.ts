import { calculateObjectSize, Long } from 'bson';
import type { ChangeEntry, ChangeLog } from './change-log.ts';
import type { Collection } from './collection.ts';
import { MongoCommandError } from './errors.ts';
import { type Matcher, project } from './matcher.ts';
import type { Document } from './wire.ts';

/** MongoDB's default first batch (find/aggregate) and the reply size a batch must stay under. */
export const DEFAULT_FIRST_BATCH = 101;
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
/** Idle cursors die after 10 minutes, as `cursorTimeoutMillis` defaults on MongoDB. */
export const CURSOR_TIMEOUT_MS = 10 * 60 * 1000;

type BufferedSource = { kind: 'buffer'; docs: Document[]; pos: number };
type TailSource = {
  kind: 'tail';
  coll: Collection;
  match: Matcher;
  /** Record id of the last record examined (matched or not): CappedPositionLost fires when it goes. */
  lastExamined: number;
  awaitData: boolean;
};

/** A change stream: reads the change log after `afterSeq`, shaping entries into events. */
export type ChangeSource = {
  kind: 'changes';
  log: ChangeLog;
  afterSeq: number;
  /** Builds the event for one log entry, or returns undefined when the stream does not show it. */
  render: (entry: ChangeEntry) => { events: Document[]; invalidate: boolean };
  invalidated: boolean;
};

export type ServerCursor = {
  id: number;
  ns: string;
  source: BufferedSource | TailSource | ChangeSource;
  projection?: Document | undefined;
  lastUsed: number;
  /** Aborted when the cursor is killed, so a waiting getMore returns. */
  readonly abort: AbortController;
  busy: boolean;
};

const CURSOR_KILLED = Object.freeze({ name: 'CursorKilled' });

export class CursorRegistry {
  readonly #cursors = new Map<number, ServerCursor>();
  // Ids are random-looking 53-bit numbers so the driver's JS-number decoding round-trips them.
  #next = 1_000_000 + Math.floor(Math.random() * 1_000_000_000);

  get size(): number {
    return this.#cursors.size;
  }

  open(ns: string, source: BufferedSource | TailSource | ChangeSource, projection?: Document): ServerCursor {
    const cursor: ServerCursor = {
      id: this.#next++,
      ns,
      source,
      projection,
      lastUsed: Date.now(),
      abort: new AbortController(),
      busy: false,
    };
    this.#cursors.set(cursor.id, cursor);
    return cursor;
  }

  get(id: number): ServerCursor | undefined {
    return this.#cursors.get(id);
  }

  kill(id: number): boolean {
    const c = this.#cursors.get(id);
    if (!c) return false;
    this.#cursors.delete(id);
    // A fixed reason: the default one is a DOMException with a stack, built per killed cursor
    // (every find that fits its first batch), and nothing reads it.
    c.abort.abort(CURSOR_KILLED);
    return true;
  }

  killForNamespace(ns: string): void {
    // Change streams stay open to report the drop and their own invalidation.
    for (const c of [...this.#cursors.values()])
      if (c.ns === ns && c.source.kind !== 'changes') this.kill(c.id);
  }

  reapIdle(now: number): void {
    for (const c of [...this.#cursors.values()])
      if (!c.busy && now - c.lastUsed > CURSOR_TIMEOUT_MS) this.kill(c.id);
  }

  killAll(): void {
    for (const id of [...this.#cursors.keys()]) this.kill(id);
  }
}

/** Cursor ids travel as BSON int64: an int32 id breaks the driver. */
export function cursorIdLong(id: number): Long {
  return Long.fromNumber(id);
}

/** The id a getMore/killCursors carries: a JS number by default decoding, a Long beyond 2^53. */
export function cursorIdFromWire(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof Long) return v.toNumber();
  if (typeof v === 'bigint') return Number(v);
  throw new MongoCommandError('TypeMismatch', "Field 'getMore' must be of type long");
}

/** Takes documents from a buffer up to a count and the reply size limit. */
export function takeFromBuffer(src: BufferedSource, limit: number): Document[] {
  const out: Document[] = [];
  let bytes = 0;
  while (src.pos < src.docs.length && out.length < limit) {
    const doc = src.docs[src.pos]!;
    bytes += calculateObjectSize(doc);
    if (bytes > MAX_BATCH_BYTES && out.length > 0) break;
    out.push(doc);
    src.pos++;
  }
  return out;
}

/** Reads new records of a capped collection after the cursor's position. */
export function takeFromTail(src: TailSource, limit: number): Document[] {
  const out: Document[] = [];
  let bytes = 0;
  for (const rec of src.coll.recordsAfter(src.lastExamined)) {
    if (out.length >= limit) break;
    if (src.match(rec.doc)) {
      bytes += rec.size;
      if (bytes > MAX_BATCH_BYTES && out.length > 0) break;
      out.push(rec.doc);
    }
    src.lastExamined = rec.id;
  }
  return out;
}

/** Throws CappedPositionLost when the record the cursor last examined was evicted or deleted. */
export function checkTailPosition(cursor: ServerCursor): void {
  const src = cursor.source;
  if (src.kind !== 'tail' || src.lastExamined === 0) return;
  if (!src.coll.records.has(src.lastExamined)) {
    throw new MongoCommandError(
      'CappedPositionLost',
      `CollectionScan died due to position in capped collection being deleted. Last seen record id: RecordId(${src.lastExamined})`,
    );
  }
}

export function projectBatch(cursor: ServerCursor, docs: Document[]): Document[] {
  return project(docs, cursor.projection);
}

/** Events after the stream's position, up to `limit`; stops after an invalidate. */
export function takeFromChanges(src: ChangeSource, limit: number): Document[] {
  const out: Document[] = [];
  if (src.invalidated) return out;
  for (const entry of src.log.after(src.afterSeq)) {
    if (out.length >= limit) break;
    src.afterSeq = entry.seq;
    const { events, invalidate } = src.render(entry);
    out.push(...events);
    if (invalidate) {
      src.invalidated = true;
      break;
    }
  }
  return out;
}
