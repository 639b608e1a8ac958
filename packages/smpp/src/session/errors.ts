/**
 * Errors of the SMPP session layer. Each has a stable `code`; a peer's command_status travels as a
 * property (`commandStatus`) and is never turned into a code of its own.
 */
import { SmppError } from '../errors.ts';

/** The peer did not answer a request within its response timer (SMPP 3.4 §7.2, response_timer). */
export class SmppTimeoutError extends SmppError {
  override readonly code = 'SMPP_RESPONSE_TIMEOUT';
  override name = 'SmppTimeoutError';
  readonly command: string;
  readonly sequenceNumber: number;
  readonly timeoutMs: number;

  constructor(command: string, sequenceNumber: number, timeoutMs: number) {
    super(`no response to ${command} #${sequenceNumber} within ${timeoutMs} ms`);
    this.command = command;
    this.sequenceNumber = sequenceNumber;
    this.timeoutMs = timeoutMs;
  }
}

/** The session closed (or was closing) before the request could be sent or answered. */
export class SmppSessionClosedError extends SmppError {
  override readonly code = 'SMPP_SESSION_CLOSED';
  override name = 'SmppSessionClosedError';
  /** Why the session closed, one of CloseReason. */
  readonly reason: string;

  constructor(reason: string, options?: ErrorOptions) {
    super(`SMPP session closed (${reason})`, options);
    this.reason = reason;
  }
}

/** The window is full and the wait queue too: the caller must slow down (backpressure). */
export class SmppWindowFullError extends SmppError {
  override readonly code = 'SMPP_WINDOW_FULL';
  override name = 'SmppWindowFullError';
  readonly windowSize: number;
  readonly maxQueued: number;

  constructor(windowSize: number, maxQueued: number) {
    super(`SMPP window full (${windowSize} outstanding, ${maxQueued} queued)`);
    this.windowSize = windowSize;
    this.maxQueued = maxQueued;
  }
}

/** A request waited in the queue for a window slot longer than its queue timeout. */
export class SmppQueueTimeoutError extends SmppError {
  override readonly code = 'SMPP_QUEUE_TIMEOUT';
  override name = 'SmppQueueTimeoutError';
  readonly command: string;
  readonly timeoutMs: number;

  constructor(command: string, timeoutMs: number) {
    super(`${command} waited ${timeoutMs} ms for a window slot`);
    this.command = command;
    this.timeoutMs = timeoutMs;
  }
}

/** The peer refused our bind; `commandStatus` is its bind_*_resp status (e.g. ESME_RINVPASWD). */
export class SmppBindError extends SmppError {
  override readonly code = 'SMPP_BIND_FAILED';
  override name = 'SmppBindError';
  readonly commandStatus: number;

  constructor(message: string, commandStatus: number) {
    super(message);
    this.commandStatus = commandStatus;
  }
}

/**
 * This side tried to send a PDU that its role may not issue in the current state (SMPP 3.4 §2.3,
 * §4): e.g. submit_sm on a receiver bind, or anything but bind before binding.
 */
export class SmppInvalidStateError extends SmppError {
  override readonly code = 'SMPP_INVALID_STATE';
  override name = 'SmppInvalidStateError';
  readonly command: string;
  readonly state: string;

  constructor(command: string, state: string) {
    super(`${command} may not be sent in state ${state}`);
    this.command = command;
    this.state = state;
  }
}

/** The peer answered a request with generic_nack (SMPP 3.4 §4.3); `commandStatus` says why. */
export class SmppGenericNackError extends SmppError {
  override readonly code = 'SMPP_GENERIC_NACK';
  override name = 'SmppGenericNackError';
  readonly commandStatus: number;
  readonly sequenceNumber: number;

  constructor(commandStatus: number, sequenceNumber: number) {
    super(`generic_nack 0x${commandStatus.toString(16).padStart(8, '0')} for #${sequenceNumber}`);
    this.commandStatus = commandStatus;
    this.sequenceNumber = sequenceNumber;
  }
}

/** The peer broke the protocol in a way the session reports but survives (e.g. a response nobody asked for). */
export class SmppProtocolError extends SmppError {
  override readonly code = 'SMPP_PROTOCOL';
  override name = 'SmppProtocolError';
}

/** The peer stopped reading: a write did not drain within the drain timeout, the session closes. */
export class SmppDrainTimeoutError extends SmppError {
  override readonly code = 'SMPP_DRAIN_TIMEOUT';
  override name = 'SmppDrainTimeoutError';
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`the peer did not read our output within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** Every error class of the session layer, for the uniqueness test and for documentation. */
export const sessionErrorClasses = [
  SmppTimeoutError,
  SmppSessionClosedError,
  SmppWindowFullError,
  SmppQueueTimeoutError,
  SmppBindError,
  SmppInvalidStateError,
  SmppGenericNackError,
  SmppProtocolError,
  SmppDrainTimeoutError,
] as const;
