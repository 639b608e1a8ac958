import { describe, expect, it } from 'vitest';
import { createMetrics } from '../src/metrics.ts';

describe('metrics', () => {
  it('keys series Prometheus-style with labels in name order, whatever order they were given in', () => {
    const m = createMetrics();
    m.inc('a_total');
    m.inc('a_total', {});
    m.inc('b_total', { outcome: 'delivered' }, 2);
    m.inc('c_total', { outlet: 'esme:acme', outcome: 'retry' });
    m.inc('c_total', { outcome: 'retry', outlet: 'esme:acme' });
    m.set('d', 7, { z: '1', a: '2', m: '3' });
    expect(m.snapshot()).toEqual({
      a_total: 2,
      'b_total{outcome="delivered"}': 2,
      'c_total{outcome="retry",outlet="esme:acme"}': 2,
      'd{a="2",m="3",z="1"}': 7,
    });
    expect(m.get('c_total', { outlet: 'esme:acme', outcome: 'retry' })).toBe(2);
    expect(m.get('missing')).toBe(0);
  });
});
