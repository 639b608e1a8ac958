/** Inserter configuration: every option documented with its default, validated once, frozen. */
import type tls from 'node:tls';
import type { Directory } from '@smsc/directory';
import type { SessionOptions } from '@smsc/smpp';
import type { QueueHandOff, Store } from '@smsc/store';
import type { Logger } from 'pino';
import { InvalidInserterOptionError } from './errors.ts';
import type { WriteMany } from './group-writer.ts';

export type InserterSessionOptions = Omit<SessionOptions, 'role' | 'id' | 'systemId' | 'maxInboundInFlight'>;

export interface InserterOptions {
  store: Store;
  directory: Directory;
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** TCP port; 0 picks a free one (see `inserter.port`). Default 2775. */
  port?: number;
  /** TLS server options (key, cert); plain TCP when absent. */
  tls?: tls.TlsOptions;
  /** Our system_id in bind_*_resp (§4.1.2). Default 'smsc'. */
  systemId?: string;
  /** pino logger; children carry sessionId, systemId and messageId. Default: silent. */
  logger?: Logger;
  /**
   * Unanswered requests one session may have with us; beyond it ESME_RMSGQFUL. The spec suggests
   * ESMEs keep at most 10 outstanding (§2.9); hosted gateways allow 20-50. Default 50.
   */
  sessionWindow?: number;
  /** Unanswered requests over all sessions of this process; beyond it ESME_RMSGQFUL. Default 5 000. */
  maxInFlight?: number;
  /** Longest validity accepted; longer ones are shortened to it (§5.2.16). Default 7 days. */
  maxValidityMs?: number;
  /** Latest schedule_delivery_time accepted, from now (ESME_RINVSCHED beyond). Default 7 days. */
  maxScheduleMs?: number;
  /** Largest message content in octets. Default: the store's maxMessageBytes. */
  maxMessageBytes?: number;
  /** Most messages per grouped write. Default 256. */
  maxGroup?: number;
  /** Grouped writes in flight at once. Default 2. */
  maxConcurrentWrites?: number;
  /** How long close() lets sessions finish their in-flight work and unbind. Default 10 000 ms. */
  drainTimeoutMs?: number;
  /** Timers and windows of each server session (enquire_link, inactivity, response...). */
  session?: InserterSessionOptions;
  /** Replaces the store's batch insert (tests, alternative stores). Default: createBatchQueue(store). */
  writeMany?: WriteMany;
  /**
   * Workers of this process that take messages as they are stored (createBatchQueue `claims`):
   * asked per target and grouped write. Default: none, every message is queued.
   */
  claims?: (target: string) => QueueHandOff | undefined;
  /** Clock. Default: the store's. */
  now?: () => Date;
}

export interface InserterConfig {
  host: string;
  port: number;
  systemId: string;
  sessionWindow: number;
  maxInFlight: number;
  maxValidityMs: number;
  maxScheduleMs: number;
  maxMessageBytes: number;
  maxGroup: number;
  maxConcurrentWrites: number;
  drainTimeoutMs: number;
}

function count(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new InvalidInserterOptionError(`${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

export function resolveInserterConfig(options: InserterOptions): Readonly<InserterConfig> {
  if (!options.store) throw new InvalidInserterOptionError('store is required');
  if (!options.directory) throw new InvalidInserterOptionError('directory is required');
  const port = options.port ?? 2775;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidInserterOptionError(`port must be 0-65535, got ${port}`);
  const systemId = options.systemId ?? 'smsc';
  // §5.2.1: system_id is at most 15 characters and a NUL.
  if (systemId.length === 0 || systemId.length > 15)
    throw new InvalidInserterOptionError('systemId must be 1-15 characters');
  const day = 24 * 3600_000;
  return Object.freeze({
    host: options.host ?? '127.0.0.1',
    port,
    systemId,
    sessionWindow: count('sessionWindow', options.sessionWindow ?? 50, 1),
    maxInFlight: count('maxInFlight', options.maxInFlight ?? 5_000, 1),
    maxValidityMs: count('maxValidityMs', options.maxValidityMs ?? 7 * day, 1),
    maxScheduleMs: count('maxScheduleMs', options.maxScheduleMs ?? 7 * day, 0),
    maxMessageBytes: count(
      'maxMessageBytes',
      options.maxMessageBytes ?? options.store.config.maxMessageBytes,
      1,
    ),
    maxGroup: count('maxGroup', options.maxGroup ?? 256, 1),
    maxConcurrentWrites: count('maxConcurrentWrites', options.maxConcurrentWrites ?? 2, 1),
    drainTimeoutMs: count('drainTimeoutMs', options.drainTimeoutMs ?? 10_000, 0),
  });
}
