/**
 * The window of outstanding requests (SMPP 3.4 §2.9 recommends at most 10) and the bounded queue of
 * callers waiting for a slot. Each outstanding request has its own response timer (§7.2), so a lost
 * response frees its slot instead of leaking it.
 */
import type { Pdu } from '../types.ts';
import { SmppQueueTimeoutError, SmppTimeoutError, SmppWindowFullError } from './errors.ts';

export interface PendingRequest {
  readonly command: string;
  readonly sequenceNumber: number;
  /** Counts against the window; keepalives and unbind do not, so they are never stuck behind traffic. */
  readonly windowed: boolean;
  /** Runs synchronously when the response arrives, before later PDUs are handled (e.g. becoming bound). */
  readonly onResponse: ((pdu: Pdu) => void) | undefined;
  resolve(pdu: Pdu): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface Waiter {
  command: string;
  grant(): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
}

export interface RequestWindowOptions {
  windowSize: number;
  maxQueued: number;
  /** 0: wait without a time limit. */
  queueTimeoutMs: number;
  /** Besides a free slot, whether requests may start now (false while our writes wait for 'drain'). */
  canStart: () => boolean;
}

export class RequestWindow {
  private readonly pending = new Map<number, PendingRequest>();
  private readonly queue: Waiter[] = [];
  /** Slots granted to callers that have not registered their request yet. */
  private reserved = 0;
  private windowedCount = 0;
  private readonly options: RequestWindowOptions;
  private readonly idleWaiters = new Set<() => void>();

  constructor(options: RequestWindowOptions) {
    this.options = options;
  }

  /** Requests sent and not yet answered that count against the window. */
  get outstanding(): number {
    return this.windowedCount;
  }

  get queued(): number {
    return this.queue.length;
  }

  has(sequenceNumber: number): boolean {
    return this.pending.has(sequenceNumber);
  }

  /**
   * Takes a slot at once when one is free and nobody is queued; the caller must then `register` or
   * `release` it synchronously-ish (before yielding to other callers).
   */
  tryAcquire(): boolean {
    if (this.queue.length > 0 || !this.hasRoom()) return false;
    this.reserved++;
    return true;
  }

  /**
   * Waits for a slot (then the caller must `register` or `release` it); rejects with
   * SmppWindowFullError when the queue is full, SmppQueueTimeoutError when the wait is too long.
   */
  acquire(command: string): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    const { maxQueued, queueTimeoutMs, windowSize } = this.options;
    if (this.queue.length >= maxQueued) return Promise.reject(new SmppWindowFullError(windowSize, maxQueued));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { command, grant: resolve, reject, timer: undefined };
      if (queueTimeoutMs > 0) {
        waiter.timer = setTimeout(() => {
          this.removeWaiter(waiter);
          reject(new SmppQueueTimeoutError(command, queueTimeoutMs));
        }, queueTimeoutMs);
        waiter.timer.unref();
      }
      this.queue.push(waiter);
    });
  }

  /** Gives back a slot obtained from `acquire` that was not used (the request failed to encode). */
  release(): void {
    this.reserved--;
    this.pump();
  }

  /**
   * Registers a request about to be written (call `pump` once it is written); its promise settles with the response, a response timeout
   * (SmppTimeoutError) or `failAll`. A windowed request turns its reserved slot into an outstanding one.
   */
  register(
    command: string,
    sequenceNumber: number,
    timeoutMs: number,
    windowed: boolean,
    onResponse?: (pdu: Pdu) => void,
  ): Promise<Pdu> {
    if (windowed) {
      this.reserved--;
      this.windowedCount++;
    }
    return new Promise<Pdu>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.remove(sequenceNumber)) reject(new SmppTimeoutError(command, sequenceNumber, timeoutMs));
      }, timeoutMs);
      timer.unref();
      this.pending.set(sequenceNumber, {
        command,
        sequenceNumber,
        windowed,
        onResponse,
        resolve,
        reject,
        timer,
      });
    });
  }

  /** Takes the request a response answers out of the window; undefined when nothing waits for it. */
  take(sequenceNumber: number): PendingRequest | undefined {
    const entry = this.pending.get(sequenceNumber);
    if (entry) this.remove(sequenceNumber);
    return entry;
  }

  /**
   * Lets the next waiting caller in when there is room; call when `canStart` may have become true.
   * One grant at a time: the next comes when that caller registers, so a caller that finds the
   * stream blocked by the previous write waits instead of piling onto it.
   */
  pump(): void {
    while (this.queue.length > 0 && this.reserved === 0 && this.hasRoom()) {
      const waiter = this.queue.shift()!;
      if (waiter.timer) clearTimeout(waiter.timer);
      this.reserved++;
      waiter.grant();
    }
  }

  /** Rejects every queued caller (they never sent anything), e.g. when an unbind starts. */
  failQueued(error: Error): void {
    for (const waiter of this.queue.splice(0)) {
      if (waiter.timer) clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }

  /** Rejects queued and outstanding requests alike; the session is closing. */
  failAll(error: Error): void {
    this.failQueued(error);
    for (const seq of [...this.pending.keys()]) this.take(seq)?.reject(error);
  }

  /** Resolves once no request is outstanding (windowed or not), e.g. before an unbind. */
  whenIdle(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.add(resolve));
  }

  private hasRoom(): boolean {
    return this.windowedCount + this.reserved < this.options.windowSize && this.options.canStart();
  }

  private remove(sequenceNumber: number): boolean {
    const entry = this.pending.get(sequenceNumber);
    if (!entry) return false;
    clearTimeout(entry.timer);
    this.pending.delete(sequenceNumber);
    if (entry.windowed) this.windowedCount--;
    if (this.pending.size === 0) {
      for (const resolve of this.idleWaiters) resolve();
      this.idleWaiters.clear();
    }
    this.pump();
    return true;
  }

  private removeWaiter(waiter: Waiter): void {
    const i = this.queue.indexOf(waiter);
    if (i >= 0) this.queue.splice(i, 1);
  }
}
