/** Stable error codes of @smsc/engine. A test checks that they are unique and documented here. */
export const EngineErrorCode = {
  /** An engine option failed validation at start-up. */
  invalidOption: 'SMSC_ENGINE_INVALID_OPTION',
  /** start() on a worker that is not new. */
  invalidState: 'SMSC_ENGINE_INVALID_STATE',
  /** Two outlets declare the same target. */
  duplicateTarget: 'SMSC_ENGINE_DUPLICATE_TARGET',
} as const;
export type EngineErrorCode = (typeof EngineErrorCode)[keyof typeof EngineErrorCode];

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  constructor(code: EngineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
    this.code = code;
  }
}

export class InvalidEngineOptionError extends EngineError {
  constructor(message: string) {
    super(EngineErrorCode.invalidOption, message);
    this.name = 'InvalidEngineOptionError';
  }
}

export class InvalidWorkerStateError extends EngineError {
  constructor(message: string) {
    super(EngineErrorCode.invalidState, message);
    this.name = 'InvalidWorkerStateError';
  }
}

export class DuplicateTargetError extends EngineError {
  constructor(target: string) {
    super(EngineErrorCode.duplicateTarget, `two outlets declare target ${target}`);
    this.name = 'DuplicateTargetError';
  }
}

/** The driver's client was closed under us: nothing will work again in this worker. */
export function isClientClosedError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const name = (error as { name?: unknown }).name;
  return (
    name === 'MongoTopologyClosedError' ||
    name === 'MongoNotConnectedError' ||
    name === 'MongoClientClosedError'
  );
}
