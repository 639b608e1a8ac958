/** The typed events and the public value types of a session. */
import type { RequestName, ResponseNameOf } from '../command-ids.ts';
import type { Pdu, PduOf } from '../types.ts';
import type { BindCommand, SessionState } from './state.ts';

/** Why a session closed. */
export const CloseReason = {
  /** We unbound (unbind() or our inactivity timer) and closed. */
  unbind: 'unbind',
  /** The peer unbound; we answered unbind_resp and closed. */
  peerUnbind: 'peer_unbind',
  /** The peer closed the connection without unbinding. */
  peerClosed: 'peer_closed',
  /** close() was called. */
  local: 'local',
  /** §7.2 session_init_timer: the peer did not bind in time. */
  sessionInitTimeout: 'session_init_timeout',
  /** §7.2 inactivity_timer: nothing heard from the peer for too long. */
  inactivity: 'inactivity',
  /** The peer did not answer our keepalive enquire_link. */
  enquireLinkTimeout: 'enquire_link_timeout',
  /** The peer sent a byte stream that cannot be framed (bad command_length, §4.3). */
  protocolError: 'protocol_error',
  /** The underlying stream failed (ECONNRESET, TLS error...). */
  streamError: 'stream_error',
  /** The peer stopped reading our output for longer than the drain timeout. */
  drainTimeout: 'drain_timeout',
} as const;
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason];

export interface CloseInfo {
  reason: CloseReason;
  /** True when the session ended with a completed unbind / unbind_resp exchange (§4.2). */
  clean: boolean;
  error?: Error;
}

/** Requests the peer sends that the application answers (or, for alert_notification, only reads). */
export type ApplicationCommand =
  | 'submit_sm'
  | 'submit_multi'
  | 'deliver_sm'
  | 'data_sm'
  | 'query_sm'
  | 'cancel_sm'
  | 'replace_sm'
  | 'alert_notification';
export type ApplicationRequest = Extract<Pdu, { command: ApplicationCommand }>;

/** The fields an answer may set: status, response fields, TLVs. Omitted fields take empty values. */
export type ResponseFields<R extends RequestName> = Partial<
  Omit<PduOf<ResponseNameOf<R>>, 'command' | 'sequenceNumber'>
>;

/** What the SMSC side decides about a bind: a command_status, or that status with response fields. */
export type BindDecision = number | { commandStatus?: number; systemId?: string };

/** A bind to authenticate (SMSC side). Call `accept()` or `reject(status)` once, now or later. */
export interface BindRequest {
  readonly pdu: Extract<Pdu, { command: BindCommand }>;
  accept(fields?: { systemId?: string }): void;
  reject(commandStatus: number): void;
}

export interface BoundInfo {
  command: BindCommand;
  state: SessionState;
  /** The ESME's system_id (SMSC side) or the SMSC's (ESME side). */
  systemId: string;
}

export interface SmppSessionEvents {
  /** SMSC side: a bind to authenticate. Without a listener every bind gets ESME_RBINDFAIL. */
  bind: [request: BindRequest];
  bound: [info: BoundInfo];
  /**
   * A request from the peer for the application; answer it with `session.respond(pdu, fields)`.
   * Without a listener requests get ESME_RX_T_APPN (ESME side) or ESME_RSYSERR (SMSC side).
   */
  pdu: [pdu: ApplicationRequest];
  /** ESME side: the SMSC asks us to bind as a receiver (§4.1.7). */
  outbind: [pdu: PduOf<'outbind'>];
  /** An unbind started, from our side or the peer's; no new requests are accepted from here on. */
  unbinding: [info: { initiator: 'local' | 'peer' }];
  /** Emitted once, after the stream has closed. */
  close: [info: CloseInfo];
  /** A problem the session survived (a stray response, an undecodable PDU), or the error it closed on. */
  error: [error: Error];
}
