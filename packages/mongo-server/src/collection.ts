import { calculateObjectSize, ObjectId, UUID } from 'bson';
import { compareBson, TypeBound, TypeRank, typeRank } from './bson-order.ts';
import type { ChangeLog } from './change-log.ts';
import { CollectionIndex, type IndexSpec, type Rec, type RecEntries } from './collection-index.ts';
import { firstKey, isPlainObject } from './doc-path.ts';
import { MongoCommandError } from './errors.ts';
import { formatValue } from './format-value.ts';
import { compileFilter } from './matcher.ts';
import { type Interval, planQuery, scanIndex } from './query-plan.ts';
import { sortBy } from './sort.ts';
import type { Document } from './wire.ts';

export type CappedOptions = { size: number; max?: number };

export type FindOptions = {
  sort?: Document;
  skip?: number;
  limit?: number;
  hint?: unknown;
  /** Filled with what the query examined, like explain's executionStats (tests pin index use). */
  stats?: QueryStats;
};

export type QueryStats = {
  plan: string;
  keysExamined: number;
  docsExamined: number;
  /** The plan as explain's `winningPlan` shows it (stage tree). */
  winningPlan?: Document;
};

/** Minimum and rounding of a capped collection's size, as MongoDB applies them to `create`. */
export function normaliseCappedSize(size: number): number {
  if (size <= 4096) return 4096;
  return Math.ceil(size / 256) * 256;
}

/**
 * One namespace: records in insertion (natural) order, its indexes, and for a capped collection the
 * ring of records that eviction walks. Every method is synchronous, so each write is atomic with
 * respect to every other: there is no await between a match and its commit.
 */
export class Collection {
  readonly db: string;
  readonly name: string;
  readonly uuid = new UUID();
  readonly capped: CappedOptions | undefined;
  readonly records = new Map<number, Rec>();
  /**
   * Records by `_id` when it is a JS string (the SMSC's ids): a lookup or a uniqueness check by such
   * an `_id` without a search of the `_id` index. The index stays the reference for everything else.
   */
  readonly #byStringId = new Map<string, Rec>();
  /** Records whose `_id` compares as a string without being one (BSONSymbol): the map would miss them. */
  #otherStringIds = 0;
  readonly indexes: CollectionIndex[] = [];
  /** Capped only: records by id ascending from `#head`; removed ones stay until compaction. */
  #ring: Rec[] = [];
  #head = 0;
  #nextId = 1;
  dataSize = 0;
  /** Resolved on every insert: awaitData getMores and tailing cursors wait on it. */
  readonly #waiters = new Set<() => void>();
  dropped = false;
  /** Where committed writes are recorded for change streams (set by the backend). */
  changes: ChangeLog | undefined;

  constructor(db: string, name: string, capped?: CappedOptions) {
    this.db = db;
    this.name = name;
    this.capped = capped;
    this.indexes.push(new CollectionIndex({ v: 2, key: { _id: 1 }, name: '_id_' }));
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get count(): number {
    return this.records.size;
  }

  /** Record id of the most recent insert (capped collections), for tailing. */
  get lastId(): number {
    return this.#nextId - 1;
  }

  index(name: string): CollectionIndex | undefined {
    return this.indexes.find((i) => i.name === name);
  }

  // --- reads -------------------------------------------------------------------------------------

  /** Matching records, using an index when one fits the filter or sort. */
  find(filter: Document | undefined, opts: FindOptions = {}): Rec[] {
    const byId = this.#findById(filter, opts);
    if (byId) return byId;
    const match = compileFilter(filter);
    const hint = this.#resolveHint(opts.hint);
    const sort = opts.sort && Object.keys(opts.sort).length > 0 ? opts.sort : undefined;
    // A {$natural: ±1} hint forces a collection scan in that direction.
    const natural = isPlainObject(opts.hint) && '$natural' in opts.hint ? Number(opts.hint.$natural) : 0;
    let plan = planQuery(filter ?? {}, sort, this.indexes, hint);
    if (natural !== 0) {
      const sortIsNatural = !sort || (Object.keys(sort).length === 1 && '$natural' in sort);
      plan = { kind: 'collscan', reverse: natural < 0, sorted: sortIsNatural };
    }
    const skip = opts.skip ?? 0;
    const want = opts.limit && opts.limit > 0 ? skip + opts.limit : Number.POSITIVE_INFINITY;
    const out: Rec[] = [];
    let keys = 0;
    let docs = 0;
    const chosen = plan;
    const union = plan.kind === 'collscan' && natural === 0 && !hint ? this.#orPlans(filter) : undefined;
    if (union) {
      // MongoDB's OR stage: one index scan per $or branch, each record once, then the full filter.
      const seen = new Set<Rec>();
      for (const branch of union) {
        for (const entry of scanIndex(branch.index, branch.intervals, false)) {
          keys++;
          if (seen.has(entry.rec)) continue;
          seen.add(entry.rec);
          docs++;
          if (match(entry.rec.doc)) out.push(entry.rec);
        }
      }
      // Natural order when no sort is asked for, as a collection scan would give.
      if (!sort) out.sort((a, b) => a.id - b.id);
      plan = { kind: 'collscan', reverse: false, sorted: !sort };
    } else if (plan.kind === 'collscan') {
      const source = plan.reverse ? [...this.records.values()].reverse() : this.records.values();
      for (const rec of source) {
        docs++;
        if (!match(rec.doc)) continue;
        out.push(rec);
        if (plan.sorted && out.length >= want) break;
      }
    } else {
      const seen = plan.index.multikey ? new Set<Rec>() : undefined;
      for (const entry of scanIndex(plan.index, plan.intervals, plan.reverse)) {
        const rec = entry.rec;
        keys++;
        if (seen) {
          if (seen.has(rec)) continue;
          seen.add(rec);
        }
        docs++;
        if (!match(rec.doc)) continue;
        out.push(rec);
        if (plan.sorted && out.length >= want) break;
      }
    }
    if (opts.stats) {
      const ixscan = (index: CollectionIndex, reverse: boolean): Document => ({
        stage: 'FETCH',
        inputStage: {
          stage: 'IXSCAN',
          keyPattern: { ...index.spec.key },
          indexName: index.name,
          isMultiKey: index.multikey,
          direction: reverse ? 'backward' : 'forward',
        },
      });
      let tree: Document = union
        ? {
            stage: 'FETCH',
            inputStage: { stage: 'OR', inputStages: union.map((b) => ixscan(b.index, false).inputStage) },
          }
        : chosen.kind === 'collscan'
          ? { stage: 'COLLSCAN', direction: chosen.reverse ? 'backward' : 'forward' }
          : ixscan(chosen.index, chosen.reverse);
      if (sort && !(chosen.sorted && !union))
        tree = { stage: 'SORT', sortPattern: { ...sort }, inputStage: tree };
      if (opts.limit) tree = { stage: 'LIMIT', limitAmount: opts.limit, inputStage: tree };
      opts.stats.winningPlan = tree;
      opts.stats.plan = union
        ? `OR ${union.map((b) => b.index.name).join(',')}`
        : plan.kind === 'collscan'
          ? 'COLLSCAN'
          : `IXSCAN ${plan.index.name}`;
      opts.stats.keysExamined = keys;
      opts.stats.docsExamined = docs;
    }
    if (!plan.sorted && sort) sortBy(out, sort, (r) => r.doc);
    if (skip === 0 && out.length <= want) return out;
    return out.slice(skip, want === Number.POSITIVE_INFINITY ? undefined : want);
  }

  /**
   * `{_id: <string, number, date or ObjectId>, ...}` without sort, hint or stats: at most one record
   * can match, and it is the one the `_id` index holds under that value, so the planner (which
   * weighs every index, and may pick another for the same single record) is skipped. Writes by
   * `_id` (lock and state changes, upserts) are most of an SMSC's commands.
   */
  #findById(filter: Document | undefined, opts: FindOptions): Rec[] | undefined {
    if (!filter || opts.stats || (opts.hint !== undefined && opts.hint !== null)) return undefined;
    if (opts.sort && Object.keys(opts.sort).length > 0) return undefined;
    const id = filter._id;
    const rank = typeRank(id);
    if (
      !(rank === TypeRank.String || rank === TypeRank.Date || rank === TypeRank.ObjectId) &&
      !(typeof id === 'number' && !Number.isNaN(id))
    )
      return undefined;
    // The index holds exactly the records whose `_id` equals the value as the filter would test it:
    // a filter of `_id` alone needs no matching (upserts and lookups by key), others are compiled.
    let match: ((doc: Document) => boolean) | undefined;
    for (const k in filter) {
      if (k === '_id') continue;
      match = compileFilter(filter);
      break;
    }
    const out: Rec[] = [];
    const byMap = this.#recordByStringId(id);
    if (byMap !== undefined) {
      if (byMap !== null && (!match || match(byMap.doc))) out.push(byMap);
    } else {
      const idx = this.indexes[0]!;
      const key = [id];
      for (const e of idx.entries.forward(idx.seekKey(key))) {
        if (idx.compareKeys(e.key, key) !== 0) break;
        if (!match || match(e.rec.doc)) out.push(e.rec);
      }
    }
    const skip = opts.skip ?? 0;
    return skip > 0 ? out.slice(skip) : out;
  }

  /** Index scans for each branch of a top-level $or, or undefined unless every branch has one. */
  #orPlans(filter: Document | undefined): { index: CollectionIndex; intervals: Interval[] }[] | undefined {
    const branches = filter?.$or;
    if (!Array.isArray(branches) || branches.length === 0 || branches.length > 32) return undefined;
    const { $or, ...rest } = filter!;
    const plans: { index: CollectionIndex; intervals: Interval[] }[] = [];
    for (const branch of branches) {
      if (!isPlainObject(branch)) return undefined;
      const p = planQuery({ $and: [rest, branch] }, undefined, this.indexes);
      if (p.kind !== 'ixscan' || p.intervals.length === 0 || p.intervals.every((iv) => iv.low.length === 0))
        return undefined;
      plans.push({ index: p.index, intervals: p.intervals });
    }
    return plans;
  }

  #resolveHint(hint: unknown): CollectionIndex | undefined {
    if (hint === undefined || hint === null) return undefined;
    if (typeof hint === 'string') {
      const idx = this.index(hint);
      if (!idx)
        throw new MongoCommandError(
          'BadValue',
          'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
        );
      return idx;
    }
    if (isPlainObject(hint)) {
      if ('$natural' in hint) return undefined;
      const idx = this.indexes.find((i) => compareBson(i.spec.key, hint) === 0);
      if (!idx)
        throw new MongoCommandError(
          'BadValue',
          'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
        );
      return idx;
    }
    return undefined;
  }

  /**
   * Capped: where a tail may start when nothing before the record `firstId` can match: the id of
   * the live record just before it (what `recordsAfter` takes), or 0 when it is the oldest.
   */
  positionBefore(firstId: number): number {
    const ring = this.#ring;
    let lo = this.#head;
    let hi = ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ring[mid]!.id < firstId) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= this.#head; i--) {
      const rec = ring[i]!;
      if (this.records.get(rec.id) === rec) return rec.id;
    }
    return 0;
  }

  /** Capped: the id of the newest live record, 0 when there is none. */
  get newestId(): number {
    for (let i = this.#ring.length - 1; i >= this.#head; i--) {
      const rec = this.#ring[i]!;
      if (this.records.get(rec.id) === rec) return rec.id;
    }
    return 0;
  }

  /** Capped: records with an id above `afterId`, in insertion order. */
  *recordsAfter(afterId: number): Generator<Rec> {
    const ring = this.#ring;
    let lo = this.#head;
    let hi = ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ring[mid]!.id <= afterId) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < ring.length; i++) {
      const rec = ring[i]!;
      if (this.records.get(rec.id) === rec) yield rec;
    }
  }

  // --- writes ------------------------------------------------------------------------------------

  /** Inserts one document (with `_id` first, generated if absent); throws E11000 on a unique clash. */
  insert(input: Document): Rec {
    let doc = input;
    if (doc._id === undefined) doc = { _id: new ObjectId(), ...doc };
    else if (firstKey(doc) !== '_id') {
      const { _id, ...rest } = doc;
      doc = { _id, ...rest };
    }
    if (Array.isArray(doc._id))
      throw new MongoCommandError('BadValue', "The '_id' value cannot be of type array");
    const rec: Rec = { id: this.#nextId, doc, size: this.capped ? calculateObjectSize(doc) : 0, entries: [] };
    if (this.capped && rec.size > this.capped.size) {
      throw new MongoCommandError(
        'BadValue',
        `document is larger than capped size ${rec.size} > ${this.capped.size}`,
      );
    }
    const indexes = this.indexes;
    for (const idx of indexes) rec.entries.push(idx.entriesFor(rec, idx.keysFor(doc)));
    this.#checkUnique(rec.entries);
    this.#nextId++;
    for (let i = 0; i < indexes.length; i++) indexes[i]!.add(rec.entries[i]!);
    this.records.set(rec.id, rec);
    this.#noteId(doc._id, rec, 1);
    if (this.capped) {
      this.#ring.push(rec);
      this.dataSize += rec.size;
      this.#evict();
    }
    this.#wake();
    if (this.changes?.recording)
      this.changes.append({
        kind: 'insert',
        db: this.db,
        coll: this.name,
        documentKey: { _id: doc._id },
        fullDocument: doc,
      });
    return rec;
  }

  /** Swaps in an updated document after checking every unique index first. */
  replace(rec: Rec, next: Document, kind: 'update' | 'replace' = 'update'): void {
    const old = rec.doc;
    const indexes = this.indexes;
    const n = indexes.length;
    // Documents are never mutated and an operator update copies only what it changes, so an index
    // whose fields' top-level values are the very same objects (or both absent) keeps its entries:
    // its keys need not be computed at all. Most updates (lock and state changes) touch a few
    // fields of nine indexes, `_id` never.
    const after: RecEntries[] = new Array(n);
    const moved: boolean[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const idx = indexes[i]!;
      const k = idx.unchangedBetween(old, next) ? undefined : idx.keysFor(next);
      // An entry whose key holds the same values points at `rec` already and cannot clash.
      moved[i] = k !== undefined && !sameKeys(rec.entries[i]!, k);
      after[i] = moved[i] ? idx.entriesFor(rec, k!) : null;
    }
    this.#checkUnique(after, rec, moved);
    for (let i = 0; i < n; i++) {
      if (!moved[i]) continue;
      const idx = indexes[i]!;
      idx.remove(rec.entries[i]!);
      idx.add(after[i]!);
      rec.entries[i] = after[i]!;
    }
    rec.doc = next;
    if (next._id !== old._id) {
      this.#noteId(old._id, rec, -1);
      this.#noteId(next._id, rec, 1);
    }
    if (this.changes?.recording)
      this.changes.append({
        kind,
        db: this.db,
        coll: this.name,
        documentKey: { _id: next._id },
        fullDocument: next,
        ...(kind === 'update' ? { before: old } : {}),
      });
    if (this.capped) {
      const size = calculateObjectSize(next);
      this.dataSize += size - rec.size;
      rec.size = size;
    }
  }

  /** Deletes a record; `record` false for capped eviction, which MongoDB does not report as a delete. */
  remove(rec: Rec, record = true): void {
    if (this.records.get(rec.id) !== rec) return;
    if (record && this.changes?.recording)
      this.changes.append({
        kind: 'delete',
        db: this.db,
        coll: this.name,
        documentKey: { _id: rec.doc._id },
      });
    this.indexes.forEach((idx, i) => {
      idx.remove(rec.entries[i]!);
    });
    this.records.delete(rec.id);
    this.#noteId(rec.doc._id, rec, -1);
    if (this.capped) this.dataSize -= rec.size;
  }

  /** Keeps `#byStringId` (and the count of ids it cannot hold) with a record added (1) or gone (-1). */
  #noteId(id: unknown, rec: Rec, change: 1 | -1): void {
    if (typeof id === 'string') {
      if (change > 0) this.#byStringId.set(id, rec);
      else if (this.#byStringId.get(id) === rec) this.#byStringId.delete(id);
    } else if (typeRank(id) === TypeRank.String) this.#otherStringIds += change;
  }

  /** The record whose `_id` is the string `id`, or null; undefined when the map cannot tell. */
  #recordByStringId(id: unknown): Rec | null | undefined {
    if (typeof id !== 'string' || this.#otherStringIds > 0) return undefined;
    return this.#byStringId.get(id) ?? null;
  }

  #checkUnique(entries: RecEntries[], self?: Rec, only?: boolean[]): void {
    this.indexes.forEach((idx, i) => {
      if (!idx.unique && idx.name !== '_id_') return;
      if (only && !only[i]) return;
      const e = entries[i]!;
      if (i === 0 && e !== null && !Array.isArray(e)) {
        // The _id index: one key, and for a string the map answers.
        const found = this.#recordByStringId(e.key[0]);
        if (found !== undefined) {
          if (found !== null && found !== self) {
            const theirs = found.entries[0]!;
            throw duplicateKeyError(
              this.ns,
              idx,
              theirs !== null && !Array.isArray(theirs) ? theirs.key : e.key,
            );
          }
          return;
        }
      }
      const clash = idx.findConflict(e, self);
      if (clash) throw duplicateKeyError(this.ns, idx, clash.key);
    });
  }

  // MongoDB removes the oldest documents while the data size exceeds `size` or the count `max`.
  #evict(): void {
    const capped = this.capped!;
    const ring = this.#ring;
    while (
      this.dataSize > capped.size ||
      (capped.max !== undefined && capped.max > 0 && this.records.size > capped.max)
    ) {
      const rec = ring[this.#head];
      if (!rec) break;
      this.#head++;
      if (this.records.get(rec.id) === rec) this.remove(rec, false);
    }
    if (this.#head > 1024 && this.#head * 2 > ring.length) {
      this.#ring = ring.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Empties the collection (dropping keeps nothing; used by `drop` and capped eviction tests). */
  clear(): void {
    this.records.clear();
    this.#byStringId.clear();
    this.#otherStringIds = 0;
    for (const idx of this.indexes) idx.entries.clear();
    this.#ring = [];
    this.#head = 0;
    this.dataSize = 0;
  }

  // --- indexes -----------------------------------------------------------------------------------

  /** Builds an index over existing documents; a unique index over duplicates fails like MongoDB's. */
  createIndex(spec: IndexSpec): CollectionIndex {
    const idx = new CollectionIndex(spec);
    const built: RecEntries[] = [];
    for (const rec of this.records.values()) {
      const entries = idx.entriesFor(rec, idx.keysFor(rec.doc));
      if (idx.unique) {
        const clash = idx.findConflict(entries, rec);
        if (clash) throw duplicateKeyError(this.ns, idx, clash.key);
      }
      idx.add(entries);
      built.push(entries);
    }
    // Only once the build succeeded, so that records' entries stay aligned with `indexes`.
    let i = 0;
    for (const rec of this.records.values()) rec.entries.push(built[i++]!);
    this.indexes.push(idx);
    return idx;
  }

  dropIndex(name: string): void {
    const i = this.indexes.findIndex((x) => x.name === name);
    if (i <= 0) return;
    this.indexes.splice(i, 1);
    for (const rec of this.records.values()) rec.entries.splice(i, 1);
  }

  // --- TTL -------------------------------------------------------------------------------------

  /** Deletes documents whose TTL-indexed date (earliest, for arrays) is older than the index allows. */
  expire(now: number): number {
    let removed = 0;
    for (const idx of this.indexes) {
      const ttl = idx.spec.expireAfterSeconds;
      if (ttl === undefined || idx.fields.length !== 1) continue;
      const cutoff = new Date(now - ttl * 1000);
      const dir = idx.dirs[0]!;
      const low = dir > 0 ? new TypeBound(TypeRank.Date, false) : cutoff;
      const high = dir > 0 ? cutoff : new TypeBound(TypeRank.Date, false);
      const expired = new Set<Rec>();
      for (const e of scanIndex(
        idx,
        [{ low: [low], lowInclusive: true, high: [high], highInclusive: true }],
        false,
      )) {
        expired.add(e.rec);
      }
      for (const rec of expired) {
        this.remove(rec);
        removed++;
      }
    }
    return removed;
  }

  // --- waiting for inserts -----------------------------------------------------------------------

  /** Resolves on the next insert, or after `ms`; returns a cancel function through `signal`. */
  waitForInsert(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.#waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  #wake(): void {
    if (this.#waiters.size === 0) return;
    for (const w of [...this.#waiters]) w();
  }

  /** Called when the collection is dropped: waiting tails return at once. */
  markDropped(): void {
    this.dropped = true;
    this.#wake();
  }
}

/** MongoDB's E11000 shape: message, keyPattern and keyValue (server's DuplicateKeyErrorInfo). */
export function duplicateKeyError(ns: string, idx: CollectionIndex, key: unknown[]): MongoCommandError {
  // Upserts that race for a lock fail this way by design, often: the error goes to the client as a
  // write error and its stack is never read, so none is captured.
  const stackLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return buildDuplicateKeyError(ns, idx, key);
  } finally {
    Error.stackTraceLimit = stackLimit;
  }
}

function buildDuplicateKeyError(ns: string, idx: CollectionIndex, key: unknown[]): MongoCommandError {
  const keyValue: Document = {};
  idx.fields.forEach((f, i) => {
    keyValue[f] = key[i] === undefined ? null : key[i];
  });
  const shown = idx.fields.map((f) => `${f}: ${formatValue(keyValue[f])}`).join(', ');
  return new MongoCommandError(
    'DuplicateKey',
    `E11000 duplicate key error collection: ${ns} index: ${idx.name} dup key: { ${shown} }`,
    { keyPattern: { ...idx.spec.key }, keyValue },
  );
}

/** Entries whose keys hold the same values of the same types as `keys`: they need not move. */
function sameKeys(entries: RecEntries, keys: unknown[][] | null): boolean {
  if (entries === null || keys === null) return entries === keys;
  const a = Array.isArray(entries) ? entries : [entries];
  if (a.length !== keys.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!.key;
    const y = keys[i]!;
    if (x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) if (!sameValue(x[j], y[j])) return false;
  }
  return true;
}

function sameValue(x: unknown, y: unknown): boolean {
  if (Object.is(x, y)) return true;
  if (x instanceof Date && y instanceof Date) return x.getTime() === y.getTime();
  // Numbers of one value but different kinds, and BSON values, are compared strictly: same
  // constructor and same order position, or the entry is rebuilt.
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Object.getPrototypeOf(x) !== Object.getPrototypeOf(y)) return false;
  return compareBson(x, y) === 0;
}
