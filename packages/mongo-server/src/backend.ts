import { ChangeLog } from './change-log.ts';
import { type CappedOptions, Collection } from './collection.ts';
import { CursorRegistry } from './cursors.ts';
import { MongoCommandError } from './errors.ts';

// Names MongoDB refuses (Naming Restrictions in the manual); the rest are accepted as given.
const BAD_DB_CHARS = /[/\\. "$\0]/;

/** All server state: databases of collections, and the cursors open on them. */
export class Backend {
  readonly databases = new Map<string, Map<string, Collection>>();
  readonly cursors = new CursorRegistry();
  readonly changes = new ChangeLog();

  collection(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.get(name);
  }

  /** The collection, created implicitly as MongoDB does on the first write or index. */
  ensureCollection(db: string, name: string, capped?: CappedOptions): { coll: Collection; created: boolean } {
    const existing = this.collection(db, name);
    if (existing) return { coll: existing, created: false };
    validateNames(db, name);
    let colls = this.databases.get(db);
    if (!colls) {
      colls = new Map();
      this.databases.set(db, colls);
    }
    const coll = new Collection(db, name, capped);
    coll.changes = this.changes;
    colls.set(name, coll);
    return { coll, created: true };
  }

  dropCollection(db: string, name: string): boolean {
    const colls = this.databases.get(db);
    const coll = colls?.get(name);
    if (!coll || !colls) return false;
    colls.delete(name);
    if (colls.size === 0) this.databases.delete(db);
    this.cursors.killForNamespace(coll.ns);
    coll.markDropped();
    this.changes.append({ kind: 'drop', db, coll: name });
    return true;
  }

  dropDatabase(db: string): void {
    const existed = this.databases.has(db);
    for (const name of [...(this.databases.get(db)?.keys() ?? [])]) this.dropCollection(db, name);
    this.databases.delete(db);
    if (existed) this.changes.append({ kind: 'dropDatabase', db, coll: undefined });
  }

  *allCollections(): Generator<Collection> {
    for (const colls of this.databases.values()) yield* colls.values();
  }
}

export function validateNames(db: string, coll?: string): void {
  if (db.length === 0 || db.length >= 64 || BAD_DB_CHARS.test(db)) {
    throw new MongoCommandError('InvalidNamespace', `Invalid database name: '${db}'`);
  }
  if (
    coll !== undefined &&
    (coll.length === 0 || coll.includes('$') || coll.includes('\0') || coll.startsWith('.'))
  ) {
    throw new MongoCommandError('InvalidNamespace', `Invalid collection name: ${coll}`);
  }
}
