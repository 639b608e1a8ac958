/**
 * Errors raised by the text helpers (encodings, long messages, SMPP times). Wire-level SMPP
 * `command_status` values stay with the caller: an `SmppTimeError` becomes ESME_RINVSCHED or
 * ESME_RINVEXPIRY depending on which field it came from.
 */

import { SmppError } from '../errors.ts';

/** Stable codes of the text helpers' errors; a test checks that they are unique. */
export const TextErrorCode = {
  time: 'SMPP_TIME',
  encoding: 'SMPP_TEXT_ENCODING',
  udh: 'SMPP_UDH',
  split: 'SMPP_SPLIT',
} as const;

/** A `schedule_delivery_time` / `validity_period` string that does not follow SMPP 3.4 §7.1.1. */
export class SmppTimeError extends SmppError {
  override readonly name = 'SmppTimeError';
  override readonly code = TextErrorCode.time;
  /** The offending part of the time string, e.g. `'month'`, `'offset'`, `'length'`. */
  readonly field: string;
  /** The string that was rejected. */
  readonly value: string;

  constructor(message: string, field: string, value: string, options?: { cause?: unknown }) {
    super(message, options);
    this.field = field;
    this.value = value;
  }
}

/** Text that the chosen encoding cannot carry, or bytes that are not valid for it. */
export class SmppEncodingError extends SmppError {
  override readonly name = 'SmppEncodingError';
  override readonly code = TextErrorCode.encoding;
  /** UTF-16 index (for text) or byte offset (for bytes) of the first offending unit, when known. */
  readonly index: number;

  constructor(message: string, index: number, options?: { cause?: unknown }) {
    super(message, options);
    this.index = index;
  }
}

/** A user data header whose lengths do not add up (3GPP TS 23.040 §9.2.3.24). */
export class SmppUdhError extends SmppError {
  override readonly name = 'SmppUdhError';
  override readonly code = TextErrorCode.udh;
}

/** A long message that cannot be split as asked (too many segments, bad reference, wrong method). */
export class SmppSplitError extends SmppError {
  override readonly name = 'SmppSplitError';
  override readonly code = TextErrorCode.split;
}
