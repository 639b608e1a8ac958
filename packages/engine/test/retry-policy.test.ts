import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRetryPolicy, EngineErrorCode, InvalidEngineOptionError } from '../src/index.ts';

describe('retry policy', () => {
  it('grows exponentially per error class up to its ceiling', () => {
    const p = createRetryPolicy({
      backoff: { baseMs: 1000, factor: 3, maxMs: 20_000, jitter: 0 },
      classes: { net: { baseMs: 10 } },
    });
    expect([1, 2, 3, 4].map((a) => p.delayMs(a))).toEqual([1000, 3000, 9000, 20_000]);
    expect([1, 2].map((a) => p.delayMs(a, 'net'))).toEqual([10, 30]);
    expect(p.delayMs(1, 'unknown')).toBe(1000);
  });

  it('takes jitter off the delay, never beyond the ceiling', () => {
    const low = createRetryPolicy({
      backoff: { baseMs: 1000, jitter: 0.5, maxMs: 1000 },
      random: () => 0.999,
    });
    const high = createRetryPolicy({ backoff: { baseMs: 1000, jitter: 0.5, maxMs: 1000 }, random: () => 0 });
    expect(low.delayMs(5)).toBe(500);
    expect(high.delayMs(5)).toBe(1000);
  });

  it('rejects nonsense at construction', () => {
    expect(() => createRetryPolicy({ maxAttempts: 0 })).toThrow(InvalidEngineOptionError);
    expect(() => createRetryPolicy({ backoff: { jitter: 2 } })).toThrow(InvalidEngineOptionError);
  });
});

describe('engine errors', () => {
  it('have unique codes, each documented in errors.ts', () => {
    const codes = Object.values(EngineErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    const source = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8');
    for (const [name, code] of Object.entries(EngineErrorCode)) {
      expect(source).toMatch(new RegExp(`/\\*\\*[^*]+\\*/\\s*${name}: '${code}'`));
    }
  });
});
