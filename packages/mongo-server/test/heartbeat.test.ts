import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The one long test: the server must keep the driver's monitors healthy across an idle period. It
// would fail if hello advertised topologyVersion (the driver would then stream heartbeats through
// exhaust, which this server does not implement).
describe('heartbeats over an idle period', () => {
  let mongo: TestMongo;
  beforeAll(async () => {
    mongo = await useTestMongo();
  });
  afterAll(() => mongo.close());

  it('keeps every heartbeat succeeding for 30 s of idling at a 500 ms heartbeat', {
    timeout: 60_000,
  }, async () => {
    const client = await mongo.newClient({ heartbeatFrequencyMS: 500 });
    let succeeded = 0;
    const failures: unknown[] = [];
    const unknownServers: string[] = [];
    client.on('serverHeartbeatSucceeded', () => succeeded++);
    client.on('serverHeartbeatFailed', (e) => failures.push(e.failure));
    client.on('serverDescriptionChanged', (e) => {
      if (e.newDescription.type === 'Unknown')
        unknownServers.push(String(e.newDescription.error ?? 'unknown'));
    });
    client.on('error', (e) => failures.push(e));
    await client.db(mongo.dbName).command({ ping: 1 });
    await new Promise((r) => setTimeout(r, 30_000));
    expect(failures).toEqual([]);
    expect(unknownServers).toEqual([]);
    // A polling monitor at 500 ms makes about 60 heartbeats in 30 s.
    expect(succeeded).toBeGreaterThanOrEqual(30);
    expect((await client.db(mongo.dbName).command({ ping: 1 })).ok).toBe(1);
  });
});
