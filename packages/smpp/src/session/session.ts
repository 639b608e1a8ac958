/**
 * One SMPP session over any duplex byte stream (TCP, TLS, in-memory), either end (ESME or SMSC).
 * All per-connection state lives in this object; every received PDU goes through `dispatch`, which
 * hands it to the one handler of its command.
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import {
  CommandId,
  type CommandName,
  commandName,
  isResponse,
  type RequestName,
  responseCommand,
} from '../command-ids.ts';
import { CommandStatus } from '../command-status.ts';
import { encodePdu } from '../encode.ts';
import type { SmppDecodeError } from '../errors.ts';
import { type FramerItem, PduFramer } from '../framer.ts';
import type { Pdu, PduOf } from '../types.ts';
import { buildPdu, buildResponse, type PduInput } from './build.ts';
import {
  SmppBindError,
  SmppDrainTimeoutError,
  SmppGenericNackError,
  SmppInvalidStateError,
  SmppProtocolError,
  SmppSessionClosedError,
  SmppTimeoutError,
} from './errors.ts';
import {
  type ApplicationRequest,
  type BindDecision,
  type BindRequest,
  type CloseInfo,
  CloseReason,
  type ResponseFields,
  type SmppSessionEvents,
} from './events.ts';
import { FrameWriter } from './frame-writer.ts';
import { type ResolvedSessionOptions, resolveSessionOptions, type SessionOptions } from './options.ts';
import { RequestWindow } from './request-window.ts';
import { SequenceCounter } from './sequence.ts';
import { SessionTimers } from './session-timers.ts';
import {
  BIND_STATE,
  type BindCommand,
  isBindCommand,
  isBound,
  mayIssue,
  peerRole,
  type SessionRole,
  SessionState,
} from './state.ts';

/** The bind parameters an ESME sends (§4.1.1); omitted fields are empty / 0. */
export interface BindParams {
  systemId: string;
  password?: string;
  systemType?: string;
  /** Default 0x34, SMPP 3.4 (§5.2.4). */
  interfaceVersion?: number;
  addrTon?: number;
  addrNpi?: number;
  addressRange?: string;
}

/** Requests that go through `request()`; binds and unbind have their own methods. */
export type RequestCommand = Exclude<RequestName, BindCommand | 'unbind'>;
export type ResponseOf<N extends RequestName> = PduOf<`${N}_resp` & CommandName>;

export interface RequestOptions {
  /** Overrides the session's response timeout for this request. */
  timeoutMs?: number;
}

type Handler = (pdu: Pdu) => void;

const SMPP_3_4 = 0x34;

export class SmppSession extends EventEmitter<SmppSessionEvents> {
  readonly id: string;
  readonly role: SessionRole;
  readonly options: ResolvedSessionOptions;
  /** Resolves once, with why the session ended, after the stream has closed. */
  readonly closed: Promise<CloseInfo>;

  private readonly stream: Duplex;
  private readonly framer: PduFramer;
  private readonly window: RequestWindow;
  private readonly sequence: SequenceCounter;
  private currentState: SessionState = SessionState.open;
  private peerSystemId: string | undefined;
  /** A bind is being decided (SMSC) or awaited (ESME); a second one is refused meanwhile. */
  private binding = false;
  /** Items framed but not yet handled, held while reading is paused. At most one chunk's worth. */
  private readonly inbox: FramerItem[] = [];
  private handlingInbox = false;
  /** Sequence numbers of the peer's requests the application has not answered yet. */
  private readonly inbound = new Set<number>();
  private readonly inboundIdle = new Set<() => void>();
  private readonly writer: FrameWriter;
  private readonly timers: SessionTimers;
  private enquireOutstanding = false;
  private graceTimer: NodeJS.Timeout | undefined;
  private closeInfo: CloseInfo | undefined;
  private closeEmitted = false;
  private resolveClosed!: (info: CloseInfo) => void;
  private unbindPromise: Promise<CloseInfo> | undefined;
  private readonly handlers: Partial<Record<CommandName, Handler>>;

  constructor(stream: Duplex, options: SessionOptions) {
    super();
    this.options = resolveSessionOptions(options);
    this.id = this.options.id;
    this.role = this.options.role;
    this.stream = stream;
    this.framer = new PduFramer({ maxCommandLength: this.options.maxCommandLength });
    this.sequence = new SequenceCounter(this.options.initialSequenceNumber);
    this.window = new RequestWindow({
      windowSize: this.options.windowSize,
      maxQueued: this.options.maxQueued,
      queueTimeoutMs: this.options.queueTimeoutMs,
      canStart: () => !this.writer.blocked,
    });
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    const onBind = (pdu: Pdu) => this.onBind(pdu as BindRequest['pdu']);
    const toApplication = (pdu: Pdu) => this.onApplicationRequest(pdu as ApplicationRequest);
    // The one table of request handlers; responses all go to onResponse (§4: every *_resp and generic_nack).
    this.handlers = {
      bind_transmitter: onBind,
      bind_receiver: onBind,
      bind_transceiver: onBind,
      outbind: (pdu) => this.onOutbind(pdu as PduOf<'outbind'>),
      unbind: (pdu) => this.onUnbind(pdu as PduOf<'unbind'>),
      enquire_link: (pdu) => this.writePdu(buildResponse(pdu)),
      submit_sm: toApplication,
      submit_multi: toApplication,
      deliver_sm: toApplication,
      data_sm: toApplication,
      query_sm: toApplication,
      cancel_sm: toApplication,
      replace_sm: toApplication,
      alert_notification: toApplication,
    };

    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('end', () => this.finish(CloseReason.peerClosed));
    stream.on('error', (error) => this.finish(CloseReason.streamError, error));
    stream.on('close', () => {
      this.finish(CloseReason.peerClosed);
      this.emitClose();
    });
    this.writer = new FrameWriter(stream, this.options.drainTimeoutMs, {
      onBlocked: () => this.updateReadFlow(),
      onDrained: () => {
        this.handleInbox();
        this.window.pump();
      },
      onDrainTimeout: () =>
        this.finish(CloseReason.drainTimeout, new SmppDrainTimeoutError(this.options.drainTimeoutMs)),
    });
    this.timers = new SessionTimers(
      {
        ...this.options,
        // §7.2 session_init_timer guards the SMSC against connections that never bind.
        sessionInitTimeoutMs: this.role === 'smsc' ? this.options.sessionInitTimeoutMs : 0,
      },
      {
        onSessionInitTimeout: () => this.finish(CloseReason.sessionInitTimeout),
        onEnquireDue: () => this.onEnquireDue(),
        onInactivity: () => void this.unbindAndClose(CloseReason.inactivity),
      },
    );
  }

  get state(): SessionState {
    return this.currentState;
  }

  /** The peer's system_id once bound: the ESME's on the SMSC side, the SMSC's on the ESME side. */
  get systemId(): string | undefined {
    return this.peerSystemId;
  }

  /** Our requests awaiting a response (windowed ones), and requests waiting for a slot. */
  get outstanding(): { requests: number; queued: number; inbound: number } {
    return { requests: this.window.outstanding, queued: this.window.queued, inbound: this.inbound.size };
  }

  /**
   * ESME side: binds (§4.1) and resolves with the bind_*_resp; rejects with SmppBindError when the
   * SMSC refuses, leaving the session open for another attempt.
   */
  async bind<C extends BindCommand>(command: C, params: BindParams): Promise<ResponseOf<C>> {
    if (this.binding) throw new SmppInvalidStateError(command, `${this.currentState} (bind in progress)`);
    this.assertMayIssue(command);
    this.binding = true;
    try {
      const pdu = buildPdu({
        interfaceVersion: SMPP_3_4,
        ...params,
        command,
      } as PduInput<BindCommand>) as Pdu;
      const resp = (await this.send(pdu, this.options.responseTimeoutMs, true, (r) => {
        // Synchronously, so a deliver_sm right behind the bind_resp already finds us bound.
        if (r.commandStatus === CommandStatus.ESME_ROK && r.command === responseCommand(command)) {
          this.enterBound(command, (r as ResponseOf<BindCommand>).systemId);
          this.emitBound(command);
        }
      })) as ResponseOf<C>;
      if (resp.commandStatus !== CommandStatus.ESME_ROK) {
        throw new SmppBindError(
          `${command} refused with 0x${resp.commandStatus.toString(16)}`,
          resp.commandStatus,
        );
      }
      return resp;
    } finally {
      this.binding = false;
    }
  }

  /**
   * Sends a request and resolves with its response, whatever its command_status; rejects with
   * SmppTimeoutError, SmppGenericNackError, SmppSessionClosedError, SmppInvalidStateError (our bind
   * state may not send it), SmppWindowFullError or SmppQueueTimeoutError. Waits for a window slot.
   */
  async request<N extends RequestCommand>(
    input: PduInput<N>,
    options: RequestOptions = {},
  ): Promise<ResponseOf<N>> {
    const command = input.command as CommandName;
    if (isBindCommand(command) || command === 'unbind') {
      throw new TypeError(`use ${command === 'unbind' ? 'unbind()' : 'bind()'} for ${command}`);
    }
    this.assertMayIssue(command);
    const pdu = buildPdu(input) as Pdu;
    return (await this.send(pdu, options.timeoutMs ?? this.options.responseTimeoutMs, true)) as ResponseOf<N>;
  }

  /** Sends a PDU that has no response: alert_notification (SMSC, §4.12) or outbind (SMSC, §4.1.7). */
  notify(input: PduInput<'alert_notification'> | PduInput<'outbind'>): void {
    this.assertMayIssue(input.command);
    const pdu = buildPdu(input as PduInput<'alert_notification'>) as Pdu;
    pdu.sequenceNumber = this.sequence.next((n) => this.window.has(n));
    this.writePdu(pdu);
  }

  /**
   * Answers a request received through the 'pdu' event, with the same sequence number (§5.1.4).
   * Returns false when the session has closed meanwhile (the answer is dropped).
   */
  respond<P extends Exclude<ApplicationRequest, { command: 'alert_notification' }>>(
    request: P,
    fields: ResponseFields<P['command']> = {},
  ): boolean {
    if (this.currentState === SessionState.closed) return false;
    if (!this.inbound.has(request.sequenceNumber)) {
      throw new SmppProtocolError(
        `no unanswered ${request.command} #${request.sequenceNumber} to respond to`,
      );
    }
    const resp = buildResponse(request, fields);
    let frame: Buffer;
    try {
      frame = encodePdu(resp);
    } catch (error) {
      this.writePdu(buildResponse(request, { commandStatus: CommandStatus.ESME_RSYSERR }));
      this.inboundAnswered(request.sequenceNumber);
      throw error;
    }
    this.writeFrame(frame);
    this.inboundAnswered(request.sequenceNumber);
    return true;
  }

  /**
   * Graceful unbind (§4.2): stops taking new requests, lets in-flight ones complete (bounded by
   * unbindTimeoutMs), sends unbind, waits for unbind_resp, closes. Idempotent.
   */
  unbind(): Promise<CloseInfo> {
    return this.unbindAndClose(CloseReason.unbind);
  }

  /** Closes at once without unbinding (pending requests reject with SmppSessionClosedError). Idempotent. */
  close(): Promise<CloseInfo> {
    this.finish(CloseReason.local);
    return this.closed;
  }

  // ---- receiving ----

  private onData(chunk: Buffer): void {
    // After close we only drain the socket so it can finish; nothing more is handled.
    if (this.currentState === SessionState.closed) return;
    this.timers.activity();
    for (const item of this.framer.push(chunk)) this.inbox.push(item);
    this.handleInbox();
  }

  private handleInbox(): void {
    if (this.handlingInbox) return;
    this.handlingInbox = true;
    try {
      while (this.inbox.length > 0 && !this.readPaused()) {
        const item = this.inbox.shift()!;
        if (item.type === 'pdu') this.dispatch(item.pdu);
        else this.onDecodeError(item.error);
      }
    } finally {
      this.handlingInbox = false;
    }
    this.updateReadFlow();
  }

  /** Reading stops while the application holds too many requests or the peer is not reading ours. */
  private readPaused(): boolean {
    return (
      this.currentState === SessionState.closed ||
      this.writer.blocked ||
      this.inbound.size >= this.options.maxInboundInFlight
    );
  }

  private updateReadFlow(): void {
    if (this.currentState === SessionState.closed) return;
    if (this.readPaused() || this.inbox.length > 0) this.stream.pause();
    else this.stream.resume();
  }

  private dispatch(pdu: Pdu): void {
    if (isResponse(CommandId[pdu.command])) {
      this.onResponse(pdu);
      return;
    }
    // Unbinds may cross (§4.2): each side answers the other's, and the session ends cleanly either way.
    if (pdu.command === 'unbind' && this.currentState === SessionState.unbinding) {
      this.onUnbind(pdu);
      return;
    }
    // §4.1: a bind on a bound session (or while one is being decided) is refused with ESME_RALYBND.
    if (isBindCommand(pdu.command) && this.role === 'smsc' && (isBound(this.currentState) || this.binding)) {
      this.writePdu(buildResponse(pdu, { commandStatus: CommandStatus.ESME_RALYBND }));
      return;
    }
    // §2.3 Table 2-1: a request the peer may not issue in this state gets ESME_RINVBNDSTS; PDUs
    // without a response of their own (outbind, alert_notification) get it in a generic_nack.
    if (!mayIssue(peerRole(this.role), pdu.command, this.currentState, this.options)) {
      this.writePdu(buildResponse(pdu, { commandStatus: CommandStatus.ESME_RINVBNDSTS }));
      return;
    }
    this.handlers[pdu.command]?.(pdu);
  }

  private onDecodeError(error: SmppDecodeError): void {
    this.report(error);
    const sequenceNumber = error.sequenceNumber;
    if (error.fatal) {
      // §3.2/§4.3: a bad command_length leaves the stream unframeable: nack it, then close.
      this.writePdu(
        buildPdu({ command: 'generic_nack', commandStatus: CommandStatus.ESME_RINVCMDLEN, sequenceNumber }),
      );
      this.finish(CloseReason.protocolError, error);
      return;
    }
    if (isResponse(error.commandId)) {
      // A response is never answered; fail the request it belongs to.
      this.window.take(sequenceNumber)?.reject(error);
      return;
    }
    const name = responseCommand(commandName(error.commandId) ?? 'generic_nack') ?? 'generic_nack';
    // §4.3: an unknown command_id gets generic_nack ESME_RINVCMDID; a malformed body of a known
    // request gets that request's response carrying the reason.
    this.writePdu(buildPdu({ command: name, commandStatus: error.commandStatus, sequenceNumber }) as Pdu);
  }

  private onResponse(pdu: Pdu): void {
    const pending = this.window.take(pdu.sequenceNumber);
    if (!pending) {
      this.report(
        new SmppProtocolError(`${pdu.command} #${pdu.sequenceNumber} answers no outstanding request`),
      );
      return;
    }
    if (pdu.command === 'generic_nack') {
      pending.reject(new SmppGenericNackError(pdu.commandStatus, pdu.sequenceNumber));
      return;
    }
    if (pdu.command !== responseCommand(pending.command as CommandName)) {
      pending.reject(
        new SmppProtocolError(`${pending.command} #${pdu.sequenceNumber} answered by ${pdu.command}`),
      );
      return;
    }
    pending.onResponse?.(pdu);
    pending.resolve(pdu);
  }

  // ---- request handlers ----

  private onBind(pdu: BindRequest['pdu']): void {
    this.binding = true;
    let answered = false;
    const answer = (decision: BindDecision): void => {
      if (answered) throw new SmppProtocolError('bind already answered');
      answered = true;
      this.binding = false;
      if (this.currentState !== SessionState.open) return;
      const { commandStatus = CommandStatus.ESME_ROK, systemId = this.options.systemId } =
        typeof decision === 'number' ? { commandStatus: decision } : decision;
      const ok = commandStatus === CommandStatus.ESME_ROK;
      if (ok) this.enterBound(pdu.command, pdu.systemId);
      // §4.1.2: sc_interface_version tells a 3.4 ESME which version we speak.
      const tlvs = pdu.interfaceVersion >= SMPP_3_4 ? { scInterfaceVersion: SMPP_3_4 } : undefined;
      this.writePdu(buildResponse(pdu, { commandStatus, systemId, tlvs }));
      // Only after bind_resp is written, so whatever a 'bound' listener sends follows it on the wire.
      if (ok) this.emitBound(pdu.command);
    };
    const request: BindRequest = {
      pdu,
      accept: (fields = {}) => answer({ ...fields, commandStatus: CommandStatus.ESME_ROK }),
      reject: (commandStatus) => answer(commandStatus || CommandStatus.ESME_RBINDFAIL),
    };
    if (this.listenerCount('bind') === 0) request.reject(CommandStatus.ESME_RBINDFAIL);
    else if (!this.emitSafely('bind', request) && !answered) request.reject(CommandStatus.ESME_RSYSERR);
  }

  private onOutbind(pdu: PduOf<'outbind'>): void {
    this.emitSafely('outbind', pdu);
  }

  private onUnbind(pdu: PduOf<'unbind'>): void {
    this.enterUnbinding('peer');
    const answer = () => {
      if (this.currentState === SessionState.closed) return;
      this.writePdu(buildResponse(pdu));
      this.finish(CloseReason.peerUnbind, undefined, true);
    };
    // Let the application answer what it holds before unbind_resp, then close (§4.2.2).
    if (this.inbound.size === 0) answer();
    else void this.whenInboundIdle(this.options.unbindTimeoutMs).then(answer);
  }

  private onApplicationRequest(pdu: ApplicationRequest): void {
    if (pdu.command === 'alert_notification') {
      this.emitSafely('pdu', pdu);
      return;
    }
    this.inbound.add(pdu.sequenceNumber);
    if (this.listenerCount('pdu') === 0) {
      const status = this.role === 'esme' ? CommandStatus.ESME_RX_T_APPN : CommandStatus.ESME_RSYSERR;
      this.respond(pdu, { commandStatus: status });
      return;
    }
    // A listener that throws must not leave the peer waiting for an answer.
    if (!this.emitSafely('pdu', pdu) && this.inbound.has(pdu.sequenceNumber)) {
      this.respond(pdu, { commandStatus: CommandStatus.ESME_RSYSERR });
    }
  }

  // ---- sending ----

  private assertMayIssue(command: CommandName): void {
    if (this.currentState === SessionState.closed) throw new SmppSessionClosedError(this.closeInfo!.reason);
    if (!mayIssue(this.role, command, this.currentState, this.options))
      throw new SmppInvalidStateError(command, this.currentState);
  }

  /** Sends a request: windowed ones wait for a slot first; resolves with the matching response. */
  private async send(
    pdu: Pdu,
    timeoutMs: number,
    windowed: boolean,
    onResponse?: (r: Pdu) => void,
  ): Promise<Pdu> {
    // Synchronous when a slot is free, so each write sees whether the one before it filled the stream.
    if (windowed && !this.window.tryAcquire()) {
      await this.window.acquire(pdu.command);
      // The state may have moved on while we waited (unbind started, session closed).
      try {
        this.assertMayIssue(pdu.command);
      } catch (error) {
        this.window.release();
        throw error;
      }
    }
    pdu.sequenceNumber = this.sequence.next((n) => this.window.has(n));
    pdu.commandStatus = 0;
    let frame: Buffer;
    try {
      frame = encodePdu(pdu);
    } catch (error) {
      if (windowed) this.window.release();
      throw error;
    }
    const response = this.window.register(pdu.command, pdu.sequenceNumber, timeoutMs, windowed, onResponse);
    this.writeFrame(frame);
    // Only now, so the next waiter sees whether this write filled the stream.
    this.window.pump();
    return response;
  }

  private writePdu(pdu: Pdu): void {
    this.writeFrame(encodePdu(pdu));
  }

  private writeFrame(frame: Buffer): void {
    if (this.currentState !== SessionState.closed) this.writer.write(frame);
  }

  // ---- state changes ----

  private enterBound(command: BindCommand, systemId: string): void {
    this.currentState = BIND_STATE[command];
    this.peerSystemId = systemId;
    this.timers.bound();
  }

  private emitBound(command: BindCommand): void {
    if (!isBound(this.currentState)) return;
    this.emitSafely('bound', { command, state: this.currentState, systemId: this.peerSystemId ?? '' });
  }

  private enterUnbinding(initiator: 'local' | 'peer'): void {
    if (this.currentState === SessionState.unbinding || this.currentState === SessionState.closed) return;
    this.currentState = SessionState.unbinding;
    // Nothing queued was sent yet, so nothing is lost by refusing it now.
    this.window.failQueued(new SmppSessionClosedError('unbinding'));
    this.emitSafely('unbinding', { initiator });
  }

  private unbindAndClose(reason: CloseReason): Promise<CloseInfo> {
    if (this.unbindPromise) return this.unbindPromise;
    if (this.currentState === SessionState.closed || this.currentState === SessionState.unbinding)
      return this.closed;
    if (!isBound(this.currentState)) {
      this.finish(reason === CloseReason.unbind ? CloseReason.local : reason);
      return this.closed;
    }
    this.enterUnbinding('local');
    this.unbindPromise = (async () => {
      const limit = this.options.unbindTimeoutMs;
      await Promise.all([withTimeout(this.window.whenIdle(), limit), this.whenInboundIdle(limit)]);
      if (this.currentState === SessionState.closed) return this.closed;
      try {
        // Closed synchronously on unbind_resp, before the peer's end of stream can be seen as a drop.
        await this.send(buildPdu({ command: 'unbind' }), limit, false, (resp) => {
          this.finish(reason, undefined, resp.commandStatus === CommandStatus.ESME_ROK);
        });
      } catch (error) {
        if (!(error instanceof SmppSessionClosedError)) this.report(error as Error);
      }
      this.finish(reason);
      return this.closed;
    })();
    return this.unbindPromise;
  }

  private whenInboundIdle(timeoutMs: number): Promise<void> {
    if (this.inbound.size === 0) return Promise.resolve();
    return withTimeout(
      new Promise<void>((resolve) => {
        this.inboundIdle.add(resolve);
      }),
      timeoutMs,
    );
  }

  private inboundAnswered(sequenceNumber: number): void {
    this.inbound.delete(sequenceNumber);
    if (this.inbound.size === 0) this.releaseInboundIdle();
    if (!this.handlingInbox) this.handleInbox();
  }

  private releaseInboundIdle(): void {
    for (const resolve of this.inboundIdle) resolve();
    this.inboundIdle.clear();
  }

  // ---- keepalive (§7.2) ----

  /** The peer has been silent for a keepalive interval: ask it whether it is still there. */
  private onEnquireDue(): void {
    if (!isBound(this.currentState) || this.enquireOutstanding) return;
    this.enquireOutstanding = true;
    this.send(buildPdu({ command: 'enquire_link' }), this.options.responseTimeoutMs, false).then(
      () => {
        this.enquireOutstanding = false;
      },
      (error: Error) => {
        this.enquireOutstanding = false;
        // Only silence means the link is gone; a peer that nacks enquire_link is still there.
        if (error instanceof SmppTimeoutError) this.finish(CloseReason.enquireLinkTimeout, error);
        else if (!(error instanceof SmppSessionClosedError)) this.report(error);
      },
    );
  }

  // ---- closing ----

  /** Ends the session once: state closed, timers off, pending work rejected, stream ended. */
  private finish(reason: CloseReason, error?: Error, clean = false): void {
    if (this.closeInfo) return;
    this.closeInfo = error ? { reason, clean, error } : { reason, clean };
    this.currentState = SessionState.closed;
    this.timers.stop();
    this.writer.stop();
    this.inbox.length = 0;
    this.inbound.clear();
    this.releaseInboundIdle();
    this.window.failAll(new SmppSessionClosedError(reason, error ? { cause: error } : undefined));
    if (error) this.report(error);
    const stream = this.stream;
    if (stream.destroyed || reason === CloseReason.drainTimeout || reason === CloseReason.streamError) {
      stream.destroy();
    } else {
      // end() still flushes what we wrote last (unbind_resp, a final generic_nack).
      stream.end();
      stream.resume();
      this.graceTimer = setTimeout(() => stream.destroy(), this.options.closeGraceMs);
      this.graceTimer.unref();
    }
    if (stream.closed) queueMicrotask(() => this.emitClose());
  }

  private emitClose(): void {
    if (this.closeEmitted || !this.closeInfo) return;
    this.closeEmitted = true;
    clearTimeout(this.graceTimer);
    this.emitSafely('close', this.closeInfo);
    this.resolveClosed(this.closeInfo);
  }

  /** Emits 'error' only when someone listens: a background protocol problem must not crash the process. */
  private report(error: Error): void {
    if (this.listenerCount('error') === 0) return;
    try {
      this.emit('error', error);
    } catch {
      // An 'error' listener that throws has nowhere left to report to.
    }
  }

  /**
   * Emits an application event; a listener that throws is reported as 'error' instead of unwinding
   * into the stream's 'data' handler. Returns false when a listener threw.
   */
  private emitSafely<K extends Exclude<keyof SmppSessionEvents, 'error'>>(
    event: K,
    ...args: SmppSessionEvents[K]
  ): boolean {
    try {
      (this.emit as (event: K, ...args: SmppSessionEvents[K]) => boolean)(event, ...args);
      return true;
    } catch (error) {
      this.report(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
  }
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
