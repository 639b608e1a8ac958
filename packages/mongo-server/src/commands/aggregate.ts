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
 * `$count` as MongoDB defines it, `$group` + `$project`: mingo's own `$count` yields `[{n: 0}]` on
 * empty input where MongoDB yields no document. Rewritten everywhere, `$facet` branches included.
 */
export function rewriteStages(pipeline: Document[]): Document[] {
  const out: Document[] = [];
  for (const stage of pipeline) {
    const name = stageName(stage);
    if (UNSUPPORTED.has(name)) {
      throw new MongoCommandError(
        'Location40324',
        `Unsupported pipeline stage in the in-memory server: ${name}`,
      );
    }
    if (name === '$count') {
      const field = stage.$count;
      if (typeof field !== 'string' || field.length === 0 || field.startsWith('$') || field.includes('.')) {
        throw new MongoCommandError(
          'Location40324',
          'the count field must be a non-empty string without $ or .',
        );
      }
      out.push({ $group: { _id: null, [field]: { $sum: 1 } } }, { $project: { _id: 0 } });
      continue;
    }
    if (name === '$facet' && isPlainObject(stage.$facet)) {
      const branches: Document = {};
      for (const [k, sub] of Object.entries(stage.$facet))
        branches[k] = Array.isArray(sub) ? rewriteStages(sub as Document[]) : sub;
      out.push({ $facet: branches });
      continue;
    }
    out.push(stage);
  }
  return out;
}

/** Runs a pipeline through mingo, on copies of the input when a stage could write into it. */
export function runPipeline(
  input: Document[],
  pipeline: Document[],
  resolve: (name: string) => Document[],
): Document[] {
  const stages = rewriteStages(pipeline);
  if (stages.length === 0) return input;
  const needsCopy = stages.some((s) => !NON_MUTATING.has(stageName(s)));
  const source = needsCopy ? input.map(cloneValue) : input;
  try {
    return new Aggregator(stages, { collectionResolver: resolve }).run(source) as Document[];
  } catch (err) {
    if (err instanceof MongoCommandError) throw err;
    throw new MongoCommandError('Location40324', (err as Error).message, {}, err);
  }
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
