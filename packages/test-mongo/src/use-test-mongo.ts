import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { type Db, MongoClient, type MongoClientOptions } from 'mongodb';
import { expect, inject } from 'vitest';
import { type MongoKind, resolveMongo } from './resolve.ts';

export type TestMongo = {
  readonly uri: string;
  readonly kind: MongoKind;
  /** Unique for this call: derived from the test file name plus random hex. */
  readonly dbName: string;
  /** A shared connected client (created on first call). */
  client(): Promise<MongoClient>;
  /** The test's database on the shared client. */
  db(): Promise<Db>;
  /** A separate connected client, closed by `close()`: for tests with several clients. */
  newClient(options?: MongoClientOptions): Promise<MongoClient>;
  /** Drops the test database, closes every client and, if this call started a server, stops it. */
  close(): Promise<void>;
};

export type UseTestMongoOptions = {
  /** Prefix of the database name; default: the test file's base name. */
  name?: string;
};

function databaseName(prefix: string): string {
  const clean = prefix
    .replace(/\.test\.[cm]?[jt]s$/, '')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .slice(0, 40);
  return `${clean || 'test'}_${randomBytes(6).toString('hex')}`;
}

function injected(): { uri: string; kind: MongoKind } | undefined {
  try {
    const uri = inject('smscMongoUri');
    if (uri) return { uri, kind: inject('smscMongoKind') ?? 'env' };
  } catch {
    // Not running under a vitest globalSetup that provides it.
  }
  return undefined;
}

/**
 * A MongoDB for one test file. Uses the URI the globalSetup provided when the project lists
 * `../test-mongo/src/global-setup.ts`; otherwise resolves its own (MONGODB_URI, Docker, in-memory).
 */
export async function useTestMongo(options: UseTestMongoOptions = {}): Promise<TestMongo> {
  const given = injected();
  const own = given ? undefined : await resolveMongo();
  const uri = given?.uri ?? own!.uri;
  const kind = given?.kind ?? own!.kind;
  const testPath = (() => {
    try {
      return expect.getState().testPath;
    } catch {
      return undefined;
    }
  })();
  const dbName = databaseName(options.name ?? (testPath ? basename(testPath) : 'test'));
  const clients: MongoClient[] = [];
  let shared: Promise<MongoClient> | undefined;
  let closing: Promise<void> | undefined;
  const newClient = async (opts?: MongoClientOptions) => {
    const c = new MongoClient(uri, opts);
    clients.push(c);
    await c.connect();
    return c;
  };
  const client = () => {
    shared ??= newClient();
    return shared;
  };
  return {
    uri,
    kind,
    dbName,
    client,
    db: async () => (await client()).db(dbName),
    newClient,
    close() {
      closing ??= (async () => {
        try {
          if (shared) await (await shared).db(dbName).dropDatabase();
        } catch {
          // The database may never have been created, or the server is already gone.
        }
        for (const c of clients) await c.close().catch(() => {});
        if (own) await own.stop();
      })();
      return closing;
    },
  };
}
