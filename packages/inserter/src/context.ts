/** What every handler reads: the process-wide pieces, and the one object of per-connection state. */
import type { Account, Directory } from '@smsc/directory';
import type { SmppSession } from '@smsc/smpp';
import { createBatchQueue, type Store } from '@smsc/store';
import type { Logger } from 'pino';
import type { BoundSessions } from './bound-sessions.ts';
import { GroupWriter } from './group-writer.ts';
import type { InserterConfig, InserterOptions } from './options.ts';
import { Throttles } from './throttle.ts';
import type { MessageLimits } from './validate/message.ts';

export interface InserterContext {
  readonly store: Store;
  readonly directory: Directory;
  readonly writer: GroupWriter;
  readonly throttles: Throttles;
  readonly registry: BoundSessions;
  readonly config: Readonly<InserterConfig>;
  readonly limits: MessageLimits;
  readonly logger: Logger;
  readonly now: () => Date;
  /** Requests of all sessions being worked on (admitted, not answered). */
  inFlight: number;
}

/** Per-connection state: one per session, created at accept. */
export interface Connection {
  readonly session: SmppSession;
  log: Logger;
  /** Set once the bind is accepted. */
  account: Account | null;
  /** This session's admitted, unanswered requests. */
  inFlight: number;
}

/** The account's current settings (the directory may have refreshed since the bind), else the bind's. */
export function currentAccount(ctx: InserterContext, conn: Connection): Account {
  const bound = conn.account as Account;
  return ctx.directory.account(bound.systemId) ?? bound;
}

export function buildContext(
  options: InserterOptions,
  config: Readonly<InserterConfig>,
  registry: BoundSessions,
  logger: Logger,
): InserterContext {
  const now = options.now ?? (() => options.store.now());
  const writeMany =
    options.writeMany ??
    createBatchQueue(options.store, { logger, ...(options.claims ? { claims: options.claims } : {}) })
      .queueMany;
  return {
    store: options.store,
    directory: options.directory,
    writer: new GroupWriter(writeMany, {
      maxGroup: config.maxGroup,
      maxConcurrentWrites: config.maxConcurrentWrites,
    }),
    throttles: new Throttles(() => now().getTime()),
    registry,
    config,
    limits: {
      maxValidityMs: config.maxValidityMs,
      maxScheduleMs: config.maxScheduleMs,
      maxMessageBytes: config.maxMessageBytes,
    },
    logger,
    now,
    inFlight: 0,
  };
}
