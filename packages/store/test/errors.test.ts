import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  InvalidMessageError,
  isDuplicateKeyError,
  MessageTooLargeError,
  StoreError,
  StoreErrorCode,
} from '../src/index.ts';

describe('store errors', () => {
  it('have unique codes, each documented in errors.ts', () => {
    const codes = Object.values(StoreErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    const source = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8');
    for (const [name, code] of Object.entries(StoreErrorCode)) {
      expect(source).toMatch(new RegExp(`/\\*\\*[^*]+\\*/\\s*${name}: '${code}'`));
    }
  });

  it('are StoreErrors with name and code', () => {
    const e = new MessageTooLargeError(10, 5);
    expect(e).toBeInstanceOf(StoreError);
    expect(e.name).toBe('MessageTooLargeError');
    expect(new InvalidMessageError('x').code).toBe(StoreErrorCode.invalidMessage);
    expect(isDuplicateKeyError({ code: 11000 })).toBe(true);
    expect(isDuplicateKeyError(new Error('x'))).toBe(false);
  });
});
