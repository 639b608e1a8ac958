import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { startMongoServer } from '@smsc/mongo-server';

/** Where a test's MongoDB comes from, in the order they are tried. */
export type MongoKind = 'env' | 'container' | 'memory';

export type ResolvedMongo = { uri: string; kind: MongoKind; stop(): Promise<void> };

export type ResolveOptions = {
  /** Environment to read `MONGODB_URI`, `DOCKER_HOST` and `SMSC_TEST_MONGO_IMAGE` from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** How long the Docker ping may take before falling through. Default 300 ms. */
  dockerTimeoutMs?: number;
  /** TTL sweep interval for the in-memory server: short, so TTL tests finish quickly. Default 500 ms. */
  ttlIntervalMs?: number;
};

/**
 * Whether a Docker engine answers `/_ping` quickly. Without a socket or DOCKER_HOST this returns
 * at once, so machines without Docker fall through to the in-memory server without delay.
 */
export async function dockerReachable(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 300,
): Promise<boolean> {
  const host = env.DOCKER_HOST;
  let target: { socketPath: string } | { host: string; port: number };
  if (!host) {
    if (!existsSync('/var/run/docker.sock')) return false;
    target = { socketPath: '/var/run/docker.sock' };
  } else if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    if (!existsSync(socketPath)) return false;
    target = { socketPath };
  } else if (host.startsWith('tcp://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    target = { host: url.hostname, port: Number(url.port || 2375) };
  } else {
    return false;
  }
  return new Promise((resolve) => {
    const req = request({ ...target, path: '/_ping', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** A MongoDB URI from MONGODB_URI, else testcontainers when Docker answers, else the in-memory server. */
export async function resolveMongo(options: ResolveOptions = {}): Promise<ResolvedMongo> {
  const env = options.env ?? process.env;
  if (env.MONGODB_URI) return { uri: env.MONGODB_URI, kind: 'env', stop: async () => {} };
  if (await dockerReachable(env, options.dockerTimeoutMs ?? 300)) {
    try {
      const { MongoDBContainer } = await import('@testcontainers/mongodb');
      const container = await new MongoDBContainer(env.SMSC_TEST_MONGO_IMAGE ?? 'mongo:7').start();
      // The container's replica set names its member by the container hostname: connect directly.
      const uri = `${container.getConnectionString()}/?directConnection=true`;
      return { uri, kind: 'container', stop: async () => void (await container.stop()) };
    } catch (err) {
      // An engine that answers but cannot run the image (offline, no pull rights) must not fail
      // every test: say so and use the in-memory server.
      process.stderr.write(
        `[test-mongo] Docker answered but the MongoDB container did not start (${(err as Error).message}); falling back\n`,
      );
    }
  }
  const server = await startMongoServer({ ttlIntervalMs: options.ttlIntervalMs ?? 500 });
  return { uri: server.uri, kind: 'memory', stop: () => server.close() };
}

export function describeMongo(kind: MongoKind, uri: string): string {
  const shown = uri.replace(/\/\/[^@/]*@/, '//***@');
  const what =
    kind === 'env'
      ? 'MONGODB_URI'
      : kind === 'container'
        ? 'testcontainers MongoDB'
        : 'in-memory @smsc/mongo-server';
  return `[test-mongo] using ${what}: ${shown}`;
}
