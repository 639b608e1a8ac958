import { resolve } from 'node:path';
import { connectSmpp } from '@smsc/smpp';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRoleConfig, InvalidConfigError, startSmsc, validateConfig } from '../src/index.ts';

// The test-only self-signed pair of the SMPP package.
const FIXTURES = resolve(import.meta.dirname, '../../smpp/test/fixtures/tls');

describe('SMPP over TLS', () => {
  let mongo: TestMongo;
  beforeAll(async () => {
    mongo = await useTestMongo();
  });
  afterAll(() => mongo.close());

  it('serves binds over TLS when both PEM files are configured', async () => {
    const config = validateConfig({
      mongodb: { uri: mongo.uri, database: mongo.dbName },
      smpp: {
        port: 0,
        tlsCertFile: `${FIXTURES}/cert.pem`,
        tlsKeyFile: `${FIXTURES}/key.pem`,
      },
      accounts: [{ systemId: 'acme', password: 'acme-pw' }],
      log: { level: 'silent' },
    });
    checkRoleConfig('inserter', config);
    const smsc = await startSmsc('inserter', config, pino({ level: 'silent' }));
    try {
      const session = await connectSmpp({
        host: '127.0.0.1',
        port: smsc.smpp!.port,
        tls: { rejectUnauthorized: false },
        enquireLinkIntervalMs: 0,
        bind: { command: 'bind_transmitter', systemId: 'acme', password: 'acme-pw' },
      });
      expect(session.state).toBe('bound_tx');
      await session.unbind();
    } finally {
      await smsc.close();
    }
  });

  it('needs both files, and names the one that cannot be read', () => {
    expect(() => validateConfig({ smpp: { tlsCertFile: 'cert.pem' } })).toThrow(
      /^smpp\.tlsKeyFile: TLS needs both/,
    );
    const config = validateConfig({
      mongodb: { uri: 'mongodb://h/x' },
      smpp: { tlsCertFile: `${FIXTURES}/cert.pem`, tlsKeyFile: '/nonexistent/key.pem' },
    });
    expect(() => checkRoleConfig('inserter', config)).toThrow(InvalidConfigError);
    expect(() => checkRoleConfig('inserter', config)).toThrow(/^smpp\.tlsKeyFile: cannot read .*ENOENT/);
    // Roles without an SMPP listener do not care.
    expect(() => checkRoleConfig('cleanup', config)).not.toThrow();
  });
});
