import { type RemoteServer, startMongoServerProcess } from '@smsc/mongo-server';
import { createStore, type Store } from '@smsc/store';
import { MongoClient } from 'mongodb';
import type { Logger } from 'pino';
import type { SmscConfig } from './config/validate.ts';
import { InvalidConfigError } from './errors.ts';

export type Database = {
  readonly store: Store;
  readonly uri: string;
  /** True when this process started the in-memory server (nothing survives a restart). */
  readonly inMemory: boolean;
  /** Closes the client, then the in-memory server if this process started it. Idempotent. */
  close(): Promise<void>;
};

/**
 * Connects to MongoDB (or, when allowed and no URI is configured, starts the in-memory server),
 * builds the store and runs its idempotent migration. Writes use majority write concern: a message
 * is answered only once it would survive a primary failover.
 */
export async function openDatabase(
  config: SmscConfig,
  logger: Logger,
  options: { allowInMemory: boolean },
): Promise<Database> {
  let server: RemoteServer | undefined;
  let uri = config.mongodb.uri;
  if (uri === undefined) {
    if (!options.allowInMemory)
      throw new InvalidConfigError('mongodb.uri', 'is required for this role (set MONGODB_URI)');
    // In a process of its own, as a mongod would run: the database and the SMPP sessions do not share
    // an event loop, nor a heap whose garbage collections would stall both (it exits with us).
    server = await startMongoServerProcess({ port: 0 });
    uri = server.uri;
    logger.warn(
      { uri },
      'no MongoDB URI configured: started the in-memory MongoDB server; nothing survives a restart',
    );
  }
  // forceServerObjectId: event ids then come from the one server, in insertion order. Ids made by
  // each process's driver are only ordered within that process, and the event tail resumes with
  // `_id > last`: it would skip another process's events written in the same second.
  const client = new MongoClient(uri, {
    writeConcern: { w: 'majority' },
    appName: 'smsc',
    forceServerObjectId: true,
  });
  try {
    await client.connect();
  } catch (error) {
    await server?.close();
    throw error;
  }
  const m = config.messages;
  const store = createStore({
    db: client.db(config.mongodb.database),
    logger: logger.child({ component: 'store' }),
    defaultValidityMs: m.defaultValidityMs,
    receiptValidityMs: m.receiptValidityMs,
    historyLimit: m.historyLimit,
    eventsSizeBytes: m.eventsSizeBytes,
  });
  const migration = await store.migrate();
  logger.info(
    {
      database: config.mongodb.database,
      schemaVersion: migration.schemaVersion,
      inMemory: server !== undefined,
    },
    'store ready',
  );
  let closing: Promise<void> | undefined;
  return {
    store,
    uri,
    inMemory: server !== undefined,
    close() {
      closing ??= (async () => {
        await client
          .close()
          .catch((error: unknown) => logger.warn({ err: error }, 'closing the MongoDB client failed'));
        await server
          ?.close()
          .catch((error: unknown) => logger.warn({ err: error }, 'stopping the in-memory server failed'));
      })();
      return closing;
    },
  };
}
