import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  applyEnv,
  CliErrorCode,
  ConfigFileError,
  InvalidConfigError,
  loadConfig,
  TRIAL_CONFIG,
  validateConfig,
} from '../src/index.ts';

function fieldOf(fn: () => unknown): { field: string; message: string; env: string | undefined } {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    const e = error as InvalidConfigError;
    expect(e.code).toBe(CliErrorCode.invalidConfig);
    return { field: e.field, message: e.message, env: e.env };
  }
  throw new Error('no error thrown');
}

describe('validateConfig', () => {
  it('fills every default and freezes the result', () => {
    const config = validateConfig({});
    expect(config.smpp.port).toBe(2775);
    expect(config.smpp.host).toBe('127.0.0.1');
    expect(config.mongodb.uri).toBeUndefined();
    expect(config.mongodb.database).toBe('smsc');
    expect(config.log.level).toBe('info');
    expect(config.shutdown.drainMs).toBe(10_000);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.smpp)).toBe(true);
  });

  it('accepts the issue example config', () => {
    const config = validateConfig({
      mongodb: { uri: 'mongodb://127.0.0.1:27017/smsc?replicaSet=rs0' },
      ...TRIAL_CONFIG,
    });
    expect(config.accounts.map((a) => a.systemId)).toEqual(['acme', 'sink']);
    expect(config.routes[0]).toMatchObject({ prefix: '4670', account: 'sink' });
  });

  it.each([
    [{ smpp: { port: 70000 } }, 'smpp.port', /0-65535/],
    [{ smpp: { port: '2775' } }, 'smpp.port', /integer/],
    [{ smpp: { prot: 1 } }, 'smpp.prot', /unknown setting/],
    [{ smpp: 5 }, 'smpp', /object/],
    [{ mongodb: { uri: 'http://x' } }, 'mongodb.uri', /mongodb:\/\//],
    [{ log: { level: 'loud' } }, 'log.level', /one of/],
    [{ delivery: { concurrency: 0 } }, 'delivery.concurrency', />= 1|1-1000/],
    [{ cleanup: { intervalMs: 60_000, leaseMs: 30_000 } }, 'cleanup.leaseMs', /longer/],
    [{ acounts: [] }, 'acounts', /unknown setting/],
    [
      {
        accounts: [
          { systemId: 'a', password: 'p' },
          { systemId: 'b', password: 'far-too-long' },
        ],
      },
      'accounts[1].password',
      /1-8/,
    ],
    [{ accounts: [], routes: [{ prefix: '46', account: 'ghost' }] }, 'routes[0].account', /account/],
  ])('names the bad field: %j -> %s', (input, field, problem) => {
    const e = fieldOf(() => validateConfig(input));
    expect(e.field).toBe(field);
    expect(e.message).toMatch(problem);
    expect(e.message.startsWith(field)).toBe(true);
  });
});

describe('environment overrides', () => {
  it('wins over the file and is validated as the field it sets', () => {
    const { config, sources } = applyEnv(
      { smpp: { port: 1 } },
      { SMSC_SMPP_PORT: '2776', MONGODB_URI: 'mongodb://h/db' },
    );
    const valid = validateConfig(config, sources);
    expect(valid.smpp.port).toBe(2776);
    expect(valid.mongodb.uri).toBe('mongodb://h/db');
  });

  it('names the variable in errors', () => {
    const notNumber = fieldOf(() => applyEnv({}, { SMSC_SMPP_PORT: 'x' }));
    expect(notNumber).toMatchObject({ field: 'smpp.port', env: 'SMSC_SMPP_PORT' });
    const { config, sources } = applyEnv({}, { SMSC_LOG_LEVEL: 'chatty' });
    const badLevel = fieldOf(() => validateConfig(config, sources));
    expect(badLevel.message).toMatch(/^SMSC_LOG_LEVEL \(log\.level\): must be one of/);
  });

  it('ignores empty variables', () => {
    const { config } = applyEnv({}, { SMSC_SMPP_PORT: '' });
    expect(validateConfig(config).smpp.port).toBe(2775);
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smsc-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads --config, else SMSC_CONFIG', () => {
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ smpp: { port: 3000 } }));
    expect(loadConfig({ path: 'a.json', env: {}, cwd: dir }).config.smpp.port).toBe(3000);
    const viaEnv = loadConfig({ env: { SMSC_CONFIG: join(dir, 'a.json') }, cwd: '/' });
    expect(viaEnv.source).toEqual({ kind: 'file', path: join(dir, 'a.json') });
  });

  it('says which file is missing or not JSON', () => {
    expect(() => loadConfig({ path: 'nope.json', env: {}, cwd: dir })).toThrow(ConfigFileError);
    writeFileSync(join(dir, 'bad.json'), '{ "smpp": ');
    expect(() => loadConfig({ path: 'bad.json', env: {}, cwd: dir })).toThrow(/bad\.json: is not valid JSON/);
  });

  it('falls back to ./smsc.config.json, then to the trial config, only when asked', () => {
    const empty = mkdtempSync(join(dir, 'empty-'));
    expect(loadConfig({ env: {}, cwd: empty, trialFallback: true }).source).toEqual({ kind: 'trial' });
    expect(loadConfig({ env: {}, cwd: empty }).source).toEqual({ kind: 'none' });
    writeFileSync(join(empty, 'smsc.config.json'), JSON.stringify({ smpp: { port: 4000 } }));
    const local = loadConfig({ env: {}, cwd: empty, trialFallback: true });
    expect(local.source.kind).toBe('file');
    expect(local.config.smpp.port).toBe(4000);
  });
});
