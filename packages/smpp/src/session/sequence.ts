/** SMPP 3.4 §5.1.4: sequence numbers run 0x00000001-0x7FFFFFFF, then wrap back to 1. */
export const MAX_SEQUENCE_NUMBER = 0x7fffffff;

/** Hands out request sequence numbers in order, wrapping to 1 after MAX_SEQUENCE_NUMBER. */
export class SequenceCounter {
  private last: number;

  /** `next()` returns `first` (default 1) the first time. */
  constructor(first = 1) {
    if (!Number.isInteger(first) || first < 1 || first > MAX_SEQUENCE_NUMBER) {
      throw new RangeError(`first sequence number out of range: ${first}`);
    }
    this.last = first - 1;
  }

  /** The next number; `inUse` lets the caller skip numbers still awaiting a response after a wrap. */
  next(inUse?: (n: number) => boolean): number {
    for (let tries = 0; tries < MAX_SEQUENCE_NUMBER; tries++) {
      this.last = this.last >= MAX_SEQUENCE_NUMBER ? 1 : this.last + 1;
      if (!inUse?.(this.last)) return this.last;
    }
    throw new RangeError('every sequence number is in use');
  }
}
