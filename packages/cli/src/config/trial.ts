/**
 * The configuration `npm start` uses when there is no ./smsc.config.json: the in-memory MongoDB,
 * two accounts and one route, so that a first run works with nothing to set up. Printed at start.
 */
export const TRIAL_CONFIG = {
  smpp: { host: '127.0.0.1', port: 2775 },
  accounts: [
    { systemId: 'acme', password: 'acme-pw', maxBinds: 4, throughput: 200 },
    { systemId: 'sink', password: 'sink-pw' },
  ],
  routes: [{ prefix: '4670', account: 'sink' }],
} as const;
