/**
 * Session states and the table of which side may issue which request in which state
 * (SMPP 3.4 §2.3 Table 2-1, §2.4, and the "required session state" of each command in §4).
 */
import type { CommandName } from '../command-ids.ts';

/** SMPP 3.4 §2.2: a session is open, bound in one of three ways, unbinding, or closed. */
export const SessionState = {
  open: 'open',
  bound_tx: 'bound_tx',
  bound_rx: 'bound_rx',
  bound_trx: 'bound_trx',
  unbinding: 'unbinding',
  closed: 'closed',
} as const;
export type SessionState = (typeof SessionState)[keyof typeof SessionState];

/** Which end of the session we are: the ESME binds, the SMSC accepts binds. */
export const SessionRole = { esme: 'esme', smsc: 'smsc' } as const;
export type SessionRole = (typeof SessionRole)[keyof typeof SessionRole];

/** The three bind requests and the bound state each one leads to (§4.1). */
export const BIND_STATE = {
  bind_transmitter: SessionState.bound_tx,
  bind_receiver: SessionState.bound_rx,
  bind_transceiver: SessionState.bound_trx,
} as const;
export type BindCommand = keyof typeof BIND_STATE;

export function isBindCommand(name: string): name is BindCommand {
  return name in BIND_STATE;
}

export function isBound(state: SessionState): boolean {
  return (
    state === SessionState.bound_tx || state === SessionState.bound_rx || state === SessionState.bound_trx
  );
}

type States = readonly SessionState[];
const NONE: States = [];
const OPEN: States = [SessionState.open];
const BOUND: States = [SessionState.bound_tx, SessionState.bound_rx, SessionState.bound_trx];
// A transmitter bind carries ESME -> SMSC messages, a receiver SMSC -> ESME, a transceiver both (§2.2).
const TX: States = [SessionState.bound_tx, SessionState.bound_trx];
const RX: States = [SessionState.bound_rx, SessionState.bound_trx];
// enquire_link is allowed before bind too (as SMPP 5.0 §2.4 makes explicit) and while unbinding, so a
// keepalive never fails just because a bind or an unbind is in progress.
const LIVE: States = [SessionState.open, ...BOUND, SessionState.unbinding];

/** States in which each role may issue each request; responses follow their request and are not listed. */
const ISSUE_RULES: Partial<Record<CommandName, Readonly<Record<SessionRole, States>>>> = {
  bind_transmitter: { esme: OPEN, smsc: NONE },
  bind_receiver: { esme: OPEN, smsc: NONE },
  bind_transceiver: { esme: OPEN, smsc: NONE },
  outbind: { esme: NONE, smsc: OPEN },
  // The side answering an unbind is already in `unbinding`; the side that starts one is bound (§4.2).
  unbind: { esme: BOUND, smsc: BOUND },
  submit_sm: { esme: TX, smsc: NONE },
  submit_multi: { esme: TX, smsc: NONE },
  query_sm: { esme: TX, smsc: NONE },
  cancel_sm: { esme: TX, smsc: NONE },
  replace_sm: { esme: TX, smsc: NONE },
  deliver_sm: { esme: NONE, smsc: RX },
  alert_notification: { esme: NONE, smsc: RX },
  // data_sm goes both ways (§4.7): ESME -> SMSC on a transmitter, SMSC -> ESME on a receiver.
  data_sm: { esme: TX, smsc: RX },
  enquire_link: { esme: LIVE, smsc: LIVE },
  generic_nack: { esme: LIVE, smsc: LIVE },
};

/** Departures from the table that a deployment opts into; both ends of a session must agree. */
export type IssueExtensions = {
  /**
   * An ESME bound as transmitter or transceiver may issue deliver_sm: gateways inject
   * mobile-originated traffic this way, though SMPP 3.4 §4.6 has deliver_sm flow from the SMSC only.
   */
  esmeMayDeliver?: boolean;
};

/** True when `role` may issue the request `command` while the session is in `state`. */
export function mayIssue(
  role: SessionRole,
  command: CommandName,
  state: SessionState,
  extensions: IssueExtensions = {},
): boolean {
  if (extensions.esmeMayDeliver && command === 'deliver_sm' && role === SessionRole.esme) {
    return TX.includes(state);
  }
  const rule = ISSUE_RULES[command];
  return rule?.[role].includes(state) ?? false;
}

export function peerRole(role: SessionRole): SessionRole {
  return role === SessionRole.esme ? SessionRole.smsc : SessionRole.esme;
}
