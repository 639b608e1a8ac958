import { createStore, type Store } from '@smsc/store';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDirectoryConfig, Directory, validateDirectoryConfig } from '../src/index.ts';

const hashCost = { N: 1024, r: 8, p: 1 };

describe('Directory over the store', () => {
  let mongo: TestMongo;
  let store: Store;
  let directory: Directory;
  beforeAll(async () => {
    mongo = await useTestMongo();
    store = createStore({ db: await mongo.db(), eventsSizeBytes: 1024 * 1024 });
    await store.migrate();
    const config = validateDirectoryConfig({
      accounts: [
        { systemId: 'acme', password: 'acme-pw', maxBinds: 4, throughput: 200 },
        { systemId: 'sink', password: 'sink-pw', allowMo: true },
        { systemId: 'off', password: 'off-pw', enabled: false },
      ],
      routes: [{ prefix: '4670', account: 'sink' }],
    });
    await applyDirectoryConfig(store.collections, config, { hashCost });
    directory = new Directory({ collections: store.collections, refreshIntervalMs: 0 });
    await directory.start();
  });
  afterAll(async () => {
    directory.close();
    await mongo.close();
  });

  it('stores only a hash of each password', async () => {
    const doc = await store.collections.accounts.findOne({ _id: 'acme' as never });
    expect(doc?.passwordHash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(doc)).not.toContain('acme-pw');
  });

  it('authenticates with exact outcomes', async () => {
    expect(await directory.authenticate('acme', 'acme-pw')).toMatchObject({
      outcome: 'ok',
      account: { systemId: 'acme', maxBinds: 4, throughput: 200, allowMo: false },
    });
    expect(await directory.authenticate('acme', 'wrong')).toEqual({ outcome: 'bad_password' });
    expect(await directory.authenticate('ghost', 'x')).toEqual({ outcome: 'unknown_system_id' });
    expect(await directory.authenticate('off', 'off-pw')).toEqual({ outcome: 'disabled' });
  });

  it('routes by the applied config', () => {
    expect(directory.route('46701234567', 'acme')?.target).toBe('esme:sink');
    expect(directory.route('4915100', 'acme')).toBeNull();
  });

  it('keeps the hash when the config is applied again unchanged, and removes dropped config routes', async () => {
    const before = await store.collections.accounts.findOne({ _id: 'acme' as never });
    const result = await applyDirectoryConfig(
      store.collections,
      validateDirectoryConfig({
        accounts: [{ systemId: 'acme', password: 'acme-pw' }],
        routes: [{ prefix: '49', target: 'smpp:up' }],
      }),
      { hashCost },
    );
    expect(result).toMatchObject({ accountsDisabled: 1, routesWritten: 1, routesRemoved: 1 });
    const after = await store.collections.accounts.findOne({ _id: 'acme' as never });
    expect(after?.passwordHash).toBe(before?.passwordHash);
    await directory.refresh();
    expect(directory.route('46701234567')).toBeNull();
    expect(directory.route('4915100')?.target).toBe('smpp:up');
    expect(await directory.authenticate('sink', 'sink-pw')).toEqual({ outcome: 'disabled' });
  });

  it('finds an account added after start at its first bind', async () => {
    await applyDirectoryConfig(
      store.collections,
      validateDirectoryConfig({ accounts: [{ systemId: 'late', password: 'late-pw' }] }),
      { hashCost },
    );
    expect((await directory.authenticate('late', 'late-pw')).outcome).toBe('ok');
  });
});
