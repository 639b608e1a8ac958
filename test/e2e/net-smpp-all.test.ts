import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type NetSmppRun, netSmppInstalled, receivedFromNetSmpp, runNetSmpp } from './support/net-smpp.ts';
import {
  ACCOUNTS,
  DESTINATION,
  expectDeliveredIntactInOrder,
  expectReceiptsMatch,
  ROUTES,
  SOURCE,
  scenarioParts,
} from './support/scenario.ts';
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
      const parts = scenarioParts(0x7b);

      // Both receivers bind first; each unbinds and exits after its count, or fails after 20 s.
      const sink = runNetSmpp(['receive', host, String(port), 'sink', 'sink-pw', String(parts.length), '20']);
      const acmeRx = runNetSmpp([
        'receive',
        host,
        String(port),
        'acme',
        'acme-pw',
        String(parts.length),
        '20',
      ]);
      runs.push(sink, acmeRx);
      await sink.waitFor('bound', 10_000);
      await acmeRx.waitFor('bound', 10_000);
      // The SMSC probes a session silent for 200 ms (enquireLinkIntervalMs): both answer it.
      await sink.waitFor('enquire_link', 5000);
      await acmeRx.waitFor('enquire_link', 5000);

      const submitter = runNetSmpp(
        ['submit', host, String(port), 'acme', 'acme-pw'],
        parts.map((p) =>
          JSON.stringify({
            from: SOURCE,
            to: DESTINATION,
            hex: p.shortMessage.toString('hex'),
            dataCoding: p.dataCoding,
            esmClass: p.esmClass,
            registeredDelivery: 1,
          }),
        ),
      );
      runs.push(submitter);
      expect(await submitter.exit(15_000)).toBe(0);
      const resps = submitter.events.filter((e) => e.event === 'submit_sm_resp');
      expect(resps.map((e) => e.status)).toEqual(parts.map(() => 0));
      const ids = resps.map((e) => String(e.messageId));
      expect(submitter.events.at(-1)).toEqual({ event: 'unbound', status: 0 });

      expect(await sink.exit(25_000)).toBe(0);
      expect(await acmeRx.exit(25_000)).toBe(0);
      const delivered = sink.events.filter((e) => e.event === 'deliver_sm');
      // Byte for byte: the octets the sink got are the octets acme sent.
      expect(delivered.map((e) => e.hex)).toEqual(parts.map((p) => p.shortMessage.toString('hex')));
      expectDeliveredIntactInOrder(delivered.map(receivedFromNetSmpp), parts);
      expectReceiptsMatch(
        acmeRx.events.filter((e) => e.event === 'deliver_sm').map(receivedFromNetSmpp),
        ids,
      );
      expect(sink.events.at(-1)).toEqual({ event: 'unbound', status: 0 });
      expect(acmeRx.events.at(-1)).toEqual({ event: 'unbound', status: 0 });

      expect(await smsc.stop()).toBe(0);
    },
    60_000,
  );
});
