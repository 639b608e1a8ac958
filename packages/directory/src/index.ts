export { type Account, type AccountRecord, toAccount } from './account.ts';
export { type ApplyConfigOptions, type ApplyConfigResult, applyDirectoryConfig } from './apply-config.ts';
export {
  type AccountConfig,
  type DirectoryConfig,
  type RouteConfig,
  routeConfigId,
  routeConfigTarget,
  validateDirectoryConfig,
} from './config.ts';
export { AuthOutcome, type AuthResult, Directory, type DirectoryOptions } from './directory.ts';
export {
  DirectoryError,
  DirectoryErrorCode,
  directoryErrorClasses,
  InvalidDirectoryConfigError,
} from './errors.ts';
export {
  DEFAULT_HASH_COST,
  type HashCost,
  hashPassword,
  isPasswordHash,
  VerifiedPasswords,
  verifyPassword,
} from './password.ts';
export { accountTarget, type Route, type RouteRecord, RouteTable } from './route.ts';
