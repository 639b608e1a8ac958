/**
 * The SMPP 3.4 §7.2 timers of one session: session_init (SMSC: the peer must bind in time),
 * enquire_link (ping after a quiet interval) and inactivity (give up after a long silence).
 * Each is one Node timer re-armed with `refresh()`, so activity costs no allocation.
 */
export interface SessionTimerSettings {
  /** 0 disables. */
  sessionInitTimeoutMs: number;
  enquireLinkIntervalMs: number;
  inactivityTimeoutMs: number;
}

export interface SessionTimerHandlers {
  onSessionInitTimeout(): void;
  onEnquireDue(): void;
  onInactivity(): void;
}

export class SessionTimers {
  private sessionInit: NodeJS.Timeout | undefined;
  private enquire: NodeJS.Timeout | undefined;
  private inactivity: NodeJS.Timeout | undefined;

  constructor(settings: SessionTimerSettings, handlers: SessionTimerHandlers) {
    const { sessionInitTimeoutMs, enquireLinkIntervalMs, inactivityTimeoutMs } = settings;
    if (sessionInitTimeoutMs > 0)
      this.sessionInit = unrefTimer(handlers.onSessionInitTimeout, sessionInitTimeoutMs);
    if (enquireLinkIntervalMs > 0) {
      this.enquire = unrefTimer(() => {
        // Re-arm first: the next ping is due one interval after this one unless the peer speaks.
        this.enquire?.refresh();
        handlers.onEnquireDue();
      }, enquireLinkIntervalMs);
    }
    if (inactivityTimeoutMs > 0) this.inactivity = unrefTimer(handlers.onInactivity, inactivityTimeoutMs);
  }

  /** The peer sent something: it is alive, so postpone the ping and the inactivity deadline. */
  activity(): void {
    this.enquire?.refresh();
    this.inactivity?.refresh();
  }

  /** The session is bound: the session-init deadline no longer applies. */
  bound(): void {
    clearTimeout(this.sessionInit);
    this.sessionInit = undefined;
  }

  stop(): void {
    for (const timer of [this.sessionInit, this.enquire, this.inactivity]) clearTimeout(timer);
    this.sessionInit = this.enquire = this.inactivity = undefined;
  }
}

function unrefTimer(callback: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(callback, ms);
  timer.unref();
  return timer;
}
