import { describe, expect, it } from 'vitest';
import { SmppError, smppErrorClasses } from '../../src/errors.ts';
import {
  SmppEncodingError,
  SmppSplitError,
  SmppTimeError,
  SmppUdhError,
  TextErrorCode,
} from '../../src/text/index.ts';

describe('text errors', () => {
  const errors = [
    new SmppTimeError('m', 'month', 'v'),
    new SmppEncodingError('m', 3),
    new SmppUdhError('m'),
    new SmppSplitError('m'),
  ];

  it('have unique stable codes, each listed in TextErrorCode', () => {
    const codes = errors.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.sort()).toEqual(Object.values(TextErrorCode).sort());
    expect(new SmppTimeError('m', 'f', 'v').code).toBe('SMPP_TIME');
  });

  it('share no code with the codec errors and are SmppErrors', () => {
    const codec = smppErrorClasses.map((C) => new C('x' as never, 0 as never, 0, 0, false).code);
    for (const e of errors) {
      expect(codec).not.toContain(e.code);
      expect(e).toBeInstanceOf(SmppError);
    }
  });

  it('are Errors named after their class, carrying a cause', () => {
    for (const e of errors) {
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(e.constructor.name);
    }
    const cause = new Error('inner');
    expect(new SmppTimeError('m', 'f', 'v', { cause }).cause).toBe(cause);
  });
});
