/**
 * The settings of every section except accounts and routes, as one declarative table: type, default,
 * bounds, environment override and a line of documentation. The validator, the `--help` text and
 * the test that keeps docs/configuration.md complete all read this table.
 */

export type IntField = {
  kind: 'int';
  default: number;
  min: number;
  max?: number;
  env?: string;
  doc: string;
};
export type StringField = {
  kind: 'string';
  /** No default: the value may be absent. */
  default?: string;
  pattern?: RegExp;
  patternDoc?: string;
  env?: string;
  doc: string;
};
export type EnumField<V extends string = string> = {
  kind: 'enum';
  values: readonly V[];
  default: V;
  env?: string;
  doc: string;
};
export type FieldSpec = IntField | StringField | EnumField;

const int = (d: number, min: number, doc: string, extra: { max?: number; env?: string } = {}): IntField => ({
  kind: 'int',
  default: d,
  min,
  doc,
  ...extra,
});

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const SECOND = 1000;
const HOUR = 3600 * SECOND;

export const CONFIG_FIELDS = {
  mongodb: {
    uri: {
      kind: 'string',
      pattern: /^mongodb(\+srv)?:\/\/.+/,
      patternDoc: 'a mongodb:// or mongodb+srv:// URI',
      env: 'MONGODB_URI',
      doc: 'MongoDB connection string. Without one, `all` starts the in-memory server (nothing survives a restart); other roles refuse to start.',
    },
    database: {
      kind: 'string',
      default: 'smsc',
      pattern: /^[A-Za-z0-9_-]{1,63}$/,
      patternDoc: '1-63 letters, digits, _ or -',
      env: 'SMSC_MONGODB_DATABASE',
      doc: 'Database name.',
    },
  },
  smpp: {
    host: {
      kind: 'string',
      default: '127.0.0.1',
      env: 'SMSC_SMPP_HOST',
      doc: 'Address the inserter listens on (`0.0.0.0` for every interface).',
    },
    port: int(2775, 0, 'SMPP port of the inserter (0 picks a free one, printed in the log).', {
      max: 65535,
      env: 'SMSC_SMPP_PORT',
    }),
    systemId: {
      kind: 'string',
      default: 'smsc',
      pattern: /^[\x21-\x7e]{1,15}$/,
      patternDoc: '1-15 printable ASCII characters',
      doc: 'system_id the SMSC gives in bind_*_resp (SMPP 3.4 §4.1.2).',
    },
    tlsCertFile: {
      kind: 'string',
      doc: 'PEM certificate (chain) file: with tlsKeyFile, the port speaks SMPP over TLS instead of plain TCP.',
    },
    tlsKeyFile: {
      kind: 'string',
      doc: 'PEM private key file of tlsCertFile.',
    },
    windowSize: int(10, 1, 'Requests the SMSC keeps outstanding per session (deliver_sm), SMPP 3.4 §2.9.', {
      max: 1000,
    }),
    sessionWindow: int(50, 1, 'Unanswered requests one ESME session may have; beyond it ESME_RMSGQFUL.', {
      max: 10_000,
    }),
    maxInFlight: int(
      5000,
      1,
      'Unanswered requests over all sessions of the process; beyond it ESME_RMSGQFUL.',
    ),
    maxValidityMs: int(7 * 24 * HOUR, 1000, 'Longest validity accepted; longer ones are shortened to it.'),
    maxScheduleMs: int(
      7 * 24 * HOUR,
      0,
      'Latest schedule_delivery_time accepted, from now (else ESME_RINVSCHED).',
    ),
    responseTimeoutMs: int(
      30 * SECOND,
      1,
      'Wait for each deliver_sm_resp before counting a temporary failure.',
    ),
    enquireLinkIntervalMs: int(
      30 * SECOND,
      0,
      'enquire_link after this much silence from an ESME; 0 disables.',
    ),
    inactivityTimeoutMs: int(300 * SECOND, 0, 'Close a session silent for this long; 0 disables.'),
    sessionInitTimeoutMs: int(60 * SECOND, 0, 'Close a connection that has not bound by then; 0 disables.'),
  },
  delivery: {
    concurrency: int(128, 1, 'Batches in flight at once per worker (each for a different destination).', {
      max: 1000,
    }),
    leaseMs: int(30 * SECOND, 1000, 'Lease on a claimed destination and its messages.'),
    scanIntervalMs: int(30 * SECOND, 100, 'Safety-net scan for due work, in case wake-up events were lost.'),
    maxAttempts: int(10, 1, 'Counted attempts before a temporary failure becomes final.', { max: 1000 }),
    retryBaseMs: int(30 * SECOND, 0, 'Delay before the second attempt; doubles each attempt.'),
    retryMaxMs: int(HOUR, 0, 'Longest delay between attempts.'),
    throttleDelayMs: int(SECOND, 0, 'Wait after a throttling answer (ESME_RTHROTTLED, ESME_RMSGQFUL).'),
  },
  messages: {
    defaultValidityMs: int(48 * HOUR, 1000, 'Validity of a message submitted without validity_period.'),
    receiptValidityMs: int(48 * HOUR, 1000, 'Validity of a queued delivery receipt.'),
    historyLimit: int(20, 1, 'Delivery history entries kept per message.', { max: 1000 }),
    eventsSizeBytes: int(
      16 * 1024 * 1024,
      64 * 1024,
      'Size of the capped `events` collection (created once).',
    ),
  },
  cleanup: {
    intervalMs: int(10 * SECOND, 100, 'Time between cleanup runs.'),
    leaseMs: int(
      60 * SECOND,
      1000,
      'Leader lease: one active cleanup across processes. Longer than intervalMs.',
    ),
    retentionMs: int(7 * 24 * HOUR, 1000, 'Final messages are purged after this long.'),
  },
  shutdown: {
    drainMs: int(
      10 * SECOND,
      0,
      'On SIGTERM/SIGINT: time for in-flight work before the process exits anyway.',
      {
        env: 'SMSC_DRAIN_MS',
      },
    ),
  },
  log: {
    level: {
      kind: 'enum',
      values: LOG_LEVELS,
      default: 'info',
      env: 'SMSC_LOG_LEVEL',
      doc: 'pino log level.',
    } satisfies EnumField<LogLevel>,
  },
} as const satisfies Record<string, Record<string, FieldSpec>>;

export type ConfigFields = typeof CONFIG_FIELDS;
export type SectionName = keyof ConfigFields;

type ValueOf<F> = F extends { kind: 'int' }
  ? number
  : F extends { kind: 'enum'; values: readonly (infer V)[] }
    ? V
    : F extends { kind: 'string'; default: string }
      ? string
      : string | undefined;

/** The validated values of the table's sections. */
export type Settings = {
  readonly [S in SectionName]: { readonly [K in keyof ConfigFields[S]]: ValueOf<ConfigFields[S][K]> };
};
