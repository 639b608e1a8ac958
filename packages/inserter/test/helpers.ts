import { applyDirectoryConfig, Directory, validateDirectoryConfig } from '@smsc/directory';
import { type BindCommand, connectSmpp, type SmppSession } from '@smsc/smpp';
import { createStore, type Store } from '@smsc/store';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import type { Db } from 'mongodb';
import { afterAll, beforeAll } from 'vitest';
import { Inserter, type InserterOptions } from '../src/index.ts';

// A low scrypt cost: the tests are about SMPP statuses, not about hashing speed.
const hashCost = { N: 1024, r: 8, p: 1 };

export const ACCOUNTS = [
  { systemId: 'acme', password: 'acme-pw', maxBinds: 3 },
  { systemId: 'sink', password: 'sink-pw' },
  { systemId: 'slow', password: 'slow-pw', throughput: 2 },
  { systemId: 'gateway', password: 'gw-pw', allowMo: true },
  { systemId: 'off', password: 'off-pw', enabled: false },
];
export const ROUTES = [
  { prefix: '4670', account: 'sink' },
  { prefix: '4671', account: 'acme' },
];

export interface Fixture {
  db: Db;
  store: Store;
  directory: Directory;
}

export async function setUpDirectory(mongo: TestMongo, db?: Db): Promise<Fixture> {
  const database = db ?? (await mongo.db());
  const store = createStore({ db: database, eventsSizeBytes: 1024 * 1024 });
  await store.migrate();
  await applyDirectoryConfig(
    store.collections,
    validateDirectoryConfig({ accounts: ACCOUNTS, routes: ROUTES }),
    {
      hashCost,
    },
  );
  const directory = new Directory({ collections: store.collections, refreshIntervalMs: 0 });
  await directory.start();
  return { db: database, store, directory };
}

export async function startInserter(
  fixture: Fixture,
  options: Partial<InserterOptions> = {},
): Promise<Inserter> {
  const inserter = new Inserter({
    store: fixture.store,
    directory: fixture.directory,
    port: 0,
    drainTimeoutMs: 2_000,
    ...options,
  });
  await inserter.start();
  return inserter;
}

const PASSWORDS: Record<string, string> = Object.fromEntries(ACCOUNTS.map((a) => [a.systemId, a.password]));

export function bindAs(
  inserter: Inserter,
  systemId: string,
  command: BindCommand = 'bind_transceiver',
  password = PASSWORDS[systemId] ?? '',
  windowSize = 10,
): Promise<SmppSession> {
  return connectSmpp({
    host: '127.0.0.1',
    port: inserter.port,
    windowSize,
    enquireLinkIntervalMs: 0,
    bind: { command, systemId, password },
  });
}

/** A write gate: writes wait until `open()`; lets tests hold messages "in flight". */
export function gate(): { wait: () => Promise<void>; open: () => void } {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { wait: () => opened, open: () => release() };
}

export type AcmeSuite = { mongo: TestMongo; fixture: Fixture; inserter: Inserter; acme: SmppSession };

/**
 * A suite's inserter on the harness MongoDB with the test directory and `acme` bound as a
 * transceiver; set in beforeAll, closed in afterAll.
 */
export function useInserterWithAcme(): AcmeSuite {
  const suite = {} as AcmeSuite;
  beforeAll(async () => {
    suite.mongo = await useTestMongo();
    suite.fixture = await setUpDirectory(suite.mongo);
    suite.inserter = await startInserter(suite.fixture);
    suite.acme = await bindAs(suite.inserter, 'acme', 'bind_transceiver');
  });
  afterAll(async () => {
    await suite.acme.close();
    await suite.inserter.close();
    suite.fixture.directory.close();
    await suite.mongo.close();
  });
  return suite;
}
