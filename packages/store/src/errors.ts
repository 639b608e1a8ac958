/** Stable error codes of @smsc/store. A test checks that they are unique and documented here. */
export const StoreErrorCode = {
  /** The payload (short_message plus TLV values) is larger than `maxMessageBytes`. */
  messageTooLarge: 'SMSC_STORE_MESSAGE_TOO_LARGE',
  /** A field of a message to queue is missing or out of range. */
  invalidMessage: 'SMSC_STORE_INVALID_MESSAGE',
  /** No free message id after several attempts (ids collided with other processes). */
  messageIdExhausted: 'SMSC_STORE_MESSAGE_ID_EXHAUSTED',
  /** The database was migrated by a newer version of this code. */
  schemaTooNew: 'SMSC_STORE_SCHEMA_TOO_NEW',
  /** A store option failed validation at start-up. */
  invalidOption: 'SMSC_STORE_INVALID_OPTION',
} as const;
export type StoreErrorCode = (typeof StoreErrorCode)[keyof typeof StoreErrorCode];

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

export class MessageTooLargeError extends StoreError {
  readonly size: number;
  readonly limit: number;
  constructor(size: number, limit: number) {
    super(StoreErrorCode.messageTooLarge, `message payload is ${size} bytes, the limit is ${limit}`);
    this.name = 'MessageTooLargeError';
    this.size = size;
    this.limit = limit;
  }
}

export class InvalidMessageError extends StoreError {
  constructor(message: string) {
    super(StoreErrorCode.invalidMessage, message);
    this.name = 'InvalidMessageError';
  }
}

export class MessageIdExhaustedError extends StoreError {
  constructor(cause: unknown) {
    super(StoreErrorCode.messageIdExhausted, 'could not allocate a unique message id', { cause });
    this.name = 'MessageIdExhaustedError';
  }
}

export class SchemaTooNewError extends StoreError {
  constructor(found: number, supported: number) {
    super(
      StoreErrorCode.schemaTooNew,
      `database schema is version ${found}, this code supports up to ${supported}`,
    );
    this.name = 'SchemaTooNewError';
  }
}

export class InvalidStoreOptionError extends StoreError {
  constructor(message: string) {
    super(StoreErrorCode.invalidOption, message);
    this.name = 'InvalidStoreOptionError';
  }
}

/** MongoDB error 11000: an insert or upsert hit a unique index. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/** MongoDB error 136: a tailable cursor's position was evicted from the capped collection. */
export function isCappedPositionLost(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 136;
}

/**
 * Errors worth retrying after a pause: network failures, server selection timeouts and anything
 * the driver labels retryable. Kept as a predicate, not a subclass (the driver's error labels).
 */
export function isTransientStoreError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: string; hasErrorLabel?: (label: string) => boolean };
  if (
    e.name === 'MongoNetworkError' ||
    e.name === 'MongoServerSelectionError' ||
    e.name === 'MongoNetworkTimeoutError'
  ) {
    return true;
  }
  if (e.name === 'MongoTopologyClosedError' || e.name === 'MongoNotConnectedError') return false;
  return (
    typeof e.hasErrorLabel === 'function' &&
    (e.hasErrorLabel('RetryableWriteError') || e.hasErrorLabel('ResumableChangeStreamError'))
  );
}
