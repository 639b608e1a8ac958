import { Aggregator } from 'mingo';
import { cloneValue, isPlainObject } from '../doc-path.ts';
import { MongoCommandError } from '../errors.ts';
import type { Document } from '../wire.ts';
import { openChangeStream } from './change-stream.ts';
import type { CommandHandler } from './context.ts';
import { bufferedCursorReply } from './query.ts';

// Stages mingo evaluates without writing into its input documents; any other stage gets copies.
const NON_MUTATING = new Set([
  '$match',
  '$sort',
  '$limit',
  '$skip',
  '$count',
  '$group',
  '$project',
  '$sortByCount',
  '$unwind',
]);
const UNSUPPORTED = new Set(['$out', '$merge', '$collStats', '$indexStats', '$currentOp', '$listSessions']);

function stageName(stage: Document): string {
  const keys = Object.keys(stage);
  if (keys.length !== 1)
    throw new MongoCommandError(
      'Location40324',
      'A pipeline stage specification object must contain exactly one field.',
    );
  return keys[0]!;
}

/**
 * Runs a pipeline through mingo, except `$count`, done here: mingo yields `[{n: 0}]` on empty input
 * where MongoDB yields no document at all.
 */
export function runPipeline(
  input: Document[],
  pipeline: Document[],
  resolve: (name: string) => Document[],
): Document[] {
  let docs = input;
  let segment: Document[] = [];
  const flush = () => {
    if (segment.length === 0) return;
    const needsCopy = segment.some((s) => !NON_MUTATING.has(stageName(s)));
    const source = needsCopy ? docs.map(cloneValue) : docs;
    try {
      docs = new Aggregator(segment, { collectionResolver: resolve }).run(source) as Document[];
    } catch (err) {
      if (err instanceof MongoCommandError) throw err;
      throw new MongoCommandError('Location40324', (err as Error).message, {}, err);
    }
    segment = [];
  };
  for (const stage of pipeline) {
    const name = stageName(stage);
    if (UNSUPPORTED.has(name)) {
      throw new MongoCommandError(
        'Location40324',
        `Unsupported pipeline stage in the in-memory server: ${name}`,
      );
    }
    if (name === '$count') {
      flush();
      const field = stage.$count;
      if (typeof field !== 'string' || field.length === 0)
        throw new MongoCommandError('Location40324', 'the count field must be a non-empty string');
      docs = docs.length === 0 ? [] : [{ [field]: docs.length }];
      continue;
    }
    segment.push(stage);
  }
  flush();
  return docs;
}

export const aggregate: CommandHandler = (ctx) => {
  const { cmd } = ctx;
  const target = cmd.aggregate;
  const pipeline = cmd.pipeline;
  if (!Array.isArray(pipeline))
    throw new MongoCommandError('TypeMismatch', "'pipeline' option must be specified as an array");
  if (cmd.explain)
    throw new MongoCommandError('CommandNotSupported', 'explain is not supported by the in-memory server');
  const cursorOpt = isPlainObject(cmd.cursor) ? cmd.cursor : {};
  const name = typeof target === 'string' ? target : undefined;
  const head = pipeline[0] as Document | undefined;
  if (head && isPlainObject(head) && '$changeStream' in head) {
    return openChangeStream(ctx, name, head.$changeStream, pipeline.slice(1) as Document[]);
  }
  const ns = `${ctx.db}.${name ?? '$cmd.aggregate'}`;
  const coll = name ? ctx.backend.collection(ctx.db, name) : undefined;
  let stages = pipeline as Document[];
  let input: Document[] = [];
  if (coll) {
    // A leading $match can use the collection's indexes (and a following $sort/$limit would not).
    const first = stages[0];
    if (first && isPlainObject(first) && stageName(first) === '$match' && isPlainObject(first.$match)) {
      input = coll.find(first.$match).map((r) => r.doc);
      stages = stages.slice(1);
    } else {
      input = [...coll.records.values()].map((r) => r.doc);
    }
  }
  const resolve = (other: string) =>
    [...(ctx.backend.collection(ctx.db, other)?.records.values() ?? [])].map((r) => r.doc);
  const out = runPipeline(input, stages, resolve);
  const batchSize = cursorOpt.batchSize === undefined ? undefined : Number(cursorOpt.batchSize);
  return bufferedCursorReply(ctx, ns, out, { batchSize });
};
