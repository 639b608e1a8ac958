import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type Kannel, kannelInstalled, startKannel } from './support/kannel.ts';
import { bindNodeSmpp, type NsEsme } from './support/node-smpp.ts';
import { freePort } from './support/ports.ts';
import {
  ACCOUNTS,
  DESTINATION,
  ROUTES,
  receivedFromNodeSmpp,
  SOURCE,
  waitUntil,
} from './support/scenario.ts';
import { killAllSmscProcesses, startSmscProcess } from './support/smsc-process.ts';

// Kannel (bearerbox + smsbox), a widely deployed SMS gateway nobody on this project wrote, binds to
// `smsc all` as a transceiver ESME. Needs `apt-get install -y kannel` (installed by .ci/run);
// skipped where /usr/sbin/bearerbox or /usr/sbin/smsbox is missing.
describe('Kannel bound to the SMSC as a transceiver', () => {
  let mongo: TestMongo;
  let kannel: Kannel | undefined;
  let dlrServer: Server | undefined;
  const esmes: NsEsme[] = [];
  beforeAll(async () => {
    mongo = await useTestMongo();
  });
  afterAll(async () => {
    await kannel?.stop();
    await Promise.all(esmes.map((e) => e.close()));
    await killAllSmscProcesses();
    if (dlrServer) await new Promise((r) => dlrServer!.close(r));
    await mongo?.close();
  });

  it.skipIf(!kannelInstalled)(
    'carries an HTTP sendsms to the sink, and calls the dlr-url with a delivered report (type 1) for the id the SMSC gave',
    async () => {
      const smsc = await startSmscProcess({
        role: 'all',
        mongo: { uri: mongo.uri, database: mongo.dbName },
        config: {
          smpp: { enquireLinkIntervalMs: 0 },
          // SMPP passwords are at most 8 octets (§5.2.2); Kannel sends what it is given.
          accounts: [...ACCOUNTS, { systemId: 'kannel', password: 'kannelpw' }],
          routes: ROUTES,
          shutdown: { drainMs: 2000 },
        },
      });
      onTestFailed(() => {
        console.error(smsc.logs());
        console.error(kannel?.logs());
      });

      // Kannel's dlr-url target: every report smsbox sends, as its query parameters.
      const reports: Record<string, string>[] = [];
      dlrServer = createServer((req, res) => {
        reports.push(Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams));
        res.end('ok');
      });
      await new Promise<void>((r) => dlrServer!.listen(0, '127.0.0.1', r));
      const dlrPort = (dlrServer.address() as AddressInfo).port;

      const sink = await bindNodeSmpp(smsc.smpp!.port, 'bind_receiver', 'sink', 'sink-pw');
      esmes.push(sink);

      kannel = await startKannel({
        smscHost: '127.0.0.1',
        smscPort: smsc.smpp!.port,
        systemId: 'kannel',
        password: 'kannelpw',
        adminPort: await freePort(),
        boxPort: await freePort(),
        sendsmsPort: await freePort(),
      });
      await kannel.waitOnline(10_000);

      const text = 'Hello from Kannel, via the SMSC';
      const sent = await kannel.sendSms({
        from: SOURCE,
        to: DESTINATION,
        text,
        // Kannel escapes: %d report type, %F the SMSC's message id, %A the SMSC's reply (receipt text).
        dlrUrl: `http://127.0.0.1:${dlrPort}/dlr?type=%d&smscid=%F&reply=%A`,
      });
      expect(sent.status).toBe(202);
      expect(sent.body).toContain('Accepted for delivery');

      await waitUntil(
        () => sink.delivered.length >= 1 && reports.some((r) => r.type === '1'),
        15_000,
        () => `sink got ${sink.delivered.length}, reports ${JSON.stringify(reports)}`,
      );
      const [message] = sink.delivered.map(receivedFromNodeSmpp);
      expect(message).toMatchObject({ text, to: DESTINATION, from: SOURCE, esmClass: 0, udh: '' });
      expect(sink.delivered).toHaveLength(1);

      // Type 8 (SMSC ack) carries the id from submit_sm_resp; type 1 (delivered) the id Kannel
      // matched the receipt by. Kannel found the submit for the receipt: the same id.
      const ack = reports.find((r) => r.type === '8');
      const delivered = reports.filter((r) => r.type === '1');
      expect(delivered).toHaveLength(1);
      expect(ack?.smscid).toMatch(/^\S+$/);
      expect(delivered[0]!.smscid).toBe(ack!.smscid);
      expect(delivered[0]!.reply).toMatch(new RegExp(`^id:${ack!.smscid} .*stat:DELIVRD`));
      expect(reports.filter((r) => r.type === '2' || r.type === '16')).toEqual([]);

      await kannel.stop();
      kannel = undefined;
      await sink.close();
      expect(await smsc.stop()).toBe(0);
    },
    60_000,
  );
});
