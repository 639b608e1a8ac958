import type { QueryStats } from '../collection.ts';
import { isPlainObject } from '../doc-path.ts';
import { MongoCommandError } from '../errors.ts';
import type { Document } from '../wire.ts';
import type { CommandHandler } from './context.ts';

// explain for find, findAndModify, count and delete/update lookups: the plan this server chose and,
// for executionStats, what it examined. Field names follow MongoDB's explain output so a test can
// read `executionStats.totalDocsExamined` from either server. Writes are not performed.

function explainQuery(explained: Document): {
  name: string;
  filter: Document;
  sort?: Document;
  limit?: number;
  skip?: number;
  hint?: unknown;
} {
  const name = Object.keys(explained)[0] ?? '';
  const coll = explained[name];
  if (typeof coll !== 'string')
    throw new MongoCommandError('InvalidNamespace', 'explain: collection name must be a string');
  switch (name) {
    case 'find':
      return {
        name: coll,
        filter: (explained.filter ?? {}) as Document,
        sort: explained.sort as Document | undefined,
        limit: explained.limit === undefined ? undefined : Math.abs(Number(explained.limit)),
        skip: explained.skip === undefined ? undefined : Number(explained.skip),
        hint: explained.hint,
      };
    case 'findAndModify':
    case 'findandmodify':
      return {
        name: coll,
        filter: (explained.query ?? {}) as Document,
        sort: explained.sort as Document | undefined,
        limit: 1,
        hint: explained.hint,
      };
    case 'count':
      return { name: coll, filter: (explained.query ?? {}) as Document, hint: explained.hint };
    default:
      throw new MongoCommandError(
        'CommandNotSupported',
        `explain of '${name}' is not supported by the in-memory test server`,
      );
  }
}

export const explain: CommandHandler = (ctx) => {
  const explained = ctx.cmd.explain;
  if (!isPlainObject(explained))
    throw new MongoCommandError('FailedToParse', 'explain command requires a nested object');
  const q = explainQuery(explained);
  const verbosity = typeof ctx.cmd.verbosity === 'string' ? ctx.cmd.verbosity : 'allPlansExecution';
  const coll = ctx.backend.collection(ctx.db, q.name);
  const stats: QueryStats = { plan: 'EOF', keysExamined: 0, docsExamined: 0, winningPlan: { stage: 'EOF' } };
  const started = performance.now();
  const recs = coll
    ? coll.find(q.filter, { sort: q.sort, limit: q.limit, skip: q.skip, hint: q.hint, stats })
    : [];
  const reply: Document = {
    queryPlanner: {
      namespace: `${ctx.db}.${q.name}`,
      parsedQuery: q.filter,
      winningPlan: stats.winningPlan,
      rejectedPlans: [],
    },
  };
  if (verbosity !== 'queryPlanner') {
    reply.executionStats = {
      executionSuccess: true,
      nReturned: recs.length,
      executionTimeMillis: Math.round(performance.now() - started),
      totalKeysExamined: stats.keysExamined,
      totalDocsExamined: stats.docsExamined,
      executionStages: stats.winningPlan,
    };
  }
  reply.command = explained;
  reply.serverInfo = { host: ctx.server.host, port: ctx.server.port, version: '7.0.0' };
  reply.ok = 1;
  return reply;
};
