import type { Logger } from 'pino';
import type { SmscConfig } from './config/validate.ts';
import { type Database, openDatabase } from './database.ts';
import { InvalidConfigError } from './errors.ts';
import { startCleanup } from './roles/cleanup-part.ts';
import { startDelivery } from './roles/delivery-part.ts';
import { applyAccountsAndRoutes, type InserterPart, startInserter } from './roles/inserter-part.ts';
import { Role, type RunningPart } from './roles/role.ts';
import { smppTlsOptions } from './tls-files.ts';

export type RunningSmsc = {
  readonly role: Role;
  readonly database: Database;
  /** The SMPP address when this process runs the inserter. */
  readonly smpp: { host: string; port: number } | undefined;
  /** Stops every part (inserter first), then closes the database. Idempotent; never throws. */
  close(): Promise<void>;
};

/**
 * What a role needs beyond what validation checks: every role but `all` needs a MongoDB URI, and
 * the inserter's TLS files must be readable. Throws InvalidConfigError naming the field.
 */
export function checkRoleConfig(role: Role, config: SmscConfig): void {
  if (role !== Role.all && config.mongodb.uri === undefined)
    throw new InvalidConfigError('mongodb.uri', `is required for the ${role} role (or set MONGODB_URI)`);
  if (role === Role.inserter || role === Role.all) smppTlsOptions(config);
}

/** Starts one role (or all) on one MongoDB connection. Nothing here reads process.env or signals. */
export async function startSmsc(role: Role, config: SmscConfig, logger: Logger): Promise<RunningSmsc> {
  const database = await openDatabase(config, logger, { allowInMemory: role === Role.all });
  const parts: RunningPart[] = [];
  let inserter: InserterPart | undefined;
  try {
    await applyAccountsAndRoutes(database.store, config, logger);
    if (role === Role.inserter || role === Role.all) {
      inserter = await startInserter(database.store, config, logger.child({ part: 'inserter' }));
      parts.push(inserter);
    }
    if (role === Role.delivery || role === Role.all)
      parts.push(startDelivery(logger.child({ part: 'delivery' }), { alone: role === Role.delivery }));
    if (role === Role.cleanup || role === Role.all)
      parts.push(startCleanup(database.store, config, logger.child({ part: 'cleanup' })));
  } catch (error) {
    await closeAll(parts, database, config.shutdown.drainMs, logger);
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    role,
    database,
    smpp: inserter ? { host: inserter.host, port: inserter.port } : undefined,
    close() {
      closing ??= closeAll(parts, database, config.shutdown.drainMs, logger);
      return closing;
    },
  };
}

async function closeAll(parts: RunningPart[], database: Database, drainMs: number, logger: Logger) {
  // In start order, so the inserter (which holds sessions) goes first; one failure skips nothing.
  for (const part of parts) {
    try {
      await part.close(drainMs);
      logger.info({ part: part.name }, 'stopped');
    } catch (error) {
      logger.error({ err: error, part: part.name }, 'stopping failed');
    }
  }
  await database.close();
}
