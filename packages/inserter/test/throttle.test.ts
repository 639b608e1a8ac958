import { describe, expect, it } from 'vitest';
import { Throttles, TokenBucket } from '../src/index.ts';

describe('throughput', () => {
  it('allows one second of messages at once, then refills at the rate', () => {
    const bucket = new TokenBucket(10, 0);
    for (let i = 0; i < 10; i += 1) expect(bucket.take(1, 0)).toBe(true);
    expect(bucket.take(1, 0)).toBe(false);
    expect(bucket.take(1, 99)).toBe(false);
    expect(bucket.take(1, 100)).toBe(true);
  });

  it('takes all of a submit_multi or nothing', () => {
    const bucket = new TokenBucket(3, 0);
    expect(bucket.take(4, 0)).toBe(false);
    expect(bucket.take(3, 0)).toBe(true);
  });

  it('keeps accounts apart, and 0 means no limit', () => {
    let t = 0;
    const throttles = new Throttles(() => t);
    expect(throttles.take('a', 1, 1)).toBe(true);
    expect(throttles.take('a', 1, 1)).toBe(false);
    expect(throttles.take('b', 1, 1)).toBe(true);
    for (let i = 0; i < 100; i += 1) expect(throttles.take('c', 0, 1)).toBe(true);
    t = 1000;
    expect(throttles.take('a', 1, 1)).toBe(true);
  });
});
