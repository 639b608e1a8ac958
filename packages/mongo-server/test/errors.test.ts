import { describe, expect, it } from 'vitest';
import { ErrorCodes, MongoCommandError } from '../src/errors.ts';

describe('error codes', () => {
  it('gives every code name a distinct number', () => {
    const numbers = Object.values(ErrorCodes);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('renders the reply MongoDB sends for a failed command', () => {
    const err = new MongoCommandError('DuplicateKey', 'E11000 ...', { keyValue: { a: 1 } });
    expect(err.toReply()).toEqual({
      ok: 0,
      errmsg: 'E11000 ...',
      code: 11000,
      codeName: 'DuplicateKey',
      keyValue: { a: 1 },
    });
  });
});
