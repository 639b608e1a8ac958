/**
 * The inserter role: an SMPP server whose sessions authenticate against the directory and whose
 * submits are answered only once the store has them. It exposes its bound sessions as a
 * SessionRegistry for the delivery outlet that runs in the same process.
 */
import { listenSmpp, type SmppServer, type SmppSession } from '@smsc/smpp';
import pino, { type Logger } from 'pino';
import { BoundSessions } from './bound-sessions.ts';
import { buildContext, type Connection, type InserterContext } from './context.ts';
import { dispatch } from './dispatch.ts';
import { InvalidInserterStateError } from './errors.ts';
import { handleBind } from './handlers/bind.ts';
import { type InserterConfig, type InserterOptions, resolveInserterConfig } from './options.ts';
import type { SessionRegistry } from './session-registry.ts';

export const InserterState = {
  created: 'created',
  starting: 'starting',
  listening: 'listening',
  /** stopAccepting() was called: bound sessions keep working, new binds get ESME_RBINDFAIL. */
  draining: 'draining',
  closing: 'closing',
  closed: 'closed',
} as const;
export type InserterState = (typeof InserterState)[keyof typeof InserterState];

export interface InserterStats {
  sessions: number;
  bound: number;
  inFlight: number;
  writes: number;
  messagesWritten: number;
  largestGroup: number;
}

export class Inserter {
  readonly config: Readonly<InserterConfig>;
  private readonly options: InserterOptions;
  private readonly logger: Logger;
  private readonly sessions = new BoundSessions();
  private readonly ctx: InserterContext;
  private server: SmppServer | undefined;
  private currentState: InserterState = InserterState.created;
  private closing: Promise<void> | undefined;

  constructor(options: InserterOptions) {
    this.config = resolveInserterConfig(options);
    this.options = options;
    this.logger = (options.logger ?? pino({ level: 'silent' })).child({ role: 'inserter' });
    this.ctx = buildContext(options, this.config, this.sessions, this.logger);
  }

  get state(): InserterState {
    return this.currentState;
  }

  /** Bound sessions by account, with events as receiving binds come and go (for the ESME outlet). */
  get registry(): SessionRegistry {
    return this.sessions;
  }

  /** The port listened on (the real one when the option was 0). */
  get port(): number {
    if (!this.server) throw new InvalidInserterStateError('the inserter is not listening');
    return this.server.port;
  }

  get stats(): InserterStats {
    return {
      sessions: this.server?.sessions.size ?? 0,
      bound: this.sessions.all().length,
      inFlight: this.ctx.inFlight,
      writes: this.ctx.writer.stats.writes,
      messagesWritten: this.ctx.writer.stats.messages,
      largestGroup: this.ctx.writer.stats.largestGroup,
    };
  }

  /** Listens; resolves once binds are accepted. The directory must have been started. */
  async start(): Promise<{ host: string; port: number }> {
    if (this.currentState !== InserterState.created)
      throw new InvalidInserterStateError(`start() in state ${this.currentState}`);
    this.currentState = InserterState.starting;
    const windowRoom = this.config.sessionWindow * 2;
    this.server = await listenSmpp(
      {
        ...this.options.session,
        host: this.config.host,
        port: this.config.port,
        systemId: this.config.systemId,
        unbindTimeoutMs: this.options.session?.unbindTimeoutMs ?? this.config.drainTimeoutMs,
        // Read past the window so the excess is answered ESME_RMSGQFUL instead of waiting unread.
        maxInboundInFlight: windowRoom,
        // Gateway accounts inject MO traffic as deliver_sm; the handler checks the account's allowMo.
        esmeMayDeliver: true,
        ...(this.options.tls ? { tls: this.options.tls } : {}),
      },
      (session) => this.onSession(session),
    );
    this.currentState = InserterState.listening;
    this.logger.info({ host: this.server.host, port: this.server.port }, 'inserter listening');
    return { host: this.server.host, port: this.server.port };
  }

  /**
   * First step of a shutdown: new binds are refused with ESME_RBINDFAIL (so ESMEs go to another
   * inserter) while bound sessions keep submitting and receiving, e.g. while delivery drains.
   */
  stopAccepting(): void {
    if (this.currentState === InserterState.listening) {
      this.currentState = InserterState.draining;
      this.logger.info('inserter no longer accepts binds');
    }
  }

  /**
   * Graceful stop (idempotent): no new connections or binds; every session gets its in-flight
   * responses, then an unbind; sessions still open after `drainTimeoutMs` are closed.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.currentState = InserterState.closing;
    const server = this.server;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.config.drainTimeoutMs + 1000);
      timer.unref();
    });
    try {
      if (server && (await Promise.race([server.close(), deadline])) === 'timeout') {
        this.logger.warn({ open: server.sessions.size }, 'drain time over: closing the remaining sessions');
        await Promise.all([...server.sessions].map((s) => s.close()));
      }
      // Writes still running finish in the store whether or not anyone waits; we wait within the drain time.
      if ((await Promise.race([this.ctx.writer.idle(), deadline])) === 'timeout') {
        this.logger.warn({ pending: this.ctx.writer.pending }, 'drain time over with writes still running');
      }
    } finally {
      clearTimeout(timer);
      this.currentState = InserterState.closed;
      this.logger.info('inserter closed');
    }
  }

  /** Operators follow binds on the events feed; losing one there is harmless (appendEvents never throws). */
  private recordBind(type: string, session: SmppSession, systemId: string, detail: string): void {
    void this.options.store.appendEvents([
      { type, at: this.ctx.now(), data: { systemId, sessionId: session.id, detail } },
    ]);
  }

  private onSession(session: SmppSession): void {
    const conn: Connection = {
      session,
      log: this.logger.child({ sessionId: session.id }),
      account: null,
      inFlight: 0,
    };
    const accepting = () => this.currentState === InserterState.listening;
    session.once('bound', (info) => this.recordBind('bind.opened', session, info.systemId, info.command));
    void session.closed.then((close) => {
      if (conn.account) this.recordBind('bind.closed', session, conn.account.systemId, close.reason);
    });
    session.on('bind', (request) => {
      void handleBind(this.ctx, conn, request, accepting).catch((error: unknown) => {
        conn.log.error({ err: error }, 'bind handling failed');
      });
    });
    session.on('pdu', (pdu) => dispatch(this.ctx, conn, pdu));
    session.on('error', (error) => conn.log.debug({ err: error }, 'session problem'));
    session.on('close', (info) =>
      conn.log.info({ reason: info.reason, clean: info.clean }, 'session closed'),
    );
  }
}
