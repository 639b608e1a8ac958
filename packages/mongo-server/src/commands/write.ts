import type { Collection } from '../collection.ts';
import { isPlainObject } from '../doc-path.ts';
import { MongoCommandError, toCommandError } from '../errors.ts';
import { project } from '../matcher.ts';
import { applyUpdate, buildUpsert, isOperatorUpdate } from '../update-apply.ts';
import type { Document } from '../wire.ts';
import { type CommandContext, collectionName } from './context.ts';

// Write commands ("insert", "update", "delete", "findAndModify" in the manual's database commands).
// Each handler is synchronous from match to commit: no other command can interleave.

/** A write command: synchronous (bulkWrite runs one per operation without awaiting each). */
type WriteHandler = (ctx: CommandContext) => Document;

type WriteError = { index: number; code: number; errmsg: string } & Document;

function writeError(index: number, err: unknown): WriteError {
  const e = toCommandError(err);
  return { index, code: e.code, errmsg: e.message, ...e.extra };
}

function writeReply(n: number, errors: WriteError[], extra: Document = {}): Document {
  const reply: Document = { n, ...extra };
  if (errors.length > 0) reply.writeErrors = errors;
  reply.ok = 1;
  return reply;
}

function docsArg(ctx: CommandContext, field: string): Document[] {
  const v = ctx.cmd[field];
  if (!Array.isArray(v))
    throw new MongoCommandError('FailedToParse', `BSON field '${field}' is missing but a required field`);
  return v as Document[];
}

const insert: WriteHandler = (ctx) => {
  const name = collectionName(ctx);
  const docs = docsArg(ctx, 'documents');
  const ordered = ctx.cmd.ordered !== false;
  const { coll } = ctx.backend.ensureCollection(ctx.db, name);
  let n = 0;
  const errors: WriteError[] = [];
  for (let i = 0; i < docs.length; i++) {
    try {
      coll.insert(docs[i]!);
      n++;
    } catch (err) {
      errors.push(writeError(i, err));
      if (ordered) break;
    }
  }
  return writeReply(n, errors);
};

type UpdateStatement = {
  q?: Document;
  u?: unknown;
  upsert?: boolean;
  multi?: boolean;
  arrayFilters?: Document[];
  hint?: unknown;
  sort?: Document;
};

const update: WriteHandler = (ctx) => {
  const name = collectionName(ctx);
  const stmts = docsArg(ctx, 'updates') as UpdateStatement[];
  const ordered = ctx.cmd.ordered !== false;
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const errors: WriteError[] = [];
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i]!;
    try {
      const q = s.q ?? {};
      if (s.multi && !isOperatorUpdate(s.u) && !Array.isArray(s.u)) {
        throw new MongoCommandError(
          'FailedToParse',
          'multi update is not supported for replacement-style update',
        );
      }
      const coll = ctx.backend.collection(ctx.db, name);
      const recs = coll ? coll.find(q, { limit: s.multi ? 0 : 1, hint: s.hint, sort: s.sort }) : [];
      if (recs.length === 0) {
        if (s.upsert) {
          const doc = buildUpsert(q, s.u, s.arrayFilters);
          ctx.backend.ensureCollection(ctx.db, name).coll.insert(doc);
          n++;
          upserted.push({ index: i, _id: doc._id });
        }
        continue;
      }
      const opts = { arrayFilters: s.arrayFilters, query: q, reuse: {} };
      for (const rec of recs) {
        const next = applyUpdate(rec.doc, s.u, opts);
        n++;
        if (next.changed) {
          (coll as Collection).replace(
            rec,
            next.doc,
            isOperatorUpdate(s.u) || Array.isArray(s.u) ? 'update' : 'replace',
          );
          nModified++;
        }
      }
    } catch (err) {
      errors.push(writeError(i, err));
      if (ordered) break;
    }
  }
  return writeReply(n, errors, upserted.length > 0 ? { nModified, upserted } : { nModified });
};

const del: WriteHandler = (ctx) => {
  const name = collectionName(ctx);
  const stmts = docsArg(ctx, 'deletes') as { q?: Document; limit?: number; hint?: unknown }[];
  const ordered = ctx.cmd.ordered !== false;
  let n = 0;
  const errors: WriteError[] = [];
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i]!;
    try {
      const coll = ctx.backend.collection(ctx.db, name);
      if (!coll) continue;
      for (const rec of coll.find(s.q ?? {}, { limit: s.limit === 1 ? 1 : 0, hint: s.hint })) {
        coll.remove(rec);
        n++;
      }
    } catch (err) {
      errors.push(writeError(i, err));
      if (ordered) break;
    }
  }
  return writeReply(n, errors);
};

/**
 * findAndModify: the compare-and-swap primitive. A duplicate key here is a command error
 * (`{ok: 0, code: 11000, keyPattern, keyValue}`), not a write error.
 */
const findAndModify: WriteHandler = (ctx) => {
  const name = collectionName(ctx);
  const { cmd } = ctx;
  const query = (cmd.query ?? {}) as Document;
  const remove = cmd.remove === true;
  const hasUpdate = cmd.update !== undefined;
  if (remove && hasUpdate)
    throw new MongoCommandError('FailedToParse', 'Cannot specify both an update and remove=true');
  if (!remove && !hasUpdate)
    throw new MongoCommandError('FailedToParse', 'Either an update or remove=true must be specified');
  if (remove && cmd.upsert)
    throw new MongoCommandError('FailedToParse', 'Cannot specify both upsert=true and remove=true');
  const fields = isPlainObject(cmd.fields) ? cmd.fields : undefined;
  const shape = (doc: Document | null) => (doc && fields ? (project([doc], fields)[0] ?? null) : doc);
  const coll = ctx.backend.collection(ctx.db, name);
  const rec = coll?.find(query, { sort: cmd.sort as Document | undefined, limit: 1, hint: cmd.hint })[0];
  if (remove) {
    if (rec) coll!.remove(rec);
    return { lastErrorObject: { n: rec ? 1 : 0 }, value: shape(rec?.doc ?? null), ok: 1 };
  }
  const arrayFilters = cmd.arrayFilters as Document[] | undefined;
  if (rec) {
    const before = rec.doc;
    const next = applyUpdate(before, cmd.update, { arrayFilters, query });
    if (next.changed)
      coll!.replace(
        rec,
        next.doc,
        isOperatorUpdate(cmd.update) || Array.isArray(cmd.update) ? 'update' : 'replace',
      );
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: shape(cmd.new ? rec.doc : before),
      ok: 1,
    };
  }
  if (cmd.upsert) {
    const doc = buildUpsert(query, cmd.update, arrayFilters);
    ctx.backend.ensureCollection(ctx.db, name).coll.insert(doc);
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
      value: shape(cmd.new ? doc : null),
      ok: 1,
    };
  }
  return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
};

export const writeCommands: Record<string, WriteHandler> = {
  insert,
  update,
  delete: del,
  findAndModify,
  findandmodify: findAndModify,
};
