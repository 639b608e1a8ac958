import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_FIELDS, envVariables, validateConfig } from '../src/index.ts';

const doc = readFileSync(resolve(import.meta.dirname, '../../../docs/configuration.md'), 'utf8');

/** The table row of a key: `| \`section.key\` | default | ...`. */
function row(field: string): string | undefined {
  return doc.split('\n').find((line) => line.startsWith(`| \`${field}\` |`));
}

describe('docs/configuration.md', () => {
  const defaults = validateConfig({});
  const fields = Object.entries(CONFIG_FIELDS).flatMap(([section, keys]) =>
    Object.keys(keys).map((key) => [section, key] as const),
  );

  it.each(fields)('documents %s.%s with its default', (section, key) => {
    const line = row(`${section}.${key}`);
    expect(line, `no row for ${section}.${key}`).toBeDefined();
    const value = (defaults as unknown as Record<string, Record<string, unknown>>)[section]?.[key];
    const cell = line!.split('|')[2]!.trim();
    if (value === undefined) expect(cell).toBe('none');
    else expect(cell.startsWith(`\`${String(value)}\``)).toBe(true);
  });

  it.each(envVariables())('documents the environment variable $env for $field', ({ env, field }) => {
    expect(row(field)).toContain(`\`${env}\``);
    expect(doc).toContain(`| \`${env}\` | \`${field}\` |`);
  });
});
