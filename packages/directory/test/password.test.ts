import { describe, expect, it } from 'vitest';
import { hashPassword, isPasswordHash, VerifiedPasswords, verifyPassword } from '../src/index.ts';

// A low cost keeps the tests fast; the format and comparison are the same at any cost.
const cost = { N: 1024, r: 8, p: 1 };

describe('password hashes', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('acme-pw', cost);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(hash).not.toContain('acme-pw');
    expect(await verifyPassword('acme-pw', hash)).toBe(true);
    expect(await verifyPassword('acme-pX', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same', cost)).not.toBe(await hashPassword('same', cost));
  });

  it('treats a malformed stored hash as a mismatch', async () => {
    expect(isPasswordHash('plain')).toBe(false);
    expect(await verifyPassword('plain', 'plain')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$0$8$1$AAAA$BBBB')).toBe(false);
  });

  it('remembers a successful verification but not a failed one', async () => {
    const hash = await hashPassword('pw', cost);
    const cache = new VerifiedPasswords();
    expect(await cache.verify('pw', hash)).toBe(true);
    expect(await cache.verify('pw', hash)).toBe(true);
    expect(await cache.verify('nope', hash)).toBe(false);
  });
});
