import { compareBson } from '../bson-order.ts';
import type { Collection } from '../collection.ts';
import {
  checkTailPosition,
  cursorIdFromWire,
  cursorIdLong,
  DEFAULT_FIRST_BATCH,
  projectBatch,
  type ServerCursor,
  takeFromBuffer,
  takeFromChanges,
  takeFromTail,
} from '../cursors.ts';
import { pathValues } from '../doc-path.ts';
import { MongoCommandError } from '../errors.ts';
import { compileFilter, project } from '../matcher.ts';
import type { Document } from '../wire.ts';
import { changeStreamReply } from './change-stream.ts';
import { type CommandContext, type CommandHandler, collectionName } from './context.ts';

/** `{cursor: {firstBatch|nextBatch, id: Long, ns}, ok: 1}`: the id must be int64 for the driver. */
/**
 * Where a new tailable cursor starts reading. A tail that resumes with `{_id: {$gt: last}}` would
 * otherwise test every record of the capped collection (a 16 MiB event log holds ~100,000) before
 * its first batch. The records that match the `_id` condition come from the `_id` index; nothing
 * inserted before the first of them can match, so the scan starts there. The rest of the filter
 * still applies to every record read.
 */
function tailStart(coll: Collection, filter: Document | undefined): number {
  if (!filter || !('_id' in filter)) return 0;
  const matches = coll.find({ _id: filter._id });
  if (matches.length === 0) return coll.newestId;
  let first = matches[0]!.id;
  for (const rec of matches) if (rec.id < first) first = rec.id;
  return coll.positionBefore(first);
}

export function cursorReply(ns: string, id: number, batch: Document[], first: boolean): Document {
  return { cursor: { [first ? 'firstBatch' : 'nextBatch']: batch, id: cursorIdLong(id), ns }, ok: 1 };
}

function nonNegative(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0)
    throw new MongoCommandError('BadValue', `${field} must be non-negative, but received: ${String(v)}`);
  return n;
}

/** Serves the first batch of a buffered result and keeps a cursor for the rest. */
export function bufferedCursorReply(
  ctx: CommandContext,
  ns: string,
  docs: Document[],
  opts: { batchSize?: number; singleBatch?: boolean; projection?: Document },
): Document {
  const src = { kind: 'buffer' as const, docs, pos: 0 };
  const first = takeFromBuffer(src, opts.batchSize ?? DEFAULT_FIRST_BATCH);
  // Most finds fit their first batch: no cursor is registered (and killed) for them.
  if (opts.singleBatch || src.pos >= src.docs.length)
    return cursorReply(ns, 0, project(first, opts.projection), true);
  const cursor = ctx.backend.cursors.open(ns, src, opts.projection);
  return cursorReply(ns, cursor.id, projectBatch(cursor, first), true);
}

const find: CommandHandler = (ctx) => {
  const name = collectionName(ctx);
  const { cmd } = ctx;
  const ns = `${ctx.db}.${name}`;
  const filter = (cmd.filter ?? {}) as Document;
  const sort = cmd.sort as Document | undefined;
  const projection = cmd.projection as Document | undefined;
  const batchSize = nonNegative(cmd.batchSize, 'batchSize');
  const coll = ctx.backend.collection(ctx.db, name);
  if (cmd.awaitData && !cmd.tailable) {
    throw new MongoCommandError('FailedToParse', "Cannot set 'awaitData' without also setting 'tailable'");
  }
  if (cmd.tailable) {
    // Tailable cursors need insertion order: only {$natural: 1} (or no sort) on a capped collection.
    if (
      sort &&
      Object.keys(sort).length > 0 &&
      !(Object.keys(sort).length === 1 && Number(sort.$natural) === 1)
    ) {
      throw new MongoCommandError(
        'BadValue',
        'cannot use tailable option with a sort other than {$natural: 1}',
      );
    }
    if (!coll) return cursorReply(ns, 0, [], true);
    if (!coll.capped) {
      throw new MongoCommandError(
        'BadValue',
        `error processing query: ns=${ns} tailable cursor requested on non capped collection`,
      );
    }
    // SERVER-13955: on an empty capped collection the tailable cursor is dead at once (id 0).
    if (coll.count === 0) return cursorReply(ns, 0, [], true);
    const cursor = ctx.backend.cursors.open(
      ns,
      {
        kind: 'tail',
        coll,
        match: compileFilter(filter),
        lastExamined: tailStart(coll, filter),
        awaitData: cmd.awaitData === true,
      },
      projection,
    );
    const src = cursor.source as Parameters<typeof takeFromTail>[0];
    const batch = projectBatch(cursor, takeFromTail(src, batchSize ?? DEFAULT_FIRST_BATCH));
    return cursorReply(ns, cursor.id, batch, true);
  }
  if (!coll) return cursorReply(ns, 0, [], true);
  let limit = cmd.limit === undefined ? 0 : Number(cmd.limit);
  let singleBatch = cmd.singleBatch === true;
  // A negative limit is the legacy spelling of "one batch of at most |limit|".
  if (limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  const skip = nonNegative(cmd.skip, 'skip') ?? 0;
  const recs = coll.find(filter, { sort, skip, limit, hint: cmd.hint });
  const docs = recs.map((r) => r.doc);
  return bufferedCursorReply(ctx, ns, docs, { batchSize, singleBatch, projection });
};

const DEFAULT_AWAIT_MS = 1000;

async function awaitTail(
  ctx: CommandContext,
  cursor: ServerCursor,
  batchLimit: number,
  maxTimeMS: number,
): Promise<Document[]> {
  const src = cursor.source;
  if (src.kind !== 'tail') return [];
  const deadline = Date.now() + maxTimeMS;
  const signal = AbortSignal.any([cursor.abort.signal, ctx.signal]);
  for (;;) {
    const remaining = deadline - Date.now();
    if (remaining <= 0 || signal.aborted || src.coll.dropped) return [];
    await src.coll.waitForInsert(remaining, signal);
    if (signal.aborted || src.coll.dropped) return [];
    checkTailPosition(cursor);
    const batch = takeFromTail(src, batchLimit);
    if (batch.length > 0) return batch;
  }
}

const getMore: CommandHandler = async (ctx) => {
  const { cmd } = ctx;
  const id = cursorIdFromWire(cmd.getMore);
  const name = typeof cmd.collection === 'string' ? cmd.collection : '';
  const ns = `${ctx.db}.${name}`;
  const registry = ctx.backend.cursors;
  const cursor = registry.get(id);
  if (!cursor) throw new MongoCommandError('CursorNotFound', `cursor id ${id} not found`);
  if (cursor.ns !== ns) {
    throw new MongoCommandError(
      'BadValue',
      `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
    );
  }
  const limit = nonNegative(cmd.batchSize, 'batchSize') || Number.POSITIVE_INFINITY;
  cursor.busy = true;
  try {
    const src = cursor.source;
    if (src.kind === 'buffer') {
      const batch = projectBatch(cursor, takeFromBuffer(src, limit));
      const done = src.pos >= src.docs.length;
      if (done) registry.kill(id);
      return cursorReply(ns, done ? 0 : id, batch, false);
    }
    if (src.kind === 'changes') {
      let batch = takeFromChanges(src, limit);
      // Change streams always await: block until an event or maxTimeMS (default 1 s).
      const deadline = Date.now() + (cmd.maxTimeMS === undefined ? DEFAULT_AWAIT_MS : Number(cmd.maxTimeMS));
      const signal = AbortSignal.any([cursor.abort.signal, ctx.signal]);
      while (batch.length === 0 && !src.invalidated && !signal.aborted && Date.now() < deadline) {
        await src.log.waitForAppend(deadline - Date.now(), signal);
        batch = takeFromChanges(src, limit);
      }
      const done = src.invalidated || !registry.get(id);
      if (done) registry.kill(id);
      return changeStreamReply(ns, done ? 0 : id, batch, false, src);
    }
    if (src.coll.dropped) {
      registry.kill(id);
      throw new MongoCommandError('QueryPlanKilled', `collection dropped: ${ns}`);
    }
    checkTailPosition(cursor);
    let batch = takeFromTail(src, limit);
    // awaitData: block until a document arrives or maxTimeMS (the driver's maxAwaitTimeMS) passes.
    if (batch.length === 0 && src.awaitData) {
      batch = await awaitTail(
        ctx,
        cursor,
        limit,
        cmd.maxTimeMS === undefined ? DEFAULT_AWAIT_MS : Number(cmd.maxTimeMS),
      );
    }
    if (!registry.get(id)) return cursorReply(ns, 0, projectBatch(cursor, batch), false);
    return cursorReply(ns, id, projectBatch(cursor, batch), false);
  } catch (err) {
    registry.kill(id);
    throw err;
  } finally {
    cursor.busy = false;
    cursor.lastUsed = Date.now();
  }
};

const killCursors: CommandHandler = (ctx) => {
  const ids = Array.isArray(ctx.cmd.cursors) ? ctx.cmd.cursors : [];
  const killed: unknown[] = [];
  const notFound: unknown[] = [];
  for (const raw of ids) {
    // Unknown ids are fine: the driver sends killCursors even after a failed getMore.
    const id = cursorIdFromWire(raw);
    (ctx.backend.cursors.kill(id) ? killed : notFound).push(cursorIdLong(id));
  }
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

const count: CommandHandler = (ctx) => {
  const coll = ctx.backend.collection(ctx.db, collectionName(ctx));
  if (!coll) return { n: 0, ok: 1 };
  const query = (ctx.cmd.query ?? {}) as Document;
  const skip = nonNegative(ctx.cmd.skip, 'skip') ?? 0;
  const limit = Math.abs(Number(ctx.cmd.limit ?? 0));
  let n: number;
  if (Object.keys(query).length === 0) n = coll.count;
  else n = coll.find(query, { hint: ctx.cmd.hint }).length;
  n = Math.max(0, n - skip);
  if (limit > 0) n = Math.min(n, limit);
  return { n, ok: 1 };
};

const distinct: CommandHandler = (ctx) => {
  const coll = ctx.backend.collection(ctx.db, collectionName(ctx));
  const key = ctx.cmd.key;
  if (typeof key !== 'string')
    throw new MongoCommandError('TypeMismatch', "BSON field 'distinct.key' is the wrong type");
  const values: unknown[] = [];
  for (const rec of coll?.find((ctx.cmd.query ?? {}) as Document) ?? []) {
    for (const v of pathValues(rec.doc, key)) {
      if (Array.isArray(v)) values.push(...v);
      else values.push(v);
    }
  }
  values.sort(compareBson);
  const unique = values.filter((v, i) => i === 0 || compareBson(values[i - 1], v) !== 0);
  return { values: unique, ok: 1 };
};

export const queryCommands: Record<string, CommandHandler> = { find, getMore, killCursors, count, distinct };
