import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InserterErrorCode, InvalidInserterOptionError, resolveInserterConfig } from '../src/index.ts';

describe('inserter errors', () => {
  it('has unique codes, each documented in errors.ts', () => {
    const codes = Object.values(InserterErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    const source = readFileSync(new URL('../src/errors.ts', import.meta.url), 'utf8');
    for (const key of Object.keys(InserterErrorCode))
      expect(source).toMatch(new RegExp(`/\\*\\*[^]*?\\*/\\s*${key}:`));
  });

  it('refuses bad options at construction, naming them', () => {
    const base = { store: { config: { maxMessageBytes: 100 } }, directory: {} } as never;
    expect(() => resolveInserterConfig({ ...(base as object), port: 70000 } as never)).toThrow(/port/);
    expect(() => resolveInserterConfig({ ...(base as object), sessionWindow: 0 } as never)).toThrow(
      InvalidInserterOptionError,
    );
    expect(resolveInserterConfig(base)).toMatchObject({ port: 2775, host: '127.0.0.1', sessionWindow: 50 });
  });
});
