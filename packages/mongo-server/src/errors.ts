// Server error codes as MongoDB names them (src/mongo/base/error_codes.yml in the server's sources):
// the driver and applications branch on `code`, so each one here must be the real number.
export const ErrorCodes = {
  InternalError: 1,
  Unauthorized: 13,
  BadValue: 2,
  NoSuchKey: 4,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  IndexNotFound: 27,
  CursorNotFound: 43,
  CannotCreateIndex: 67,
  InvalidLength: 16,
  NamespaceExists: 48,
  MaxTimeMSExpired: 50,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  OperationNotSupportedInTransaction: 263,
  CappedPositionLost: 136,
  QueryPlanKilled: 175,
  CommandNotSupported: 115,
  InvalidIdField: 53,
  DuplicateKey: 11000,
  Location40324: 40324,
  Location40573: 40573,
  ChangeStreamHistoryLost: 286,
} as const;

export type ErrorCodeName = keyof typeof ErrorCodes;

/** An error that becomes `{ok: 0, errmsg, code, codeName}` on the wire, like MongoDB's own. */
export class MongoCommandError extends Error {
  override name = 'MongoCommandError';
  readonly code: number;
  readonly codeName: string;
  /** Extra reply fields, e.g. `keyPattern`/`keyValue` on a duplicate key. */
  readonly extra: Record<string, unknown>;

  constructor(
    codeName: ErrorCodeName,
    message: string,
    extra: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = ErrorCodes[codeName];
    this.codeName = codeName;
    this.extra = extra;
  }

  toReply(): Record<string, unknown> {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }
}

/** Anything thrown by mingo or our own code that is not already a command error becomes one. */
export function toCommandError(err: unknown): MongoCommandError {
  if (err instanceof MongoCommandError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new MongoCommandError('BadValue', message, {}, err);
}
