import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { CollectionName, collections } from './collections.ts';
import { isDuplicateKeyError, SchemaTooNewError } from './errors.ts';
import { INDEXES, RETIRED_INDEXES } from './indexes.ts';
import { EventType } from './records.ts';

/** 2: `sms_final` became `sms_final_at` (sparse on finalAt) and `sms_lock_token` went. */
export const SCHEMA_VERSION = 3;

export type MigrateOptions = {
  /** Size of the capped `events` collection in bytes. Default 16 MiB. */
  eventsSizeBytes?: number;
  now?: () => Date;
  logger?: Logger;
};

export type MigrateResult = { schemaVersion: number; createdCollections: string[] };

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

function isNamespaceExists(error: unknown): boolean {
  return codeOf(error) === 48;
}

/** IndexNotFound (27), NamespaceNotFound (26): dropped already, by us earlier or by another process. */
function isAlreadyGone(error: unknown): boolean {
  return codeOf(error) === 27 || codeOf(error) === 26;
}

/**
 * Creates the collections and indexes (by name, so a second run is a no-op) and records the schema
 * version. Safe to run from several processes at once.
 */
export async function migrate(db: Db, options: MigrateOptions = {}): Promise<MigrateResult> {
  const now = options.now ?? (() => new Date());
  const eventsSize = options.eventsSizeBytes ?? 16 * 1024 * 1024;
  const cols = collections(db);

  const recorded = await cols.migrations.findOne({ _id: 'schema' });
  if (recorded && recorded.version > SCHEMA_VERSION)
    throw new SchemaTooNewError(recorded.version, SCHEMA_VERSION);

  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  const created: string[] = [];
  for (const name of Object.values(CollectionName)) {
    if (existing.has(name)) continue;
    try {
      if (name === CollectionName.events) await db.createCollection(name, { capped: true, size: eventsSize });
      else await db.createCollection(name);
      created.push(name);
    } catch (error) {
      // Another process created it between our list and our create.
      if (!isNamespaceExists(error)) throw error;
    }
  }

  for (const index of INDEXES) {
    await db.collection(index.collection).createIndex(index.key, { ...index.options, name: index.name });
  }
  for (const index of RETIRED_INDEXES) {
    try {
      await db.collection(index.collection).dropIndex(index.name);
    } catch (error) {
      if (!isAlreadyGone(error)) throw error;
    }
  }

  // Real MongoDB kills a tailable cursor on an empty capped collection at once (SERVER-13955);
  // a sentinel keeps it never empty (eviction only happens on insert, so it stays non-empty).
  if ((await cols.events.findOne({}, { projection: { _id: 1 } })) === null) {
    await cols.events.insertOne({ type: EventType.sentinel, at: now() } as never, {
      forceServerObjectId: true,
    });
  }

  if (!recorded) {
    try {
      await cols.migrations.insertOne({ _id: 'schema', version: SCHEMA_VERSION, appliedAt: now() });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  } else if (recorded.version < SCHEMA_VERSION) {
    await cols.migrations.updateOne(
      { _id: 'schema', version: { $lt: SCHEMA_VERSION } },
      { $set: { version: SCHEMA_VERSION, appliedAt: now() } },
    );
  }
  options.logger?.info({ schemaVersion: SCHEMA_VERSION, created }, 'store migrated');
  return { schemaVersion: SCHEMA_VERSION, createdCollections: created };
}
