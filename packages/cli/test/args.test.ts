import { describe, expect, it } from 'vitest';
import { CliErrorCode, cliErrorClasses, helpText, parseCliArgs, UsageError } from '../src/index.ts';

describe('parseCliArgs', () => {
  it('reads a role and --config', () => {
    expect(parseCliArgs(['inserter', '--config', 'x.json'])).toEqual({
      kind: 'run',
      role: 'inserter',
      configPath: 'x.json',
      trialFallback: false,
    });
  });

  it('runs everything with the trial fallback when no role is given (npm start)', () => {
    expect(parseCliArgs([])).toEqual({ kind: 'run', role: 'all', trialFallback: true });
  });

  it('refuses unknown roles and options', () => {
    expect(() => parseCliArgs(['admin'])).toThrow(UsageError);
    expect(() => parseCliArgs(['all', '--verbose'])).toThrow(UsageError);
    expect(() => parseCliArgs(['all', 'cleanup'])).toThrow(/one role/);
  });

  it('prints help for -h and --help', () => {
    expect(parseCliArgs(['-h'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['all', '--help'])).toEqual({ kind: 'help' });
    expect(helpText()).toContain('SMSC_SMPP_PORT');
  });
});

describe('cli errors', () => {
  it('have unique codes, all listed in CliErrorCode', () => {
    const codes = new Set(Object.values(CliErrorCode));
    expect(codes.size).toBe(Object.keys(CliErrorCode).length);
    expect(cliErrorClasses.map((c) => c.name)).toEqual([
      'CliError',
      'InvalidConfigError',
      'ConfigFileError',
      'UsageError',
    ]);
  });
});
