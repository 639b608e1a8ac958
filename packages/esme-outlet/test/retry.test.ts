import { createRetryPolicy } from '@smsc/engine';
import { describe, expect, it } from 'vitest';
import { EsmeErrorClass, esmeRetry } from '../src/index.ts';

describe('esmeRetry', () => {
  it('retries a lost session after 1 s, doubling, while other errors keep the configured backoff', () => {
    const options = esmeRetry({ backoff: { baseMs: 30_000, jitter: 0 } });
    const policy = createRetryPolicy(options as Parameters<typeof createRetryPolicy>[0]);
    expect(policy.delayMs(1, EsmeErrorClass.session)).toBe(1000);
    expect(policy.delayMs(3, EsmeErrorClass.session)).toBe(4000);
    expect(policy.delayMs(1, EsmeErrorClass.esme)).toBe(30_000);
  });

  it("lets the operator's own classes win and passes a ready policy through", () => {
    const options = esmeRetry({ classes: { [EsmeErrorClass.session]: { baseMs: 5 } } });
    expect(
      (options as { classes: Record<string, { baseMs: number }> }).classes[EsmeErrorClass.session],
    ).toEqual({
      baseMs: 5,
    });
    const policy = createRetryPolicy();
    expect(esmeRetry(policy)).toBe(policy);
  });
});
