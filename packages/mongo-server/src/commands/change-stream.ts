import { Aggregator } from 'mingo';
import { type ChangeEntry, clusterTime, describeUpdate, resumeToken, seqFromToken } from '../change-log.ts';
import { type ChangeSource, cursorIdLong, DEFAULT_FIRST_BATCH, takeFromChanges } from '../cursors.ts';
import { isPlainObject } from '../doc-path.ts';
import { MongoCommandError } from '../errors.ts';
import type { Document } from '../wire.ts';
import type { CommandContext } from './context.ts';

// Change streams ("Change Events" in the manual) over the server's change log. Supported: collection,
// database and cluster streams; insert, update, replace, delete, drop, dropDatabase and invalidate
// events; fullDocument 'default' | 'updateLookup' | 'whenAvailable'; resumeAfter, startAfter and
// startAtOperationTime (for times this server issued); later $match/$project-like stages via mingo.

const INTERNAL_DBS = new Set(['admin', 'config', 'local']);

type Scope = { db?: string; coll?: string };

export function changeStreamReply(
  ns: string,
  id: number,
  batch: Document[],
  first: boolean,
  src: ChangeSource,
): Document {
  return {
    cursor: {
      [first ? 'firstBatch' : 'nextBatch']: batch,
      postBatchResumeToken: resumeToken(src.afterSeq),
      id: cursorIdLong(id),
      ns,
    },
    ok: 1,
  };
}

function inScope(entry: ChangeEntry, scope: Scope): boolean {
  if (scope.db === undefined) return !INTERNAL_DBS.has(entry.db);
  if (entry.db !== scope.db) return false;
  return scope.coll === undefined || entry.coll === undefined || entry.coll === scope.coll;
}

export function openChangeStream(
  ctx: CommandContext,
  target: string | undefined,
  stage: unknown,
  rest: Document[],
): Document {
  if (!ctx.server.replicaSet) {
    throw new MongoCommandError('Location40573', 'The $changeStream stage is only supported on replica sets');
  }
  const opts = isPlainObject(stage) ? stage : {};
  const cluster = opts.allChangesForCluster === true;
  if (cluster && ctx.db !== 'admin') {
    throw new MongoCommandError(
      'InvalidOptions',
      "$changeStream may only be run with allChangesForCluster on the 'admin' database",
    );
  }
  const scope: Scope = cluster ? {} : target === undefined ? { db: ctx.db } : { db: ctx.db, coll: target };
  const ns = target === undefined ? `${ctx.db}.$cmd.aggregate` : `${ctx.db}.${target}`;
  const fullDocument = typeof opts.fullDocument === 'string' ? opts.fullDocument : 'default';
  if (!['default', 'updateLookup', 'whenAvailable', 'required'].includes(fullDocument)) {
    throw new MongoCommandError('BadValue', `unknown fullDocument mode: ${fullDocument}`);
  }
  const log = ctx.backend.changes;
  log.record();
  let afterSeq = log.lastSeq;
  const token = opts.resumeAfter ?? opts.startAfter;
  if (token !== undefined) {
    afterSeq = seqFromToken(token);
    if (afterSeq < log.oldestSeq - 1) {
      throw new MongoCommandError(
        'ChangeStreamHistoryLost',
        'Resume of change stream was not possible, as the resume point may no longer be in the oplog.',
      );
    }
  } else if (opts.startAtOperationTime !== undefined) {
    const ts = opts.startAtOperationTime as { i?: number };
    afterSeq = Math.max(0, (ts.i ?? log.lastSeq + 1) - 1);
  }
  let aggregator: Aggregator | undefined;
  try {
    aggregator = rest.length > 0 ? new Aggregator(rest, {}) : undefined;
  } catch (err) {
    throw new MongoCommandError('Location40324', (err as Error).message, {}, err);
  }
  const backend = ctx.backend;
  const render = (entry: ChangeEntry) => {
    if (!inScope(entry, scope)) return { events: [], invalidate: false };
    const base: Document = {
      _id: resumeToken(entry.seq),
      operationType: entry.kind,
      clusterTime: clusterTime(entry),
      wallTime: entry.wallTime,
    };
    if (entry.kind === 'insert' || entry.kind === 'replace') base.fullDocument = entry.fullDocument;
    if (entry.kind === 'update' && fullDocument !== 'default') {
      const coll = backend.collection(entry.db, entry.coll ?? '');
      const now = coll?.find({ _id: entry.documentKey?._id }, { limit: 1 })[0];
      base.fullDocument = now ? now.doc : null;
    }
    base.ns = entry.coll === undefined ? { db: entry.db } : { db: entry.db, coll: entry.coll };
    if (entry.documentKey) base.documentKey = entry.documentKey;
    if (entry.kind === 'update' && entry.before && entry.fullDocument)
      base.updateDescription = describeUpdate(entry.before, entry.fullDocument);
    const events = aggregator ? (aggregator.run([base]) as Document[]) : [base];
    // A collection stream ends when its collection (or database) is dropped; a database stream when
    // its database is.
    const invalidate =
      (scope.coll !== undefined && (entry.kind === 'drop' || entry.kind === 'dropDatabase')) ||
      (scope.db !== undefined && scope.coll === undefined && entry.kind === 'dropDatabase');
    if (invalidate)
      events.push({
        _id: resumeToken(entry.seq),
        operationType: 'invalidate',
        clusterTime: clusterTime(entry),
        wallTime: entry.wallTime,
      });
    return { events, invalidate };
  };
  const source: ChangeSource = { kind: 'changes', log, afterSeq, render, invalidated: false };
  const cursor = backend.cursors.open(ns, source);
  const cursorOpt = isPlainObject(ctx.cmd.cursor) ? ctx.cmd.cursor : {};
  const batchSize = cursorOpt.batchSize === undefined ? DEFAULT_FIRST_BATCH : Number(cursorOpt.batchSize);
  const batch = takeFromChanges(source, batchSize);
  if (source.invalidated) {
    backend.cursors.kill(cursor.id);
    return changeStreamReply(ns, 0, batch, true, source);
  }
  return changeStreamReply(ns, cursor.id, batch, true, source);
}
