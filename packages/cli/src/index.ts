export { type CliArgs, parseCliArgs } from './args.ts';
export { applyEnv, type EnvOverrides, envVariables } from './config/env.ts';
export {
  CONFIG_FIELDS,
  type ConfigFields,
  type FieldSpec,
  type LogLevel,
  type Settings,
} from './config/fields.ts';
export {
  type ConfigSource,
  DEFAULT_CONFIG_FILE,
  type LoadedConfig,
  type LoadOptions,
  loadConfig,
} from './config/load.ts';
export { TRIAL_CONFIG } from './config/trial.ts';
export { type SmscConfig, type ValueSources, validateConfig } from './config/validate.ts';
export { type Database, openDatabase } from './database.ts';
export {
  CliError,
  CliErrorCode,
  ConfigFileError,
  cliErrorClasses,
  InvalidConfigError,
  UsageError,
} from './errors.ts';
export { helpText } from './help.ts';
export { createLogger } from './logger.ts';
export { isRole, Role, type RunningPart } from './roles/role.ts';
export { checkRoleConfig, type RunningSmsc, startSmsc } from './run.ts';
