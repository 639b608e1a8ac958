import { describe, expect, it } from 'vitest';
import { type RouteRecord, RouteTable } from '../src/index.ts';

function route(id: string, prefix: string, target: string, extra: Partial<RouteRecord> = {}): RouteRecord {
  return {
    _id: id,
    prefix,
    target,
    order: 0,
    enabled: true,
    source: 'api',
    updatedAt: new Date(0),
    ...extra,
  };
}

describe('RouteTable', () => {
  const table = new RouteTable([
    route('default', '', 'esme:fallback'),
    route('se', '46', 'esme:sweden'),
    route('se-mobile', '4670', 'esme:sink'),
    route('se-mobile-acme', '4670', 'esme:acme-sink', { fromAccount: 'acme' }),
    route('off', '467012', 'esme:never', { enabled: false }),
  ]);

  it('picks the longest matching prefix', () => {
    expect(table.match('46701234567')?.target).toBe('esme:sink');
    expect(table.match('4680000')?.target).toBe('esme:sweden');
    expect(table.match('4915100')?.target).toBe('esme:fallback');
  });

  it('prefers a route for the submitting account at equal length', () => {
    expect(table.match('46701234567', 'acme')?.target).toBe('esme:acme-sink');
    expect(table.match('46701234567', 'other')?.target).toBe('esme:sink');
  });

  it('matches on the normalised destination (+ and 00 prefixes)', () => {
    expect(table.match('+46701234567')?.target).toBe('esme:sink');
    expect(table.match('0046701234567')?.target).toBe('esme:sink');
  });

  it('ignores disabled routes and returns null when nothing matches', () => {
    const narrow = new RouteTable([
      route('se', '46', 'esme:sink'),
      route('x', '49', 'esme:x', { enabled: false }),
    ]);
    expect(narrow.match('4915100')).toBeNull();
    expect(narrow.match('')).toBeNull();
  });

  it('breaks ties between equal routes by order', () => {
    const t = new RouteTable([
      route('b', '46', 'esme:b', { order: 2 }),
      route('a', '46', 'esme:a', { order: 1 }),
    ]);
    expect(t.match('4612')?.target).toBe('esme:a');
  });
});
