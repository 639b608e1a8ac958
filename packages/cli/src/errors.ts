/** Errors of @smsc/cli, each with a stable `code`. */
export const CliErrorCode = {
  /** A config value (file, environment or built-in) is invalid; `field` names it. */
  invalidConfig: 'SMSC_CLI_INVALID_CONFIG',
  /** The config file could not be read or is not JSON. */
  configFile: 'SMSC_CLI_CONFIG_FILE',
  /** The command line is wrong (unknown role or option). */
  usage: 'SMSC_CLI_USAGE',
} as const;
export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

export class CliError extends Error {
  readonly code: CliErrorCode;

  constructor(code: CliErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CliError';
    this.code = code;
  }
}

export class InvalidConfigError extends CliError {
  /** Path of the bad field, e.g. `smpp.port` or `accounts[1].password`. */
  readonly field: string;
  /** The environment variable the value came from, when it came from one. */
  readonly env: string | undefined;

  constructor(field: string, problem: string, env?: string, options?: ErrorOptions) {
    super(CliErrorCode.invalidConfig, `${env ? `${env} (${field})` : field}: ${problem}`, options);
    this.name = 'InvalidConfigError';
    this.field = field;
    this.env = env;
  }
}

export class ConfigFileError extends CliError {
  readonly path: string;

  constructor(path: string, problem: string, options?: ErrorOptions) {
    super(CliErrorCode.configFile, `config file ${path}: ${problem}`, options);
    this.name = 'ConfigFileError';
    this.path = path;
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(CliErrorCode.usage, message);
    this.name = 'UsageError';
  }
}

export const cliErrorClasses = [CliError, InvalidConfigError, ConfigFileError, UsageError] as const;
