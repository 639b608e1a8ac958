import { envVariables } from './config/env.ts';

/** The `--help` text: roles, options, and every environment variable the configuration reads. */
export function helpText(): string {
  const env = envVariables()
    .map(({ env, field }) => `  ${env.padEnd(24)} ${field}`)
    .join('\n');
  return `Usage: smsc [role] [--config <file.json>]

A store-and-forward SMSC on MongoDB. Runs one role per process; any number of inserter and
delivery processes can share one MongoDB.

Roles:
  inserter   SMPP server: authenticates binds, stores submits, answers from the store, and
             delivers to the ESMEs bound on this process (messages and receipts)
  delivery   delivery workers for connectors and webhooks (none exist yet: idle)
  cleanup    resets expired leases and locks, expires messages, recovers receipts, purges
  all        every role in one process; without a MongoDB URI it starts the in-memory server
  (none)     as \`all\`, with ./smsc.config.json if present, else a built-in trial config

Options:
  -c, --config <file>   JSON config file (also SMSC_CONFIG); see docs/configuration.md
  -h, --help            this text

Environment (overrides the file):
  SMSC_CONFIG              the config file, when --config is not given
${env}

Signals: SIGTERM and SIGINT stop accepting binds, finish in-flight work, unbind every session and
exit 0 within shutdown.drainMs.
`;
}
