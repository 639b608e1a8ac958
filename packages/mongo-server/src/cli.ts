// `node packages/mongo-server/src/cli.ts [--port N] [--standalone] [--replica-set NAME]`
// Prints the URI, then serves until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startMongoServer } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    standalone: { type: 'boolean', default: false },
    'replica-set': { type: 'string', default: 'rs0' },
    'ttl-interval-ms': { type: 'string', default: '60000' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`invalid --port ${values.port}\n`);
  process.exit(2);
}

const server = await startMongoServer({
  port,
  replicaSet: values.standalone ? false : values['replica-set'],
  ttlIntervalMs: Number(values['ttl-interval-ms']),
  onInternalError: (err, command) =>
    process.stderr.write(`internal error in ${command}: ${(err as Error).stack}\n`),
});
process.stderr.write(
  'WARNING: this is an in-memory MongoDB-compatible test/trial server. Data is lost on exit. Never use it as a production database.\n',
);
process.stdout.write(`${server.uri}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
