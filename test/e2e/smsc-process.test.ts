import { connect } from 'node:net';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAllSmscProcesses, startSmscProcess } from './support/smsc-process.ts';

// The helper every e2e suite starts the SMSC with: it must find the port, stop cleanly and kill hard.
describe('startSmscProcess', () => {
  let mongo: TestMongo;
  beforeAll(async () => {
    mongo = await useTestMongo();
  });
  afterAll(async () => {
    await killAllSmscProcesses();
    await mongo.close();
  });

  const config = {
    accounts: [{ systemId: 'acme', password: 'acme-pw' }],
    routes: [],
    shutdown: { drainMs: 1000 },
  };

  it('starts an inserter on a free port that accepts connections, and SIGTERM exits 0', async () => {
    const p = await startSmscProcess({
      role: 'inserter',
      config,
      mongo: { uri: mongo.uri, database: mongo.dbName },
    });
    expect(p.smpp?.host).toBe('127.0.0.1');
    expect(p.smpp?.port).toBeGreaterThan(0);
    const socket = connect(p.smpp!.port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.destroy();
    expect(await p.stop()).toBe(0);
    expect(p.logs()).toContain('"msg":"stopped"');
  }, 30_000);

  it('kills a process with SIGKILL', async () => {
    const p = await startSmscProcess({
      role: 'cleanup',
      config,
      mongo: { uri: mongo.uri, database: mongo.dbName },
    });
    expect(p.smpp).toBeUndefined();
    await p.kill();
    expect(await p.exited).toEqual({ code: null, signal: 'SIGKILL' });
  }, 30_000);

  it('rejects with the logs when the process exits before it is ready', async () => {
    await expect(startSmscProcess({ role: 'inserter', config: { smpp: { port: -1 } } })).rejects.toThrow(
      /smpp\.port: must be an integer/,
    );
  }, 30_000);
});
