import { describe, expect, it } from 'vitest';
import { createMessageIdGenerator, normaliseMsisdn } from '../src/index.ts';

describe('message ids', () => {
  it('are 10 base36 characters that sort by time and then by allocation', () => {
    let t = Date.UTC(2026, 0, 1);
    const gen = createMessageIdGenerator(() => new Date(t));
    const ids: string[] = [];
    for (let i = 0; i < 1000; i += 1) {
      ids.push(gen.next());
      if (i % 100 === 0) t += 1000;
    }
    for (const id of ids) expect(id).toMatch(/^[0-9a-z]{10}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('stay monotonic when the clock goes back or a second overflows', () => {
    let t = Date.UTC(2026, 0, 1);
    const gen = createMessageIdGenerator(
      () => new Date(t),
      (max) => max - 2,
    );
    const a = gen.next();
    t -= 5000;
    const b = gen.next();
    const c = gen.next();
    const d = gen.next();
    expect([a, b, c, d]).toEqual([a, b, c, d].sort());
    expect(new Set([a, b, c, d]).size).toBe(4);
  });
});

describe('normaliseMsisdn', () => {
  it('locks +4412, 004412 and 4412 as the same subscriber', () => {
    expect(normaliseMsisdn('+44 12')).toBe('4412');
    expect(normaliseMsisdn('004412')).toBe('4412');
    expect(normaliseMsisdn('4412')).toBe('4412');
    expect(normaliseMsisdn('Info')).toBe('info');
  });
});
