import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';
import { isRole, type Role } from './roles/role.ts';

export type CliArgs =
  | { kind: 'help' }
  | {
      kind: 'run';
      role: Role;
      configPath?: string;
      /** No role on the command line (`npm start`): ./smsc.config.json if present, else the trial config. */
      trialFallback: boolean;
    };

/** `smsc [role] [--config file.json] [--help]`; no role means `all` the way `npm start` runs it. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (positionals.length > 1) throw new UsageError(`one role at a time, got ${positionals.join(' ')}`);
  const name = positionals[0];
  if (name !== undefined && !isRole(name))
    throw new UsageError(`unknown role "${name}" (inserter, delivery, cleanup, all)`);
  return {
    kind: 'run',
    role: name ?? 'all',
    ...(values.config !== undefined ? { configPath: values.config } : {}),
    trialFallback: name === undefined,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
