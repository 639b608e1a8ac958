/**
 * Writes the config file's accounts and routes to the store at start-up. The store stays the source
 * of truth at run time: records created through the API (`source: 'api'`) are left alone.
 */
import type { Collections } from '@smsc/store';
import type { Collection } from 'mongodb';
import pino, { type Logger } from 'pino';
import type { AccountRecord } from './account.ts';
import { type DirectoryConfig, routeConfigId, routeConfigTarget } from './config.ts';
import { DEFAULT_HASH_COST, type HashCost, hashPassword, verifyPassword } from './password.ts';
import type { RouteRecord } from './route.ts';

export interface ApplyConfigOptions {
  logger?: Logger;
  /** scrypt cost for new hashes. Default DEFAULT_HASH_COST. */
  hashCost?: HashCost;
  now?: () => Date;
}

export interface ApplyConfigResult {
  accountsWritten: number;
  /** Accounts from an earlier config that this one no longer lists: disabled, not deleted (their messages stay). */
  accountsDisabled: number;
  routesWritten: number;
  routesRemoved: number;
}

type DirectoryCollections = Pick<Collections, 'accounts' | 'routes'>;

export async function applyDirectoryConfig(
  collections: DirectoryCollections,
  config: DirectoryConfig,
  options: ApplyConfigOptions = {},
): Promise<ApplyConfigResult> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const now = (options.now ?? (() => new Date()))();
  const accounts = collections.accounts as unknown as Collection<AccountRecord>;
  const routes = collections.routes as unknown as Collection<RouteRecord>;

  for (const a of config.accounts) {
    const existing = await accounts.findOne({ _id: a.systemId });
    // Re-hash only when the password changed, so restarts do not rewrite every hash.
    const keep =
      existing &&
      typeof existing.passwordHash === 'string' &&
      (await verifyPassword(a.password, existing.passwordHash));
    const passwordHash = keep
      ? existing.passwordHash
      : await hashPassword(a.password, options.hashCost ?? DEFAULT_HASH_COST);
    const record: AccountRecord = {
      _id: a.systemId,
      systemId: a.systemId,
      passwordHash,
      maxBinds: a.maxBinds ?? 0,
      throughput: a.throughput ?? 0,
      allowMo: a.allowMo ?? false,
      enabled: a.enabled ?? true,
      source: 'config',
      updatedAt: now,
    };
    await accounts.replaceOne({ _id: a.systemId }, record, { upsert: true });
    logger.info({ systemId: a.systemId, passwordChanged: !keep }, 'account applied from config');
  }
  const listed = config.accounts.map((a) => a.systemId);
  const disabled = await accounts.updateMany(
    { source: 'config', _id: { $nin: listed }, enabled: true },
    { $set: { enabled: false, updatedAt: now } },
  );

  const ids: string[] = [];
  for (const [i, r] of config.routes.entries()) {
    const id = routeConfigId(r);
    ids.push(id);
    const record: RouteRecord = {
      _id: id,
      prefix: r.prefix,
      target: routeConfigTarget(r),
      order: r.order ?? i,
      enabled: true,
      source: 'config',
      updatedAt: now,
    };
    if (r.fromAccount !== undefined) record.fromAccount = r.fromAccount;
    await routes.replaceOne({ _id: id }, record, { upsert: true });
  }
  const removed = await routes.deleteMany({ source: 'config', _id: { $nin: ids } });
  logger.info({ routes: ids.length, removed: removed.deletedCount }, 'routes applied from config');
  return {
    accountsWritten: config.accounts.length,
    accountsDisabled: disabled.modifiedCount,
    routesWritten: ids.length,
    routesRemoved: removed.deletedCount,
  };
}
