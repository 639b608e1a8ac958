import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigFileError } from '../errors.ts';
import { applyEnv } from './env.ts';
import { TRIAL_CONFIG } from './trial.ts';
import { type SmscConfig, validateConfig } from './validate.ts';

/** The config file `npm start` looks for in the working directory. */
export const DEFAULT_CONFIG_FILE = 'smsc.config.json';

export type ConfigSource =
  | { kind: 'file'; path: string }
  /** No file given and none in the working directory: the built-in trial config. */
  | { kind: 'trial' }
  /** No file, and the trial was not asked for: defaults and environment only. */
  | { kind: 'none' };

export type LoadedConfig = { config: SmscConfig; source: ConfigSource };

export type LoadOptions = {
  /** --config, else SMSC_CONFIG. */
  path?: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Without a file: look for ./smsc.config.json, else use the trial config (`npm start`). */
  trialFallback?: boolean;
};

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigFileError(path, (error as NodeJS.ErrnoException).code ?? 'cannot be read', {
      cause: error,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(path, `is not valid JSON (${(error as Error).message})`, { cause: error });
  }
}

/** Reads the file (if any), lays the environment over it, validates once; the result is frozen. */
export function loadConfig(options: LoadOptions): LoadedConfig {
  const given = options.path ?? (options.env.SMSC_CONFIG || undefined);
  let source: ConfigSource;
  let raw: unknown;
  if (given !== undefined) {
    const path = resolve(options.cwd, given);
    source = { kind: 'file', path };
    raw = readJson(path);
  } else if (options.trialFallback) {
    const local = resolve(options.cwd, DEFAULT_CONFIG_FILE);
    if (existsSync(local)) {
      source = { kind: 'file', path: local };
      raw = readJson(local);
    } else {
      source = { kind: 'trial' };
      raw = structuredClone(TRIAL_CONFIG);
    }
  } else {
    source = { kind: 'none' };
    raw = {};
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { config: validateConfig(raw), source };
  const { config, sources } = applyEnv(raw as Record<string, unknown>, options.env);
  return { config: validateConfig(config, sources), source };
}
