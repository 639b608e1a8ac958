import { describe, expect, it } from 'vitest';
import { SmppError, smppErrorClasses } from '../../src/errors.ts';
import { sessionErrorClasses } from '../../src/session/errors.ts';

describe('session errors', () => {
  const instances = sessionErrorClasses.map((Cls) => {
    const Any = Cls as unknown as new (...args: unknown[]) => SmppError;
    return new Any('x', 1, 2, 3);
  });

  it('each have a stable code, unique across the package', () => {
    const codes = instances.map((e) => e.code);
    const codecCodes = smppErrorClasses.map(
      (Cls) => new (Cls as unknown as new (m: string) => SmppError)('x').code,
    );
    expect(new Set([...codes, ...codecCodes]).size).toBe(codes.length + codecCodes.length);
    for (const code of codes) expect(code).toMatch(/^SMPP_[A-Z_]+$/);
  });

  it('are SmppErrors named after their class', () => {
    for (const [i, e] of instances.entries()) {
      expect(e).toBeInstanceOf(SmppError);
      expect(e.name).toBe(sessionErrorClasses[i]!.name);
    }
  });
});
