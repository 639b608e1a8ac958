import { InvalidConfigError } from '../errors.ts';
import { CONFIG_FIELDS, type FieldSpec } from './fields.ts';

export type EnvOverrides = {
  /** The configuration with environment values laid over it (a new object; the input is untouched). */
  config: Record<string, unknown>;
  /** Field path -> environment variable, for error messages. */
  sources: Map<string, string>;
};

/** Every environment variable the configuration reads, with the field it sets. */
export function envVariables(): { env: string; field: string }[] {
  const list: { env: string; field: string }[] = [];
  for (const [section, fields] of Object.entries(CONFIG_FIELDS) as [string, Record<string, FieldSpec>][])
    for (const [key, spec] of Object.entries(fields))
      if (spec.env) list.push({ env: spec.env, field: `${section}.${key}` });
  return list;
}

/**
 * Lays the environment over the file's values (environment wins). Only the variables of the
 * table are read, here and nowhere else; an empty variable counts as unset.
 */
export function applyEnv(config: Record<string, unknown>, env: NodeJS.ProcessEnv): EnvOverrides {
  const out: Record<string, unknown> = { ...config };
  const sources = new Map<string, string>();
  for (const [section, fields] of Object.entries(CONFIG_FIELDS) as [string, Record<string, FieldSpec>][]) {
    for (const [key, spec] of Object.entries(fields)) {
      if (!spec.env) continue;
      const raw = env[spec.env];
      if (raw === undefined || raw === '') continue;
      const field = `${section}.${key}`;
      let value: unknown = raw;
      if (spec.kind === 'int') {
        if (!/^-?\d+$/.test(raw.trim())) throw new InvalidConfigError(field, 'must be an integer', spec.env);
        value = Number(raw.trim());
      }
      const current = out[section];
      out[section] = { ...(typeof current === 'object' && current !== null ? current : {}), [key]: value };
      sources.set(field, spec.env);
    }
  }
  return { config: out, sources };
}
