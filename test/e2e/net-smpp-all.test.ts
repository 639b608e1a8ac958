import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type NetSmppRun, netSmppInstalled } from './support/net-smpp.ts';
import { runNetSmppScenario } from './support/net-smpp-scenario.ts';
import { ACCOUNTS, ROUTES } from './support/scenario.ts';
import { killAllSmscProcesses, startSmscProcess } from './support/smsc-process.ts';

// `smsc all` as one OS process on the test run's MongoDB, driven only by Perl's Net::SMPP: acme
// submits on a transmitter bind and gets its receipts on a separate receiver bind, as many
// deployed ESMEs do. Needs `apt-get install -y libnet-smpp-perl` (installed by .ci/run); skipped
// where Net::SMPP is missing.
describe('smsc all driven by Perl Net::SMPP', () => {
  let mongo: TestMongo;
  const runs: NetSmppRun[] = [];
  beforeAll(async () => {
    mongo = await useTestMongo();
  });
  afterAll(async () => {
    for (const r of runs) r.kill();
    await killAllSmscProcesses();
    await mongo?.close();
  });

  it.skipIf(!netSmppInstalled)(
    'delivers GSM, UCS2 and a 3-segment message byte for byte and in order, and one DELIVRD receipt per part with the submit ids',
    async () => {
      const smsc = await startSmscProcess({
        role: 'all',
        mongo: { uri: mongo.uri, database: mongo.dbName },
        config: {
          // enquire_link after 200 ms of silence, to see Net::SMPP answer it and stay bound.
          smpp: { enquireLinkIntervalMs: 200 },
          accounts: ACCOUNTS,
          routes: ROUTES,
          shutdown: { drainMs: 2000 },
        },
      });
      onTestFailed(() => {
        console.error(smsc.logs());
        for (const r of runs) console.error(r.output());
      });
      const { host, port } = smsc.smpp!;
      await runNetSmppScenario({
        host,
        sinkPort: port,
        acmePort: port,
        reference: 0x7b,
        runs,
        expectEnquireLink: true,
      });
      expect(await smsc.stop()).toBe(0);
    },
    60_000,
  );
});
