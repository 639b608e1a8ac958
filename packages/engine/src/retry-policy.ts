import { InvalidEngineOptionError } from './errors.ts';

export type Backoff = {
  /** Delay before the second attempt. */
  baseMs: number;
  /** Each further attempt waits `factor` times longer... */
  factor: number;
  /** ...up to this. */
  maxMs: number;
  /** Fraction of the delay drawn at random (0 = none, 1 = full jitter), so retries of a burst spread out. */
  jitter: number;
};

export type RetryPolicyOptions = {
  /** After this many counted attempts a temporary failure becomes final (`failed`). Default 10. */
  maxAttempts?: number;
  /** Backoff for errors without a class of their own. Default 30 s, x2, up to 1 h, jitter 0.2. */
  backoff?: Partial<Backoff>;
  /** Per error class (e.g. `absent-subscriber`, `network`, `outlet`). */
  classes?: Record<string, Partial<Backoff>>;
  /** Delay after a throttling answer without its own retryAfter. Default 1 s. */
  throttleDelayMs?: number;
  /** Injectable randomness in [0, 1) for tests. */
  random?: () => number;
};

export type RetryPolicy = Readonly<{
  maxAttempts: number;
  throttleDelayMs: number;
  /** Delay before the next attempt, given the number of attempts made so far (>= 1). */
  delayMs(attempts: number, errorClass?: string): number;
}>;

const DEFAULT_BACKOFF: Backoff = { baseMs: 30_000, factor: 2, maxMs: 3_600_000, jitter: 0.2 };

function complete(b: Partial<Backoff> | undefined, fallback: Backoff, name: string): Backoff {
  const r = { ...fallback, ...b };
  if (!(r.baseMs >= 0 && r.factor >= 1 && r.maxMs >= r.baseMs && r.jitter >= 0 && r.jitter <= 1)) {
    throw new InvalidEngineOptionError(`retry backoff ${name} is invalid: ${JSON.stringify(r)}`);
  }
  return r;
}

export function createRetryPolicy(options: RetryPolicyOptions = {}): RetryPolicy {
  const maxAttempts = options.maxAttempts ?? 10;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new InvalidEngineOptionError('maxAttempts must be a positive integer');
  const base = complete(options.backoff, DEFAULT_BACKOFF, 'default');
  const classes = new Map(Object.entries(options.classes ?? {}).map(([k, v]) => [k, complete(v, base, k)]));
  const random = options.random ?? Math.random;
  return Object.freeze({
    maxAttempts,
    throttleDelayMs: options.throttleDelayMs ?? 1000,
    delayMs(attempts: number, errorClass?: string) {
      const b = (errorClass !== undefined ? classes.get(errorClass) : undefined) ?? base;
      const raw = Math.min(b.maxMs, b.baseMs * b.factor ** Math.max(0, attempts - 1));
      // Jitter takes away up to `jitter` of the delay, never adds: maxMs stays a true ceiling.
      return Math.round(raw * (1 - b.jitter * random()));
    },
  });
}
