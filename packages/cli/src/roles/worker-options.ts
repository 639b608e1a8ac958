import type { EsmeWorkerOptions } from '@smsc/esme-outlet';
import type { SmscConfig } from '../config/validate.ts';

/** The engine worker options of the `delivery` section, shared by every worker of the process. */
export function workerOptions(config: SmscConfig): EsmeWorkerOptions {
  const d = config.delivery;
  return {
    concurrency: d.concurrency,
    leaseMs: d.leaseMs,
    scanIntervalMs: d.scanIntervalMs,
    retry: {
      maxAttempts: d.maxAttempts,
      backoff: { baseMs: d.retryBaseMs, maxMs: d.retryMaxMs },
      throttleDelayMs: d.throttleDelayMs,
    },
  };
}
