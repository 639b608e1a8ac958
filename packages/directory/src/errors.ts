/** Stable error codes of @smsc/directory. A test checks that they are unique and documented here. */
export const DirectoryErrorCode = {
  /** An account or route in the configuration failed validation; the message names the field. */
  invalidConfig: 'SMSC_DIRECTORY_INVALID_CONFIG',
} as const;
export type DirectoryErrorCode = (typeof DirectoryErrorCode)[keyof typeof DirectoryErrorCode];

export class DirectoryError extends Error {
  readonly code: DirectoryErrorCode;
  constructor(code: DirectoryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DirectoryError';
    this.code = code;
  }
}

export class InvalidDirectoryConfigError extends DirectoryError {
  /** The path of the bad field, e.g. `accounts[1].throughput`. */
  readonly field: string;
  constructor(field: string, problem: string) {
    super(DirectoryErrorCode.invalidConfig, `${field}: ${problem}`);
    this.name = 'InvalidDirectoryConfigError';
    this.field = field;
  }
}

export const directoryErrorClasses = [DirectoryError, InvalidDirectoryConfigError] as const;
