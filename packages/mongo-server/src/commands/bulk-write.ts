import { cursorIdLong } from '../cursors.ts';
import { isPlainObject } from '../doc-path.ts';
import { MongoCommandError } from '../errors.ts';
import type { Document } from '../wire.ts';
import type { CommandContext, CommandHandler } from './context.ts';
import { writeCommands } from './write.ts';

// The MongoDB 8.0 `bulkWrite` admin command (what the driver's `MongoClient.bulkWrite` sends):
// inserts, updates and deletes on any namespaces in one round trip. Each operation runs through the
// same handler as its single-collection command, in order; `ordered` stops at the first error.

type Op = Document & { insert?: number; update?: number; delete?: number };

function namespace(nsInfo: Document[], index: unknown): { db: string; coll: string } {
  const ns = typeof index === 'number' ? nsInfo[index]?.ns : undefined;
  const dot = typeof ns === 'string' ? ns.indexOf('.') : -1;
  if (typeof ns !== 'string' || dot <= 0 || dot === ns.length - 1)
    throw new MongoCommandError('BadValue', `bulkWrite: operation names no valid namespace (${index})`);
  return { db: ns.slice(0, dot), coll: ns.slice(dot + 1) };
}

/** The single-collection command equivalent to one bulkWrite operation. */
function asCommand(
  op: Op,
  nsInfo: Document[],
): { kind: 'insert' | 'update' | 'delete'; db: string; cmd: Document } {
  if (op.collation !== undefined)
    throw new MongoCommandError(
      'CommandNotSupported',
      'bulkWrite: collation is not supported by the in-memory test server',
    );
  if ('insert' in op) {
    const { db, coll } = namespace(nsInfo, op.insert);
    return { kind: 'insert', db, cmd: { insert: coll, documents: [op.document], ordered: true } };
  }
  if ('update' in op) {
    const { db, coll } = namespace(nsInfo, op.update);
    const stmt: Document = {
      q: op.filter ?? {},
      u: op.updateMods,
      multi: op.multi === true,
      upsert: op.upsert === true,
    };
    for (const k of ['arrayFilters', 'hint', 'sort']) if (op[k] !== undefined) stmt[k] = op[k];
    return { kind: 'update', db, cmd: { update: coll, updates: [stmt], ordered: true } };
  }
  if ('delete' in op) {
    const { db, coll } = namespace(nsInfo, op.delete);
    const stmt: Document = { q: op.filter ?? {}, limit: op.multi === true ? 0 : 1 };
    if (op.hint !== undefined) stmt.hint = op.hint;
    return { kind: 'delete', db, cmd: { delete: coll, deletes: [stmt], ordered: true } };
  }
  throw new MongoCommandError('FailedToParse', 'bulkWrite: unknown operation type');
}

export const bulkWrite: CommandHandler = (ctx) => {
  if (ctx.db !== 'admin')
    throw new MongoCommandError(
      'Unauthorized',
      'The bulkWrite command can only be run against the admin database',
    );
  const ops = ctx.cmd.ops;
  const nsInfo = ctx.cmd.nsInfo;
  if (!Array.isArray(ops) || !Array.isArray(nsInfo))
    throw new MongoCommandError('FailedToParse', "BSON fields 'ops' and 'nsInfo' are required");
  const ordered = ctx.cmd.ordered !== false;
  const errorsOnly = ctx.cmd.errorsOnly === true;
  const counts = { nErrors: 0, nInserted: 0, nUpserted: 0, nMatched: 0, nModified: 0, nDeleted: 0 };
  const results: Document[] = [];
  for (let idx = 0; idx < ops.length; idx++) {
    const op = ops[idx];
    let reply: Document;
    let kind: 'insert' | 'update' | 'delete';
    try {
      if (!isPlainObject(op))
        throw new MongoCommandError('FailedToParse', 'bulkWrite: an operation must be a document');
      const sub = asCommand(op as Op, nsInfo as Document[]);
      kind = sub.kind;
      const subCtx: CommandContext = { ...ctx, db: sub.db, cmd: sub.cmd };
      reply = writeCommands[kind]!(subCtx);
    } catch (err) {
      const e =
        err instanceof MongoCommandError
          ? err
          : new MongoCommandError('BadValue', String((err as Error)?.message ?? err));
      reply = { n: 0, writeErrors: [{ index: 0, code: e.code, errmsg: e.message, ...e.extra }] };
      kind = 'insert';
    }
    const writeError = (reply.writeErrors as Document[] | undefined)?.[0];
    if (writeError) {
      const { index: _index, ...rest } = writeError;
      counts.nErrors++;
      results.push({ ok: 0, idx, ...rest });
      if (ordered) break;
      continue;
    }
    const n = reply.n as number;
    const entry: Document = { ok: 1, idx, n };
    if (kind === 'insert') counts.nInserted += n;
    else if (kind === 'delete') counts.nDeleted += n;
    else {
      const upserted = (reply.upserted as Document[] | undefined)?.[0];
      counts.nMatched += upserted ? 0 : n;
      counts.nModified += reply.nModified as number;
      entry.nModified = reply.nModified;
      if (upserted) {
        counts.nUpserted++;
        entry.upserted = { _id: upserted._id };
      }
    }
    if (!errorsOnly) results.push(entry);
  }
  return {
    cursor: { id: cursorIdLong(0), firstBatch: results, ns: 'admin.$cmd.bulkWrite' },
    ...counts,
    ok: 1,
  };
};
