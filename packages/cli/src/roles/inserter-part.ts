import { applyDirectoryConfig, Directory } from '@smsc/directory';
import { EsmeDelivery } from '@smsc/esme-outlet';
import { Inserter } from '@smsc/inserter';
import type { Store } from '@smsc/store';
import type { Logger } from 'pino';
import type { SmscConfig } from '../config/validate.ts';
import { smppTlsOptions } from '../tls-files.ts';
import type { RunningPart } from './role.ts';
import { workerOptions } from './worker-options.ts';

export type InserterPart = RunningPart & { readonly host: string; readonly port: number };

/**
 * The SMPP server with delivery to the ESMEs bound on it: receiving binds get messages routed to
 * their account and the receipts it is owed, through a worker per account (@smsc/esme-outlet).
 */
export async function startInserter(store: Store, config: SmscConfig, logger: Logger): Promise<InserterPart> {
  const directory = new Directory({
    collections: store.collections,
    logger: logger.child({ component: 'directory' }),
  });
  await directory.start();
  const s = config.smpp;
  const drainMs = config.shutdown.drainMs;
  const tls = smppTlsOptions(config);
  const inserter = new Inserter({
    store,
    directory,
    host: s.host,
    port: s.port,
    systemId: s.systemId,
    ...(tls ? { tls } : {}),
    sessionWindow: s.sessionWindow,
    maxInFlight: s.maxInFlight,
    maxValidityMs: s.maxValidityMs,
    maxScheduleMs: s.maxScheduleMs,
    // Half the drain time for ESME delivery to finish its batches, half for the sessions to unbind.
    drainTimeoutMs: Math.ceil(drainMs / 2),
    session: {
      windowSize: s.windowSize,
      responseTimeoutMs: s.responseTimeoutMs,
      enquireLinkIntervalMs: s.enquireLinkIntervalMs,
      inactivityTimeoutMs: s.inactivityTimeoutMs,
      sessionInitTimeoutMs: s.sessionInitTimeoutMs,
    },
    logger,
    // Messages for an account bound here go to its worker claimed as they are stored.
    claims: (target) => delivery.offerQueueClaim(target),
  });
  const delivery: EsmeDelivery = new EsmeDelivery({
    store,
    registry: inserter.registry,
    worker: workerOptions(config),
    responseTimeoutMs: s.responseTimeoutMs,
    idleDrainMs: Math.ceil(drainMs / 2),
    logger,
  });
  delivery.start();
  let address: { host: string; port: number };
  try {
    address = await inserter.start();
  } catch (error) {
    await delivery.close({ timeoutMs: 0 });
    directory.close();
    throw error;
  }
  return {
    name: 'inserter',
    host: address.host,
    port: address.port,
    async close(ms: number) {
      // New binds are refused at once (ESMEs go to another inserter); batches in flight finish
      // while their sessions are still bound; then the sessions get their in-flight responses and
      // an unbind.
      inserter.stopAccepting();
      await delivery.close({ timeoutMs: Math.ceil(ms / 2) });
      await inserter.close();
      directory.close();
    },
  };
}

/** Writes the config file's accounts and routes to the store: it is the source of truth at run time. */
export async function applyAccountsAndRoutes(
  store: Store,
  config: SmscConfig,
  logger: Logger,
): Promise<void> {
  if (config.accounts.length === 0 && config.routes.length === 0) return;
  const result = await applyDirectoryConfig(
    store.collections,
    { accounts: [...config.accounts], routes: [...config.routes] },
    { logger: logger.child({ component: 'directory' }) },
  );
  logger.info(result, 'accounts and routes applied from the config');
}
