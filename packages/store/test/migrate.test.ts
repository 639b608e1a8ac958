import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectionName, INDEXES, migrate, SCHEMA_VERSION, SchemaTooNewError } from '../src/index.ts';

describe('migrate', () => {
  let mongo: TestMongo;
  beforeAll(async () => {
    mongo = await useTestMongo();
  });
  afterAll(() => mongo.close());

  it('creates every collection, the events collection capped, and every index by name', async () => {
    const db = await mongo.db();
    const result = await migrate(db, { eventsSizeBytes: 65536 });
    expect(result.schemaVersion).toBe(SCHEMA_VERSION);
    const cols = await db.listCollections().toArray();
    const names = cols.map((c) => c.name);
    for (const name of Object.values(CollectionName)) expect(names).toContain(name);
    const events = cols.find((c) => c.name === 'events') as { options?: { capped?: boolean; size?: number } };
    expect(events.options?.capped).toBe(true);
    for (const index of INDEXES) {
      const existing = await db.collection(index.collection).listIndexes().toArray();
      expect(existing.map((i) => i.name)).toContain(index.name);
    }
  });

  it('is idempotent and records the schema version once', async () => {
    const db = await mongo.db();
    await migrate(db);
    const again = await migrate(db);
    expect(again.createdCollections).toEqual([]);
    expect(await db.collection('migrations').countDocuments()).toBe(1);
    expect((await db.collection('migrations').findOne({ _id: 'schema' as never }))?.version).toBe(
      SCHEMA_VERSION,
    );
  });

  it('keeps a sentinel in the events collection so a tailable cursor never meets it empty', async () => {
    const db = await mongo.db();
    await migrate(db);
    expect(await db.collection('events').countDocuments({ type: 'events.sentinel' })).toBe(1);
  });

  it('moves an older store on: drops the indexes later versions retired, keeps its records, records the version', async () => {
    const db = (await mongo.client()).db(`${mongo.dbName}_v1`);
    const sms = db.collection(CollectionName.sms);
    await sms.createIndex({ 'lock.token': 1 }, { name: 'sms_lock_token', sparse: true });
    await sms.createIndex({ state: 1, finalAt: 1 }, { name: 'sms_final' });
    // Retired by version 3.
    await sms.createIndex({ state: 1, nextAttemptAt: 1 }, { name: 'sms_next_attempt' });
    await db
      .collection(CollectionName.locks)
      .createIndex({ kind: 1, until: 1 }, { name: 'locks_kind_until' });
    await sms.insertOne({ _id: 'm1' as never, state: 'delivered', finalAt: new Date(0) });
    await db.collection('migrations').insertOne({ _id: 'schema' as never, version: 1 });
    await migrate(db);
    // A second process migrating at the same time finds them gone already.
    await migrate(db);
    const names = (await sms.listIndexes().toArray()).map((i) => i.name);
    expect(names).not.toContain('sms_lock_token');
    expect(names).not.toContain('sms_final');
    expect(names).not.toContain('sms_next_attempt');
    const lockIndexes = (await db.collection(CollectionName.locks).listIndexes().toArray()).map(
      (i) => i.name,
    );
    expect(lockIndexes).not.toContain('locks_kind_until');
    expect(names).toContain('sms_final_at');
    expect(await sms.countDocuments({ finalAt: { $lt: new Date(1) } })).toBe(1);
    expect((await db.collection('migrations').findOne({ _id: 'schema' as never }))?.version).toBe(3);
    await db.dropDatabase();
  });

  it('refuses a database migrated by a newer version', async () => {
    const db = (await mongo.client()).db(`${mongo.dbName}_newer`);
    await db.collection('migrations').insertOne({ _id: 'schema' as never, version: SCHEMA_VERSION + 1 });
    await expect(migrate(db)).rejects.toBeInstanceOf(SchemaTooNewError);
    await db.dropDatabase();
  });
});
