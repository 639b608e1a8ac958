import { type DirectoryConfig, InvalidDirectoryConfigError, validateDirectoryConfig } from '@smsc/directory';
import { InvalidConfigError } from '../errors.ts';
import { CONFIG_FIELDS, type FieldSpec, type SectionName, type Settings } from './fields.ts';

/** The whole validated configuration, frozen: the table's sections plus accounts and routes. */
export type SmscConfig = Settings & Readonly<DirectoryConfig>;

/** Where a value came from, so an error can name the environment variable instead of a file key. */
export type ValueSources = ReadonlyMap<string, string>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkField(spec: FieldSpec, value: unknown, field: string, env: string | undefined): unknown {
  const bad = (problem: string): never => {
    throw new InvalidConfigError(field, problem, env);
  };
  switch (spec.kind) {
    case 'int': {
      const range = spec.max !== undefined ? `${spec.min}-${spec.max}` : `>= ${spec.min}`;
      if (typeof value !== 'number' || !Number.isInteger(value)) bad(`must be an integer ${range}`);
      const n = value as number;
      if (n < spec.min || (spec.max !== undefined && n > spec.max))
        bad(`must be an integer ${range}, got ${n}`);
      return n;
    }
    case 'string': {
      if (typeof value !== 'string' || value.length === 0) bad('must be a non-empty string');
      const s = value as string;
      if (spec.pattern && !spec.pattern.test(s)) bad(`must be ${spec.patternDoc ?? spec.pattern.source}`);
      return s;
    }
    case 'enum': {
      if (typeof value !== 'string' || !spec.values.includes(value))
        bad(`must be one of ${spec.values.join(', ')}`);
      return value;
    }
  }
}

const TOP_LEVEL = new Set<string>([...Object.keys(CONFIG_FIELDS), 'accounts', 'routes', '$schema', '//']);

/**
 * Checks a configuration as read from JSON (after environment overrides) and fills in defaults.
 * Throws InvalidConfigError naming the first bad field, unknown keys included (a typo must not
 * silently fall back to a default). `sources` maps field paths to the environment variable that set them.
 */
export function validateConfig(input: unknown, sources: ValueSources = new Map()): SmscConfig {
  if (!isObject(input)) throw new InvalidConfigError('(root)', 'must be a JSON object');
  for (const key of Object.keys(input))
    if (!TOP_LEVEL.has(key)) throw new InvalidConfigError(key, 'unknown setting');
  const out: Record<string, unknown> = {};
  for (const [section, fields] of Object.entries(CONFIG_FIELDS) as [
    SectionName,
    Record<string, FieldSpec>,
  ][]) {
    const raw = input[section] ?? {};
    if (!isObject(raw)) throw new InvalidConfigError(section, 'must be an object');
    for (const key of Object.keys(raw))
      if (!(key in fields)) throw new InvalidConfigError(`${section}.${key}`, 'unknown setting');
    const values: Record<string, unknown> = {};
    for (const [key, spec] of Object.entries(fields)) {
      const field = `${section}.${key}`;
      const value = raw[key] ?? spec.default;
      if (value === undefined) continue;
      values[key] = checkField(spec, value, field, sources.get(field));
    }
    out[section] = Object.freeze(values);
  }
  const cleanup = out.cleanup as Settings['cleanup'];
  if (cleanup.leaseMs <= cleanup.intervalMs)
    throw new InvalidConfigError('cleanup.leaseMs', 'must be longer than cleanup.intervalMs');
  const delivery = out.delivery as Settings['delivery'];
  if (delivery.retryMaxMs < delivery.retryBaseMs)
    throw new InvalidConfigError('delivery.retryMaxMs', 'must be at least delivery.retryBaseMs');
  const smpp = out.smpp as Settings['smpp'];
  if ((smpp.tlsCertFile === undefined) !== (smpp.tlsKeyFile === undefined))
    throw new InvalidConfigError(
      smpp.tlsCertFile === undefined ? 'smpp.tlsCertFile' : 'smpp.tlsKeyFile',
      'TLS needs both smpp.tlsCertFile and smpp.tlsKeyFile',
    );
  let directory: DirectoryConfig;
  try {
    directory = validateDirectoryConfig({ accounts: input.accounts, routes: input.routes });
  } catch (error) {
    if (error instanceof InvalidDirectoryConfigError) {
      const problem = error.message.slice(error.field.length + 2);
      throw new InvalidConfigError(error.field, problem, undefined, { cause: error });
    }
    throw error;
  }
  out.accounts = Object.freeze(directory.accounts.map((a) => Object.freeze(a)));
  out.routes = Object.freeze(directory.routes.map((r) => Object.freeze(r)));
  return Object.freeze(out) as SmscConfig;
}
