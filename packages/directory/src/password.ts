/**
 * Password hashes: scrypt from node:crypto, stored as `scrypt$N$r$p$salt$hash` (base64url), so the
 * cost can be raised later and old hashes still verify. Comparison is constant-time.
 */
import { createHash, randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

/** Cost parameters. The default (N 2^14, r 8, p 1) takes tens of milliseconds, once per bind. */
export interface HashCost {
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_HASH_COST: Readonly<HashCost> = Object.freeze({ N: 1 << 14, r: 8, p: 1 });

function scryptAsync(password: string, salt: Buffer, cost: HashCost): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string, cost: HashCost = DEFAULT_HASH_COST): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await scryptAsync(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface ParsedHash {
  cost: HashCost;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((v) => Number.isInteger(v) && v > 0)) return null;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length === 0 || key.length !== KEY_LENGTH) return null;
  return { cost: { N, r, p }, salt, key };
}

export function isPasswordHash(stored: unknown): stored is string {
  return typeof stored === 'string' && parseHash(stored) !== null;
}

/** True when `password` matches `stored`; false for a mismatch or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await scryptAsync(password, parsed.salt, parsed.cost);
  return timingSafeEqual(key, parsed.key);
}

/**
 * Remembers recent successful verifications so a bind storm does not cost one scrypt per bind.
 * Keyed by the stored hash; holds a SHA-256 of the password, compared in constant time.
 */
export class VerifiedPasswords {
  private readonly known = new Map<string, Buffer>();
  private readonly limit: number;

  constructor(limit = 1000) {
    this.limit = limit;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const digest = createHash('sha256').update(password).digest();
    const seen = this.known.get(stored);
    if (seen && timingSafeEqual(seen, digest)) return true;
    const ok = await verifyPassword(password, stored);
    if (ok) {
      if (this.known.size >= this.limit) this.known.delete(this.known.keys().next().value as string);
      this.known.set(stored, digest);
    }
    return ok;
  }
}
