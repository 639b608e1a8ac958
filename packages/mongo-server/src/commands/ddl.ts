import { compareBson } from '../bson-order.ts';
import { normaliseCappedSize } from '../collection.ts';
import type { IndexSpec } from '../collection-index.ts';
import { isPlainObject } from '../doc-path.ts';
import { MongoCommandError } from '../errors.ts';
import { compileFilter } from '../matcher.ts';
import type { Document } from '../wire.ts';
import { type CommandHandler, collectionName } from './context.ts';
import { bufferedCursorReply } from './query.ts';

const create: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  const { cmd } = ctx;
  if (ctx.backend.collection(ctx.db, name)) {
    throw new MongoCommandError('NamespaceExists', `Collection ${ctx.db}.${name} already exists.`);
  }
  let capped: { size: number; max?: number } | undefined;
  if (cmd.capped) {
    const size = Number(cmd.size);
    if (!Number.isFinite(size) || size <= 0)
      throw new MongoCommandError(
        'InvalidOptions',
        'the size field is required when creating a capped collection',
      );
    capped = { size: normaliseCappedSize(size) };
    const max = cmd.max === undefined ? 0 : Number(cmd.max);
    if (max > 0) capped.max = max;
  }
  ctx.backend.ensureCollection(ctx.db, name, capped);
  return { ok: 1 };
};

const drop: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  const coll = ctx.backend.collection(ctx.db, name);
  if (!coll) throw new MongoCommandError('NamespaceNotFound', 'ns not found');
  const nIndexesWas = coll.indexes.length;
  ctx.backend.dropCollection(ctx.db, name);
  return { nIndexesWas, ns: coll.ns, ok: 1 };
};

const dropDatabase: CommandHandler = (ctx) => {
  ctx.backend.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

function defaultIndexName(key: Document): string {
  return Object.entries(key)
    .map(([f, d]) => `${f}_${String(d)}`)
    .join('_');
}

function toSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw) || !isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    throw new MongoCommandError(
      'FailedToParse',
      "The 'key' field is a required property of an index specification",
    );
  }
  const spec: IndexSpec = {
    v: 2,
    key: raw.key,
    name: typeof raw.name === 'string' ? raw.name : defaultIndexName(raw.key),
  };
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  if (isPlainObject(raw.partialFilterExpression)) spec.partialFilterExpression = raw.partialFilterExpression;
  if (raw.expireAfterSeconds !== undefined) {
    const ttl = Number(raw.expireAfterSeconds);
    if (!Number.isFinite(ttl) || ttl < 0)
      throw new MongoCommandError(
        'CannotCreateIndex',
        'TTL index expireAfterSeconds must be a non-negative number',
      );
    spec.expireAfterSeconds = ttl;
  }
  return spec;
}

function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  return (
    !!a.unique === !!b.unique &&
    !!a.sparse === !!b.sparse &&
    a.expireAfterSeconds === b.expireAfterSeconds &&
    compareBson(a.partialFilterExpression ?? null, b.partialFilterExpression ?? null) === 0
  );
}

const createIndexes: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  const raw = ctx.cmd.indexes;
  if (!Array.isArray(raw) || raw.length === 0)
    throw new MongoCommandError('BadValue', 'Must specify at least one index to create');
  const specs = raw.map(toSpec);
  const { coll, created } = ctx.backend.ensureCollection(ctx.db, name);
  const before = coll.indexes.length;
  // Validate every spec against existing indexes first, so a rejected batch creates nothing.
  const todo: IndexSpec[] = [];
  for (const spec of specs) {
    // The _id index always exists; asking for it again is a no-op.
    if (Object.keys(spec.key).length === 1 && Number(spec.key._id) === 1 && !spec.partialFilterExpression)
      continue;
    const byName = coll.index(spec.name);
    if (byName) {
      if (compareBson(byName.spec.key, spec.key) !== 0) {
        throw new MongoCommandError(
          'IndexKeySpecsConflict',
          `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName.spec)}`,
        );
      }
      if (!sameOptions(byName.spec, spec)) {
        throw new MongoCommandError(
          'IndexOptionsConflict',
          `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName.spec)}`,
        );
      }
      continue;
    }
    const byKey = coll.indexes.find(
      (i) => compareBson(i.spec.key, spec.key) === 0 && sameOptions(i.spec, spec),
    );
    if (byKey)
      throw new MongoCommandError(
        'IndexOptionsConflict',
        `Index already exists with a different name: ${byKey.name}`,
      );
    todo.push(spec);
  }
  const made: string[] = [];
  try {
    for (const spec of todo) {
      coll.createIndex(spec);
      made.push(spec.name);
    }
  } catch (err) {
    for (const n of made) coll.dropIndex(n);
    throw err;
  }
  const reply: Document = {
    numIndexesBefore: before,
    numIndexesAfter: coll.indexes.length,
    createdCollectionAutomatically: created,
  };
  if (todo.length === 0) reply.note = 'all indexes already exist';
  reply.ok = 1;
  return reply;
};

const dropIndexes: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  const coll = ctx.backend.collection(ctx.db, name);
  if (!coll) throw new MongoCommandError('NamespaceNotFound', `ns not found ${ctx.db}.${name}`);
  const target = ctx.cmd.index;
  const nIndexesWas = coll.indexes.length;
  let names: string[];
  if (target === '*') names = coll.indexes.slice(1).map((i) => i.name);
  else if (typeof target === 'string') names = [target];
  else if (Array.isArray(target)) names = target.map(String);
  else if (isPlainObject(target)) {
    const found = coll.indexes.find((i) => compareBson(i.spec.key, target) === 0);
    if (!found)
      throw new MongoCommandError('IndexNotFound', `can't find index with key: ${JSON.stringify(target)}`);
    names = [found.name];
  } else throw new MongoCommandError('TypeMismatch', "BSON field 'index' is the wrong type");
  for (const n of names) {
    if (n === '_id_') throw new MongoCommandError('InvalidOptions', 'cannot drop _id index');
    if (!coll.index(n)) throw new MongoCommandError('IndexNotFound', `index not found with name [${n}]`);
  }
  for (const n of names) coll.dropIndex(n);
  return { nIndexesWas, ok: 1 };
};

const listIndexes: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  const coll = ctx.backend.collection(ctx.db, name);
  if (!coll) throw new MongoCommandError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
  const docs = coll.indexes.map((i) => i.describe());
  return bufferedCursorReply(ctx, `${ctx.db}.$cmd.listIndexes.${name}`, docs, {});
};

const listCollections: CommandHandler = (ctx) => {
  const colls = [...(ctx.backend.databases.get(ctx.db)?.values() ?? [])];
  const nameOnly = ctx.cmd.nameOnly === true;
  let docs: Document[] = colls.map((c) => {
    const options: Document = {};
    if (c.capped) {
      options.capped = true;
      options.size = c.capped.size;
      if (c.capped.max) options.max = c.capped.max;
    }
    return {
      name: c.name,
      type: 'collection',
      options,
      info: { readOnly: false, uuid: c.uuid },
      idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
    };
  });
  if (isPlainObject(ctx.cmd.filter)) {
    const match = compileFilter(ctx.cmd.filter);
    docs = docs.filter(match);
  }
  if (nameOnly) docs = docs.map((d) => ({ name: d.name, type: d.type }));
  return bufferedCursorReply(ctx, `${ctx.db}.$cmd.listCollections`, docs, {});
};

const listDatabases: CommandHandler = (ctx) => {
  let docs: Document[] = [...ctx.backend.databases.entries()].map(([name, colls]) => {
    let size = 0;
    for (const c of colls.values()) size += c.capped ? c.dataSize : c.count * 256;
    return { name, sizeOnDisk: size, empty: [...colls.values()].every((c) => c.count === 0) };
  });
  if (isPlainObject(ctx.cmd.filter)) docs = docs.filter(compileFilter(ctx.cmd.filter));
  const totalSize = docs.reduce((s, d) => s + (d.sizeOnDisk as number), 0);
  if (ctx.cmd.nameOnly === true) return { databases: docs.map((d) => ({ name: d.name })), ok: 1 };
  return { databases: docs, totalSize, totalSizeMb: Math.floor(totalSize / 1048576), ok: 1 };
};

export const ddlCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  createIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  listIndexes,
  listCollections,
  listDatabases,
};
