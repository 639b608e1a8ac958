/** Session configuration: every option documented with its default, validated once, then frozen. */
import type { SessionRole } from './state.ts';

export interface SessionOptions {
  /** Which end we are: 'esme' (client, binds) or 'smsc' (server, accepts binds). Required. */
  role: SessionRole;
  /** An id for logs and metrics. Default: a short random id. */
  id?: string;
  /** Our system_id in bind_*_resp when we are the SMSC (§4.1.2). Default 'smsc'. */
  systemId?: string;
  /** Requests we may have outstanding at once (the spec recommends at most 10, §2.9). Default 10. */
  windowSize?: number;
  /** Requests waiting for a window slot before `request()` rejects with SmppWindowFullError. Default 100. */
  maxQueued?: number;
  /** How long a request may wait for a window slot (SmppQueueTimeoutError). Default 60 000 ms. */
  queueTimeoutMs?: number;
  /** §7.2 response_timer: time to wait for each response (SmppTimeoutError). Default 60 000 ms. */
  responseTimeoutMs?: number;
  /** §7.2 enquire_link_timer: send enquire_link after this much silence from the peer; 0 disables. Default 30 000 ms. */
  enquireLinkIntervalMs?: number;
  /** §7.2 inactivity_timer: close after this long without any PDU from the peer; 0 disables. Default 300 000 ms. */
  inactivityTimeoutMs?: number;
  /** §7.2 session_init_timer (SMSC only): close a connection that has not bound by then; 0 disables. Default 60 000 ms. */
  sessionInitTimeoutMs?: number;
  /** How long an unbind waits for in-flight work and then for unbind_resp before closing anyway. Default 10 000 ms. */
  unbindTimeoutMs?: number;
  /** How long a blocked write may wait for 'drain' before the session closes (SmppDrainTimeoutError). Default 30 000 ms. */
  drainTimeoutMs?: number;
  /**
   * Requests from the peer handed to the application and not yet answered; at this many the session
   * stops reading the stream until one is answered, so a fast peer cannot make us buffer without bound.
   * Default 64.
   */
  maxInboundInFlight?: number;
  /** Largest command_length accepted from the peer; anything longer is a fatal framing error. Default 65 536. */
  maxCommandLength?: number;
  /** After `end()`, how long to wait for the peer to close its side before destroying the stream. Default 2 000 ms. */
  closeGraceMs?: number;
  /** First request sequence number (1..0x7FFFFFFF), for resuming a numbering or testing the wrap. Default 1. */
  initialSequenceNumber?: number;
  /**
   * Lets an ESME bound as transmitter or transceiver issue deliver_sm, for gateways that inject
   * mobile-originated traffic (SMPP 3.4 has deliver_sm from the SMSC only). Set it on both ends; the
   * SMSC still decides per account whether to accept the message. Default false.
   */
  esmeMayDeliver?: boolean;
}

export type ResolvedSessionOptions = Readonly<Required<SessionOptions>>;

const DEFAULTS = {
  systemId: 'smsc',
  windowSize: 10,
  maxQueued: 100,
  queueTimeoutMs: 60_000,
  responseTimeoutMs: 60_000,
  enquireLinkIntervalMs: 30_000,
  inactivityTimeoutMs: 300_000,
  sessionInitTimeoutMs: 60_000,
  unbindTimeoutMs: 10_000,
  drainTimeoutMs: 30_000,
  maxInboundInFlight: 64,
  maxCommandLength: 65_536,
  closeGraceMs: 2_000,
  initialSequenceNumber: 1,
  esmeMayDeliver: false,
} as const;

const POSITIVE = [
  'windowSize',
  'responseTimeoutMs',
  'unbindTimeoutMs',
  'drainTimeoutMs',
  'maxInboundInFlight',
] as const;
const NON_NEGATIVE = [
  'maxQueued',
  'queueTimeoutMs',
  'enquireLinkIntervalMs',
  'inactivityTimeoutMs',
  'sessionInitTimeoutMs',
  'closeGraceMs',
] as const;

let nextId = 1;

export function resolveSessionOptions(options: SessionOptions): ResolvedSessionOptions {
  if (options.role !== 'esme' && options.role !== 'smsc') {
    throw new TypeError(`role must be 'esme' or 'smsc', got ${String(options.role)}`);
  }
  const resolved: Required<SessionOptions> = {
    ...DEFAULTS,
    ...stripUndefined(options),
    role: options.role,
    id: options.id ?? `s${(nextId++).toString(36)}${Math.random().toString(36).slice(2, 6)}`,
  };
  for (const key of POSITIVE) {
    if (!(Number.isFinite(resolved[key]) && resolved[key] > 0)) throw new RangeError(`${key} must be > 0`);
  }
  for (const key of NON_NEGATIVE) {
    if (!(Number.isFinite(resolved[key]) && resolved[key] >= 0)) throw new RangeError(`${key} must be >= 0`);
  }
  if (!(resolved.maxCommandLength >= 16)) throw new RangeError('maxCommandLength must be >= 16');
  return Object.freeze(resolved);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
