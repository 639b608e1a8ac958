import {
  type AnyClientBulkWriteModel,
  type ClientBulkWriteResult,
  type Document,
  MongoClientBulkWriteError,
  type WriteConcernSettings,
} from 'mongodb';
import type { StoreContext } from './context.ts';

/** Command not found: a server older than MongoDB 8.0 has no `bulkWrite` admin command. */
const COMMAND_NOT_FOUND = 59;

export type MultiWrite = {
  /** Null while unknown; false once the server refused the command (then never tried again). */
  supported: boolean | null;
};

export function createMultiWrite(enabled = true): MultiWrite {
  return { supported: enabled ? null : false };
}

export function namespaceOf(ctx: StoreContext, collection: string): `${string}.${string}` {
  return `${ctx.db.databaseName}.${collection}`;
}

function refused(error: unknown): boolean {
  const cause = error instanceof MongoClientBulkWriteError ? error.cause : error;
  return (cause as { code?: unknown } | undefined)?.code === COMMAND_NOT_FOUND;
}

/**
 * Writes to several collections in one round trip and in order (MongoDB 8.0 `bulkWrite`), so that
 * recording outcomes, releasing locks and appending events cost one command instead of one each.
 * Undefined when the server has no such command: the caller then takes its per-collection path
 * (nothing was applied). Write errors throw `MongoClientBulkWriteError` with a partial result.
 */
export async function multiWrite(
  ctx: StoreContext,
  /** `AnyClientBulkWriteModel`s; the driver's typing wants ObjectId ids, ours are strings. */
  models: readonly object[],
  options: { verboseResults?: boolean; ordered?: boolean; writeConcern?: WriteConcernSettings } = {},
): Promise<ClientBulkWriteResult | undefined> {
  if (ctx.multi.supported === false) return undefined;
  const writeConcern = options.writeConcern ?? ctx.db.writeConcern;
  try {
    const result = await ctx.db.client.bulkWrite(models as AnyClientBulkWriteModel<Document>[], {
      ordered: options.ordered ?? true,
      verboseResults: options.verboseResults ?? false,
      ...(writeConcern ? { writeConcern } : {}),
    });
    ctx.multi.supported = true;
    return result;
  } catch (error) {
    if (ctx.multi.supported === null && refused(error)) {
      ctx.multi.supported = false;
      ctx.logger.info('the server has no bulkWrite command (MongoDB < 8.0): one command per collection');
      return undefined;
    }
    throw error;
  }
}
