// A sorted sequence kept in chunks of bounded size: O(log n) search and O(chunk) insert/remove,
// where one flat array would move a million pointers per insert in the middle.
const MAX_CHUNK = 128;

export type Position = { chunk: number; index: number };

export class SortedList<T> {
  readonly #cmp: (a: T, b: T) => number;
  /**
   * A string that orders items as `cmp` does, for the items that have one: a search step between
   * two such items is one `<`. Items without one (undefined) are compared with `cmp`.
   */
  readonly #codeOf: ((item: T) => string | undefined) | undefined;
  #chunks: T[][] = [];
  /**
   * The last item of each chunk: the search across chunks reads this one dense array instead of
   * each chunk's array and its storage, loads that miss the cache on large indexes.
   */
  #lasts: T[] = [];
  /** The codes of `#lasts` (with a codeOf): a search across chunks reads only these strings. */
  #lastCodes: (string | undefined)[] = [];
  #size = 0;

  constructor(cmp: (a: T, b: T) => number, codeOf?: (item: T) => string | undefined) {
    this.#cmp = cmp;
    this.#codeOf = codeOf;
  }

  get size(): number {
    return this.#size;
  }

  clear(): void {
    this.#chunks = [];
    this.#lasts = [];
    this.#lastCodes = [];
    this.#size = 0;
  }

  /**
   * First position whose item is not before `item` (with `strict`, after it) under the comparator;
   * `item` may be a probe that no stored item equals, to find a range's start.
   */
  locate(item: T, strict = false): Position {
    const codeOf = this.#codeOf;
    const code = codeOf?.(item);
    if (code !== undefined) return this.#locateCode(item, code, codeOf!, strict);
    const cmp = this.#cmp;
    const chunks = this.#chunks;
    const lasts = this.#lasts;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const d = cmp(lasts[mid]!, item);
      if (d > 0 || (d === 0 && !strict)) hi = mid;
      else lo = mid + 1;
    }
    if (lo === chunks.length) return { chunk: lo, index: 0 };
    const c = chunks[lo]!;
    let a = 0;
    let b = c.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      const d = cmp(c[mid]!, item);
      if (d > 0 || (d === 0 && !strict)) b = mid;
      else a = mid + 1;
    }
    return { chunk: lo, index: a };
  }

  /** locate for an item with a code: `after(x)` is cmp(x, item) > 0 (`strict`) or >= 0. */
  #locateCode(item: T, code: string, codeOf: (item: T) => string | undefined, strict: boolean): Position {
    const cmp = this.#cmp;
    const chunks = this.#chunks;
    const lastCodes = this.#lastCodes;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = lastCodes[mid];
      let after: boolean;
      if (c !== undefined) after = strict ? code < c : !(c < code);
      else {
        const d = cmp(this.#lasts[mid]!, item);
        after = d > 0 || (d === 0 && !strict);
      }
      if (after) hi = mid;
      else lo = mid + 1;
    }
    if (lo === chunks.length) return { chunk: lo, index: 0 };
    const ch = chunks[lo]!;
    let a = 0;
    let b = ch.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      const x = ch[mid]!;
      const c = codeOf(x);
      let after: boolean;
      if (c !== undefined) after = strict ? code < c : !(c < code);
      else {
        const d = cmp(x, item);
        after = d > 0 || (d === 0 && !strict);
      }
      if (after) b = mid;
      else a = mid + 1;
    }
    return { chunk: lo, index: a };
  }

  insert(item: T): void {
    const chunks = this.#chunks;
    const lasts = this.#lasts;
    this.#size++;
    const n = chunks.length;
    // Ids, arrival times and the newest records' keys mostly grow: one comparison with the last
    // item (recently written, so likely in cache) places those without a search.
    if (n === 0 || this.#cmp(lasts[n - 1]!, item) <= 0) {
      if (n === 0) chunks.push([]);
      else {
        lasts.pop();
        this.#lastCodes.pop();
      }
      chunks[chunks.length - 1]!.push(item);
      lasts.push(item);
      this.#lastCodes.push(this.#codeOf?.(item));
      this.#split(chunks.length - 1);
      return;
    }
    const pos = this.locate(item, true);
    // Not past the end: the last item is after `item`.
    const c = chunks[pos.chunk]!;
    c.push(item);
    for (let j = c.length - 1; j > pos.index; j--) c[j] = c[j - 1]!;
    c[pos.index] = item;
    this.#setLast(pos.chunk, c[c.length - 1]!);
    this.#split(pos.chunk);
  }

  #split(i: number): void {
    const c = this.#chunks[i]!;
    if (c.length <= MAX_CHUNK * 2) return;
    const tail = c.splice(MAX_CHUNK);
    this.#chunks.splice(i + 1, 0, tail);
    const a = c[c.length - 1]!;
    const b = tail[tail.length - 1]!;
    this.#lasts.splice(i, 1, a, b);
    this.#lastCodes.splice(i, 1, this.#codeOf?.(a), this.#codeOf?.(b));
  }

  #setLast(i: number, item: T): void {
    this.#lasts[i] = item;
    this.#lastCodes[i] = this.#codeOf?.(item);
  }

  /** Removes the item equal to `item` under the comparator; false when absent. */
  remove(item: T): boolean {
    const pos = this.locate(item);
    const c = this.#chunks[pos.chunk];
    if (!c || pos.index >= c.length || this.#cmp(c[pos.index]!, item) !== 0) return false;
    for (let j = pos.index; j < c.length - 1; j++) c[j] = c[j + 1]!;
    c.pop();
    if (c.length === 0) {
      this.#chunks.splice(pos.chunk, 1);
      this.#lasts.splice(pos.chunk, 1);
      this.#lastCodes.splice(pos.chunk, 1);
    } else this.#setLast(pos.chunk, c[c.length - 1]!);
    this.#size--;
    return true;
  }

  /** Items from `from` forward; the caller must not mutate the list while iterating. */
  *forward(from: Position = { chunk: 0, index: 0 }): Generator<T> {
    const chunks = this.#chunks;
    let { chunk, index } = from;
    while (chunk < chunks.length) {
      const c = chunks[chunk]!;
      for (; index < c.length; index++) yield c[index]!;
      chunk++;
      index = 0;
    }
  }

  /** Items strictly before `before`, walking backward. */
  *backward(before: Position = { chunk: this.#chunks.length, index: 0 }): Generator<T> {
    const chunks = this.#chunks;
    let chunk = before.chunk;
    let index = before.index - 1;
    for (;;) {
      if (index < 0 || chunk >= chunks.length) {
        chunk = Math.min(chunk, chunks.length) - 1;
        if (chunk < 0) return;
        index = chunks[chunk]!.length - 1;
        continue;
      }
      yield chunks[chunk]![index]!;
      index--;
    }
  }
}
