/** Stable error codes of @smsc/inserter. Wire-level command_status values stay separate (@smsc/smpp). */
export const InserterErrorCode = {
  /** An inserter option failed validation at construction. */
  invalidOption: 'SMSC_INSERTER_INVALID_OPTION',
  /** start() was called twice, or after close(). */
  invalidState: 'SMSC_INSERTER_INVALID_STATE',
} as const;
export type InserterErrorCode = (typeof InserterErrorCode)[keyof typeof InserterErrorCode];

export class InserterError extends Error {
  readonly code: InserterErrorCode;
  constructor(code: InserterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InserterError';
    this.code = code;
  }
}

export class InvalidInserterOptionError extends InserterError {
  constructor(message: string) {
    super(InserterErrorCode.invalidOption, message);
    this.name = 'InvalidInserterOptionError';
  }
}

export class InvalidInserterStateError extends InserterError {
  constructor(message: string) {
    super(InserterErrorCode.invalidState, message);
    this.name = 'InvalidInserterStateError';
  }
}

export const inserterErrorClasses = [
  InserterError,
  InvalidInserterOptionError,
  InvalidInserterStateError,
] as const;
