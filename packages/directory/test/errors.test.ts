import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DirectoryErrorCode } from '../src/index.ts';

describe('directory error codes', () => {
  it('are unique and documented in errors.ts', () => {
    const codes = Object.values(DirectoryErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    const source = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8');
    for (const key of Object.keys(DirectoryErrorCode))
      expect(source).toMatch(new RegExp(`/\\*\\*[^]*?\\*/\\s*${key}:`));
  });
});
