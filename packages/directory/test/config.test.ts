import { describe, expect, it } from 'vitest';
import { InvalidDirectoryConfigError, validateDirectoryConfig } from '../src/index.ts';

function fieldOf(input: { accounts?: unknown; routes?: unknown }): string | undefined {
  try {
    validateDirectoryConfig(input);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidDirectoryConfigError);
    return (error as InvalidDirectoryConfigError).field;
  }
}

describe('validateDirectoryConfig', () => {
  it('accepts the issue example', () => {
    const config = validateDirectoryConfig({
      accounts: [
        { systemId: 'acme', password: 'acme-pw', maxBinds: 4, throughput: 200 },
        { systemId: 'sink', password: 'sink-pw' },
      ],
      routes: [{ prefix: '4670', account: 'sink' }],
    });
    expect(config.accounts).toHaveLength(2);
    expect(config.routes[0]).toEqual({ prefix: '4670', account: 'sink' });
  });

  it('names the bad field', () => {
    expect(fieldOf({ accounts: {} })).toBe('accounts');
    expect(fieldOf({ accounts: [{ systemId: '', password: 'x' }] })).toBe('accounts[0].systemId');
    expect(fieldOf({ accounts: [{ systemId: 'a', password: '123456789' }] })).toBe('accounts[0].password');
    expect(fieldOf({ accounts: [{ systemId: 'a', password: 'p', throughput: -1 }] })).toBe(
      'accounts[0].throughput',
    );
    expect(
      fieldOf({
        accounts: [
          { systemId: 'a', password: 'p' },
          { systemId: 'a', password: 'q' },
        ],
      }),
    ).toBe('accounts[1].systemId');
    expect(fieldOf({ routes: [{ prefix: '46x', target: 'smpp:a' }] })).toBe('routes[0].prefix');
    expect(fieldOf({ routes: [{ prefix: '46', account: 'ghost' }] })).toBe('routes[0].account');
    expect(fieldOf({ routes: [{ prefix: '46' }] })).toBe('routes[0]');
  });
});
