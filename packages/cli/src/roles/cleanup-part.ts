import { Cleanup } from '@smsc/engine';
import type { Store } from '@smsc/store';
import type { Logger } from 'pino';
import type { SmscConfig } from '../config/validate.ts';
import type { RunningPart } from './role.ts';

/** Lease resets, lock removal, expiry (with receipts), receipt recovery, purge: one leader at a time. */
export function startCleanup(store: Store, config: SmscConfig, logger: Logger): RunningPart {
  const c = config.cleanup;
  const cleanup = new Cleanup({
    store,
    intervalMs: c.intervalMs,
    leaseMs: c.leaseMs,
    retentionMs: c.retentionMs,
    logger,
  });
  cleanup.start();
  logger.info({ intervalMs: c.intervalMs }, 'cleanup started');
  return { name: 'cleanup', close: () => cleanup.close() };
}
