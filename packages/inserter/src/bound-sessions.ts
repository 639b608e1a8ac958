/** The SessionRegistry of this process: bound sessions by account, and bind slots being decided. */
import { EventEmitter } from 'node:events';
import type { SmppSession } from '@smsc/smpp';
import type { SessionRegistry, SessionRegistryEvents } from './session-registry.ts';

function isReceiving(session: SmppSession): boolean {
  return session.state === 'bound_rx' || session.state === 'bound_trx';
}

export class BoundSessions extends EventEmitter<SessionRegistryEvents> implements SessionRegistry {
  /** Every bound session per account, in bind order. */
  private readonly bound = new Map<string, SmppSession[]>();
  /** Binds authenticated but not answered yet, so concurrent binds cannot overshoot maxBinds. */
  private readonly reserved = new Map<string, number>();

  /** Holds a bind slot of `accountId` when fewer than `maxBinds` (0: no limit) are used or held. */
  reserve(accountId: string, maxBinds: number): boolean {
    const used = (this.bound.get(accountId)?.length ?? 0) + (this.reserved.get(accountId) ?? 0);
    if (maxBinds > 0 && used >= maxBinds) return false;
    this.reserved.set(accountId, (this.reserved.get(accountId) ?? 0) + 1);
    return true;
  }

  unreserve(accountId: string): void {
    const n = (this.reserved.get(accountId) ?? 0) - 1;
    if (n > 0) this.reserved.set(accountId, n);
    else this.reserved.delete(accountId);
  }

  /** Turns a reserved slot into a bound session (call after the bind_resp was written). */
  add(accountId: string, session: SmppSession): void {
    this.unreserve(accountId);
    const list = this.bound.get(accountId) ?? [];
    list.push(session);
    this.bound.set(accountId, list);
    let removed = false;
    const remove = () => {
      if (removed) return;
      removed = true;
      const current = this.bound.get(accountId) ?? [];
      const rest = current.filter((s) => s !== session);
      if (rest.length > 0) this.bound.set(accountId, rest);
      else this.bound.delete(accountId);
      if (receiving)
        this.emit('receiverClosed', { accountId, session, count: this.receivers(accountId).length });
    };
    const receiving = isReceiving(session);
    session.once('unbinding', remove);
    void session.closed.then(remove);
    if (receiving)
      this.emit('receiverOpened', { accountId, session, count: this.receivers(accountId).length });
  }

  /** Bound sessions of an account on this process (any bind type). */
  bindCount(accountId: string): number {
    return this.bound.get(accountId)?.length ?? 0;
  }

  all(): SmppSession[] {
    return [...this.bound.values()].flat();
  }

  receivers(accountId: string): SmppSession[] {
    return (this.bound.get(accountId) ?? []).filter(isReceiving);
  }

  receivingAccounts(): string[] {
    return [...this.bound.entries()].filter(([, list]) => list.some(isReceiving)).map(([id]) => id);
  }
}
