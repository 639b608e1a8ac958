import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import pino, { type Logger } from 'pino';
import type { Clock } from './clock.ts';
import { type Collections, collections } from './collections.ts';
import { InvalidStoreOptionError } from './errors.ts';
import { createMessageIdGenerator, type MessageIdGenerator } from './message-id.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createMultiWrite, type MultiWrite } from './multi-write.ts';

export type StoreOptions = {
  db: Db;
  /** Injectable clock. Default: the system clock. */
  now?: Clock;
  /** pino logger; the store logs at debug per transition with `messageId`. Default: silent. */
  logger?: Logger;
  metrics?: Metrics;
  /** Largest accepted payload (short_message plus TLV values), bytes. Default 64 KiB. */
  maxMessageBytes?: number;
  /** Delivery history entries kept per message (older ones are dropped by `$slice`). Default 20. */
  historyLimit?: number;
  /** Validity of a message queued without one. Default 48 h. */
  defaultValidityMs?: number;
  /** Validity of the receipts this store queues. Default 48 h. */
  receiptValidityMs?: number;
  /** Size of the capped events collection created by `migrate`. Default 16 MiB. */
  eventsSizeBytes?: number;
  /**
   * Record outcomes with MongoDB 8.0's multi-collection `bulkWrite` (fewer round trips). Default:
   * used when the server has it; `false` keeps to one command per collection.
   */
  multiCollectionWrites?: boolean;
};

export type StoreConfig = Readonly<{
  maxMessageBytes: number;
  historyLimit: number;
  defaultValidityMs: number;
  receiptValidityMs: number;
  eventsSizeBytes: number;
}>;

export type StoreContext = {
  db: Db;
  cols: Collections;
  now: Clock;
  logger: Logger;
  metrics: Metrics;
  ids: MessageIdGenerator;
  config: StoreConfig;
  /** Whether the server takes writes to several collections in one command. */
  multi: MultiWrite;
};

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new InvalidStoreOptionError(`${name} must be a positive number, got ${value}`);
  return value;
}

export function createContext(options: StoreOptions): StoreContext {
  const now = options.now ?? (() => new Date());
  const config: StoreConfig = Object.freeze({
    maxMessageBytes: positive('maxMessageBytes', options.maxMessageBytes ?? 64 * 1024),
    historyLimit: positive('historyLimit', options.historyLimit ?? 20),
    defaultValidityMs: positive('defaultValidityMs', options.defaultValidityMs ?? 48 * 3600_000),
    receiptValidityMs: positive('receiptValidityMs', options.receiptValidityMs ?? 48 * 3600_000),
    eventsSizeBytes: positive('eventsSizeBytes', options.eventsSizeBytes ?? 16 * 1024 * 1024),
  });
  return {
    db: options.db,
    cols: collections(options.db),
    now,
    logger: options.logger ?? pino({ level: 'silent' }),
    metrics: options.metrics ?? createMetrics(),
    ids: createMessageIdGenerator(now),
    config,
    multi: createMultiWrite(options.multiCollectionWrites),
  };
}

// Tokens are cut from a block of random bytes: one getrandom call per 341 tokens instead of one each
// (a claim and every transition take one).
const TOKEN_BYTES = 12;
let pool = Buffer.alloc(0);
let poolAt = 0;

/** A fencing token: fresh per claim, 96 random bits. */
export function newToken(): string {
  if (poolAt + TOKEN_BYTES > pool.length) {
    pool = randomBytes(TOKEN_BYTES * 341);
    poolAt = 0;
  }
  const token = pool.toString('base64url', poolAt, poolAt + TOKEN_BYTES);
  poolAt += TOKEN_BYTES;
  return token;
}
