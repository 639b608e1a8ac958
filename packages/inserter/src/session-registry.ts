/**
 * The inserter's view of its bound sessions, for whoever delivers through them (the ESME outlet).
 * An account is identified by its `systemId`; a "receiving" bind is a receiver or a transceiver
 * (SMPP 3.4 §2.2: only those may be sent deliver_sm / data_sm by the SMSC).
 */
import type { SmppSession } from '@smsc/smpp';

/** A receiving bind of an account opened or closed on this process. */
export interface ReceiverChange {
  accountId: string;
  session: SmppSession;
  /** Receiving sessions of that account on this process after the change. */
  count: number;
}

export interface SessionRegistryEvents {
  /** A receiver or transceiver bind of `accountId` completed (after bind_*_resp was written). */
  receiverOpened: [change: ReceiverChange];
  /**
   * A receiving session of `accountId` is no longer usable: it started unbinding or it closed.
   * Emitted once per session; `count` 0 means the account has no receiving bind here any more.
   */
  receiverClosed: [change: ReceiverChange];
}

export type SessionRegistryEvent = keyof SessionRegistryEvents;

export interface SessionRegistry {
  /**
   * The account's usable receiving sessions on this process (bound_rx or bound_trx, not unbinding),
   * oldest bind first. An empty array when none. A fresh array each call.
   */
  receivers(accountId: string): SmppSession[];
  /** Accounts with at least one usable receiving session on this process. */
  receivingAccounts(): string[];
  on<E extends SessionRegistryEvent>(
    event: E,
    listener: (...args: SessionRegistryEvents[E]) => void,
  ): unknown;
  off<E extends SessionRegistryEvent>(
    event: E,
    listener: (...args: SessionRegistryEvents[E]) => void,
  ): unknown;
}
