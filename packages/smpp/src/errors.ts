/**
 * Errors of @smsc/smpp. Each class has a stable `code`; wire-level command_status values stay
 * separate (see command-status.ts) and travel as a property where the peer must be told.
 */

export class SmppError extends Error {
  readonly code: string = 'SMPP_ERROR';
  override name = 'SmppError';
}

/** A PDU could not be decoded. `commandStatus` is what the peer should receive (generic_nack or resp). */
export class SmppDecodeError extends SmppError {
  override readonly code = 'SMPP_DECODE';
  override name = 'SmppDecodeError';
  readonly commandStatus: number;
  /** The command_id read from the header, or 0 when the header could not be read. */
  readonly commandId: number;
  /** The sequence_number read from the header, or 0 when the header could not be read. */
  readonly sequenceNumber: number;
  /** True when command_length is wrong: the byte stream can no longer be trusted, close the session. */
  readonly fatal: boolean;

  constructor(
    message: string,
    commandStatus: number,
    commandId: number,
    sequenceNumber: number,
    fatal: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.commandStatus = commandStatus;
    this.commandId = commandId;
    this.sequenceNumber = sequenceNumber;
    this.fatal = fatal;
  }
}

/** A PDU could not be encoded; `field` names the offending field (camelCase) when there is one. */
export class SmppEncodeError extends SmppError {
  override readonly code = 'SMPP_ENCODE';
  override name = 'SmppEncodeError';
  readonly field: string | undefined;

  constructor(message: string, field?: string, options?: ErrorOptions) {
    super(message, options);
    this.field = field;
  }
}

/** Every error class of the package, for the uniqueness test and for documentation. */
export const smppErrorClasses = [SmppError, SmppDecodeError, SmppEncodeError] as const;
