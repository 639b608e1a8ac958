/**
 * Per-account throughput on this process: a token bucket holding one second's worth of messages,
 * refilled continuously. Taking more than it holds answers ESME_RTHROTTLED (§5.1.3) instead of
 * queueing, so the ESME slows down rather than our memory growing.
 */
export class TokenBucket {
  private readonly ratePerSecond: number;
  private readonly capacity: number;
  private tokens: number;
  private last: number;

  constructor(ratePerSecond: number, now: number) {
    this.ratePerSecond = ratePerSecond;
    this.capacity = Math.max(1, ratePerSecond);
    this.tokens = this.capacity;
    this.last = now;
  }

  /** Takes `count` tokens if all are there; false (and nothing taken) otherwise. */
  take(count: number, now: number): boolean {
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    if (this.tokens < count) return false;
    this.tokens -= count;
    return true;
  }
}

/** One bucket per account, created at its first message, replaced when the account's rate changes. */
export class Throttles {
  private readonly buckets = new Map<string, { rate: number; bucket: TokenBucket }>();
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  /** True when `accountId` may send `count` more messages now; a rate of 0 means no limit. */
  take(accountId: string, ratePerSecond: number, count: number): boolean {
    if (ratePerSecond <= 0) return true;
    const now = this.now();
    let entry = this.buckets.get(accountId);
    if (!entry || entry.rate !== ratePerSecond) {
      entry = { rate: ratePerSecond, bucket: new TokenBucket(ratePerSecond, now) };
      this.buckets.set(accountId, entry);
    }
    return entry.bucket.take(count, now);
  }
}
