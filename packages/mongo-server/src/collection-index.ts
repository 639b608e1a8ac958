import { Query } from 'mingo';
import { compareBson } from './bson-order.ts';
import { isPlainObject, pathValues } from './doc-path.ts';
import { MongoCommandError } from './errors.ts';
import { entryCode, probeCode } from './key-code.ts';
import { type Position, SortedList } from './sorted-list.ts';
import type { Document } from './wire.ts';

/** One index's entries for a record: none (sparse or partial leaves it out), one, or one per key. */
export type RecEntries = IndexEntry | IndexEntry[] | null;

/**
 * A stored document. `doc` is never mutated: an update swaps in a new object (cursors keep old ones).
 * `entries` holds, per index of the collection (same positions), the entries that point here: an
 * update or a removal takes them out without computing the old keys again.
 */
export type Rec = { readonly id: number; doc: Document; size: number; readonly entries: RecEntries[] };

/**
 * `code` is the key and record id as one string that compares with `<` in the index's order
 * (key-code.ts): a binary search step is one string comparison, without loading the key array, its
 * values and the record (cache misses at 100k entries). Undefined for keys of other types, which
 * are compared field by field.
 */
export type IndexEntry = {
  readonly key: unknown[];
  readonly rec: Rec;
  readonly code: string | undefined;
};

export type IndexSpec = {
  v: 2;
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
};

// Compound keys with several array fields would multiply entries; MongoDB refuses them too.
const MAX_KEYS_PER_DOC = 10_000;

const BEFORE_ALL: Rec = { id: 0, doc: {}, size: 0, entries: [] };
const AFTER_ALL: Rec = { id: Number.POSITIVE_INFINITY, doc: {}, size: 0, entries: [] };

export class CollectionIndex {
  readonly spec: IndexSpec;
  readonly fields: string[];
  readonly #paths: string[][];
  /** The distinct top-level fields the key paths start with. */
  readonly #roots: string[];
  readonly dirs: number[];
  readonly entries: SortedList<IndexEntry>;
  /** Set once any document yields more than one key; such an index cannot serve a sort. */
  multikey = false;
  readonly #partial: Query | undefined;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    this.#paths = this.fields.map((f) => f.split('.'));
    this.#roots = [...new Set(this.#paths.map((p) => p[0]!))];
    this.dirs = this.fields.map((f) => {
      const d = spec.key[f];
      if (typeof d !== 'number' || d === 0) {
        throw new MongoCommandError('CannotCreateIndex', `Index type ${JSON.stringify(d)} is not supported`);
      }
      return d > 0 ? 1 : -1;
    });
    this.#partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression, {}) : undefined;
    this.entries = new SortedList(
      (a, b) => {
        const x = a.code;
        const y = b.code;
        if (x !== undefined && y !== undefined) return x === y ? 0 : x < y ? -1 : 1;
        return this.compareKeys(a.key, b.key) || a.rec.id - b.rec.id;
      },
      (e) => e.code,
    );
  }

  get name(): string {
    return this.spec.name;
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  /** Usable to answer queries: a partial index might lack matching documents. */
  get partial(): boolean {
    return this.#partial !== undefined;
  }

  get sparse(): boolean {
    return this.spec.sparse === true;
  }

  /** Compares two key tuples (or a tuple and a shorter prefix) in this index's order. */
  compareKeys(a: unknown[], b: unknown[]): number {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = compareBson(a[i], b[i]);
      if (c !== 0) return c * this.dirs[i]!;
    }
    return 0;
  }

  /**
   * True when `b` gives the same keys as `a` because every top-level field the key paths start
   * from holds the identical value (or is absent) in both. Only for documents that are never
   * mutated in place. A partial index's filter may read any field, so it always says false.
   */
  unchangedBetween(a: Document, b: Document): boolean {
    if (this.#partial) return false;
    const roots = this.#roots;
    for (let i = 0; i < roots.length; i++) {
      const r = roots[i]!;
      if (a[r] !== b[r]) return false;
    }
    return true;
  }

  /** The keys a document contributes, or null when a sparse or partial index leaves it out. */
  keysFor(doc: Document): unknown[][] | null {
    if (this.#partial && !this.#partial.test(doc)) return null;
    const single = this.#singleKey(doc);
    if (single !== undefined) return single;
    const perField: unknown[][] = [];
    let present = false;
    for (const f of this.#paths) {
      const found = pathValues(doc, f);
      if (found.length > 0) present = true;
      const values: unknown[] = [];
      for (const v of found) {
        if (Array.isArray(v)) {
          // An empty array is indexed as undefined, which sorts with null.
          if (v.length === 0) values.push(undefined);
          else values.push(...v);
        } else values.push(v);
      }
      perField.push(values.length === 0 ? [null] : values);
    }
    if (this.sparse && !present) return null;
    let keys: unknown[][] = [[]];
    for (const values of perField) {
      if (values.length === 1) {
        for (const k of keys) k.push(values[0]);
        continue;
      }
      const next: unknown[][] = [];
      for (const k of keys) for (const v of values) next.push([...k, v]);
      keys = next;
      if (keys.length > MAX_KEYS_PER_DOC) {
        throw new MongoCommandError('BadValue', `too many index keys for index ${this.name}`);
      }
    }
    return keys;
  }

  /**
   * keysFor when no path meets an array (almost every document): one key, built without the
   * per-field value lists. Undefined when an array is met; null when sparse leaves the document out.
   */
  #singleKey(doc: Document): unknown[][] | null | undefined {
    const paths = this.#paths;
    const key: unknown[] = new Array(paths.length);
    let present = false;
    for (let i = 0; i < paths.length; i++) {
      const parts = paths[i]!;
      let v: unknown = doc;
      for (let j = 0; j < parts.length; j++) {
        if (Array.isArray(v)) return undefined;
        if (!isPlainObject(v)) {
          v = undefined;
          break;
        }
        v = v[parts[j]!];
        if (v === undefined) break;
      }
      if (Array.isArray(v)) return undefined;
      if (v === undefined) key[i] = null;
      else {
        key[i] = v;
        present = true;
      }
    }
    if (this.sparse && !present) return null;
    return [key];
  }

  /** The entries `keys` (from keysFor) make for `rec`, not yet added. */
  entriesFor(rec: Rec, keys: unknown[][] | null): RecEntries {
    if (!keys) return null;
    const dirs = this.dirs;
    if (keys.length === 1) {
      const key = keys[0]!;
      return { key, rec, code: entryCode(key, dirs, rec.id) };
    }
    return keys.map((key) => ({ key, rec, code: entryCode(key, dirs, rec.id) }));
  }

  add(entries: RecEntries): void {
    if (entries === null) return;
    if (!Array.isArray(entries)) this.entries.insert(entries);
    else {
      if (entries.length > 1) this.multikey = true;
      for (const e of entries) this.entries.insert(e);
    }
  }

  remove(entries: RecEntries): void {
    if (entries === null) return;
    if (!Array.isArray(entries)) this.entries.remove(entries);
    else for (const e of entries) this.entries.remove(e);
  }

  /**
   * Where the entries whose keys start with `prefix` begin (`after`: where they end), found with
   * the entries' own comparator and no predicate closure. Record ids start at 1, so a probe with id
   * 0 sorts before every entry of its prefix and one with an infinite id after them.
   */
  seekKey(prefix: unknown[], after = false): Position {
    return this.entries.locate({
      key: prefix,
      rec: after ? AFTER_ALL : BEFORE_ALL,
      code: probeCode(prefix, this.dirs, after),
    });
  }

  /** An entry of another record holding the key of one of `entries`, for unique enforcement. */
  findConflict(entries: RecEntries, self?: Rec): IndexEntry | undefined {
    if (entries === null) return undefined;
    for (const { key } of Array.isArray(entries) ? entries : [entries]) {
      for (const e of this.entries.forward(this.seekKey(key))) {
        if (this.compareKeys(e.key, key) !== 0) break;
        if (e.rec !== self) return e;
      }
    }
    return undefined;
  }

  describe(): Document {
    return { ...this.spec };
  }
}
