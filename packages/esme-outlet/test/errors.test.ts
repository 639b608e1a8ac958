import { describe, expect, it } from 'vitest';
import { EsmeDeliveryClosedError, EsmeOutletErrorCode, InvalidEsmeOutletOptionError } from '../src/index.ts';

describe('esme-outlet errors', () => {
  it('have unique stable codes, one per class', () => {
    const errors = [new InvalidEsmeOutletOptionError('x'), new EsmeDeliveryClosedError()];
    const codes = errors.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(Object.values(EsmeOutletErrorCode).sort());
    for (const e of errors) expect(e.name).toBe(e.constructor.name);
  });
});
