import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type Kannel, kannelInstalled, startKannel } from './support/kannel.ts';
import { bindNodeSmpp, type NsEsme, nsCall } from './support/node-smpp.ts';
import { freePort } from './support/ports.ts';
import {
  ACCOUNTS,
  DESTINATION,
  ROUTES,
  receivedFromNodeSmpp,
  SOURCE,
  waitUntil,
} from './support/scenario.ts';
import { killAllSmscProcesses, type SmscProcess, startSmscProcess } from './support/smsc-process.ts';

/** A number routed to the Kannel account: traffic to it is mobile-originated for Kannel. */
const KANNEL_NUMBER = '46710000001';

// Kannel (bearerbox + smsbox), a widely deployed SMS gateway nobody on this project wrote, binds to
// `smsc all` as a transceiver ESME. Needs `apt-get install -y kannel` (installed by .ci/run);
// skipped where /usr/sbin/bearerbox or /usr/sbin/smsbox is missing.
describe.skipIf(!kannelInstalled)('Kannel bound to the SMSC as a transceiver', () => {
  let mongo: TestMongo;
  let smsc: SmscProcess;
  let kannel: Kannel | undefined;
  let sink: NsEsme;
  let acme: NsEsme;
  const esmes: NsEsme[] = [];
  // Kannel's calls to us: dlr-url reports and get-url MO, each as its query parameters.
  const reports: Record<string, string>[] = [];
  const mo: Record<string, string>[] = [];
  let http: Server | undefined;

  beforeAll(async () => {
    mongo = await useTestMongo();
    http = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const query = Object.fromEntries(url.searchParams);
      if (url.pathname === '/dlr') {
        reports.push(query);
        res.end('ok');
      } else {
        mo.push(query);
        // smsbox sends this body back to the MO's sender as the reply.
        res.end(`pong: ${query.text ?? ''}`);
      }
    });
    await new Promise<void>((r) => http!.listen(0, '127.0.0.1', r));
    const httpPort = (http.address() as AddressInfo).port;

    smsc = await startSmscProcess({
      role: 'all',
      mongo: { uri: mongo.uri, database: mongo.dbName },
      config: {
        // enquire_link after 200 ms of silence, so the SMSC probes Kannel's session during the test.
        smpp: { enquireLinkIntervalMs: 200 },
        // SMPP passwords are at most 8 octets (§5.2.2); Kannel sends what it is given.
        accounts: [...ACCOUNTS, { systemId: 'kannel', password: 'kannelpw' }],
        routes: [...ROUTES, { prefix: '4671', account: 'kannel' }, { prefix: '4915', account: 'acme' }],
        shutdown: { drainMs: 2000 },
      },
    });
    sink = await bindNodeSmpp(smsc.smpp!.port, 'bind_receiver', 'sink', 'sink-pw');
    esmes.push(sink);
    acme = await bindNodeSmpp(smsc.smpp!.port, 'bind_transceiver', 'acme', 'acme-pw');
    esmes.push(acme);
    kannel = await startKannel({
      smscHost: '127.0.0.1',
      smscPort: smsc.smpp!.port,
      systemId: 'kannel',
      password: 'kannelpw',
      adminPort: await freePort(),
      boxPort: await freePort(),
      sendsmsPort: await freePort(),
      moUrl: `http://127.0.0.1:${httpPort}/mo?from=%p&to=%P&text=%a`,
    });
    await kannel.waitOnline(10_000);
    reports.length = 0;
  }, 60_000);

  afterAll(async () => {
    await kannel?.stop();
    await Promise.all(esmes.map((e) => e.close()));
    await killAllSmscProcesses();
    if (http) await new Promise((r) => http!.close(r));
    await mongo?.close();
  });
  const dumpLogsOnFailure = () =>
    onTestFailed(() => {
      console.error(smsc.logs());
      console.error(kannel?.logs());
    });

  it('carries an HTTP sendsms to the sink, and calls the dlr-url with a delivered report (type 1) for the id the SMSC gave', async () => {
    dumpLogsOnFailure();
    const text = 'Hello from Kannel, via the SMSC';
    const sent = await kannel!.sendSms({
      from: SOURCE,
      to: DESTINATION,
      text,
      // Kannel escapes: %d report type, %F the SMSC's message id, %A the SMSC's reply (receipt text).
      dlrUrl: `http://127.0.0.1:${(http!.address() as AddressInfo).port}/dlr?type=%d&smscid=%F&reply=%A`,
    });
    expect(sent.status).toBe(202);
    expect(sent.body).toContain('Accepted for delivery');

    await waitUntil(
      () => sink.delivered.length >= 1 && reports.some((r) => r.type === '1'),
      15_000,
      () => `sink got ${sink.delivered.length}, reports ${JSON.stringify(reports)}`,
    );
    expect(sink.delivered.map(receivedFromNodeSmpp)).toEqual([
      expect.objectContaining({ text, to: DESTINATION, from: SOURCE, esmClass: 0, udh: '' }),
    ]);

    // Type 8 (SMSC ack) carries the id from submit_sm_resp; type 1 (delivered) the id Kannel
    // matched the receipt by. Kannel found the submit for the receipt: the same id.
    const ack = reports.find((r) => r.type === '8');
    const delivered = reports.filter((r) => r.type === '1');
    expect(delivered).toHaveLength(1);
    expect(ack?.smscid).toMatch(/^\S+$/);
    expect(delivered[0]!.smscid).toBe(ack!.smscid);
    expect(delivered[0]!.reply).toMatch(new RegExp(`^id:${ack!.smscid} .*stat:DELIVRD`));
    expect(reports.filter((r) => r.type === '2' || r.type === '16')).toEqual([]);
  });

  it('splits a long UCS2 sendsms into concatenated segments that reach the sink in order and rebuild the text, and reports it delivered', async () => {
    dumpLogsOnFailure();
    const before = sink.delivered.length;
    reports.length = 0;
    const text = Array.from({ length: 8 }, (_, i) => `Сообщение ${i} 👋`).join(' ');
    const sent = await kannel!.sendSms({
      from: SOURCE,
      to: DESTINATION,
      text,
      coding: 2,
      dlrUrl: `http://127.0.0.1:${(http!.address() as AddressInfo).port}/dlr?type=%d&smscid=%F&reply=%A`,
    });
    expect(sent.status).toBe(202);
    await waitUntil(
      () => reports.some((r) => r.type === '1'),
      15_000,
      () => `sink got ${sink.delivered.length - before}, reports ${JSON.stringify(reports)}`,
    );
    await waitUntil(
      () => sink.delivered.length - before >= 2,
      5000,
      () => `sink got ${sink.delivered.length - before} segments`,
    );
    // Kannel split it (67 UCS2 units a segment, 8-bit reference UDH); the SMSC kept the parts in
    // order and the octets intact, so the sink rebuilds the text, emoji included.
    const parts = sink.delivered.slice(before).map(receivedFromNodeSmpp);
    expect(parts.map((p) => [p.dataCoding, p.esmClass & 0x40, p.udh.slice(0, 6), p.udh.slice(8)])).toEqual([
      [8, 0x40, '050003', '0201'],
      [8, 0x40, '050003', '0202'],
    ]);
    expect(parts[0]!.udh.slice(6, 8)).toBe(parts[1]!.udh.slice(6, 8));
    expect(parts.map((p) => p.text).join('')).toBe(text);
    // Kannel asks for a receipt on the first part only; it gets that one, matched to its submit.
    const ack = reports.find((r) => r.type === '8');
    expect(reports.filter((r) => r.type === '1')).toEqual([
      expect.objectContaining({ smscid: ack?.smscid, reply: expect.stringMatching(/stat:DELIVRD/) }),
    ]);
  });

  it('delivers a message for a Kannel number to Kannel as MO, and carries its reply back to the sender, with a DELIVRD receipt for the MO', async () => {
    dumpLogsOnFailure();
    const resp = await nsCall(acme.session, 'submit_sm', {
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: SOURCE,
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: KANNEL_NUMBER,
      registered_delivery: 1,
      short_message: Buffer.from('ping 42'),
    });
    expect(resp.command_status).toBe(0);

    // acme gets two deliver_sm: the receipt for "ping 42" and Kannel's reply "pong: ping 42".
    await waitUntil(
      () => acme.delivered.length >= 2,
      15_000,
      () =>
        `MO seen by Kannel: ${JSON.stringify(mo)}, acme got ${JSON.stringify(acme.delivered.map(receivedFromNodeSmpp))}`,
    );
    // Kannel writes numbers of TON international (1) with a leading '+'.
    expect(mo).toEqual([{ from: `+${SOURCE}`, to: `+${KANNEL_NUMBER}`, text: 'ping 42' }]);
    const got = acme.delivered.map(receivedFromNodeSmpp);
    const receipt = got.find((r) => r.esmClass === 0x04);
    expect(receipt?.receiptedMessageId).toBe(resp.message_id);
    expect(receipt?.text).toMatch(new RegExp(`^id:${resp.message_id} .*stat:DELIVRD`));
    expect(got.filter((r) => r.esmClass !== 0x04)).toEqual([
      expect.objectContaining({ from: KANNEL_NUMBER, to: SOURCE, text: 'pong: ping 42' }),
    ]);
  });

  it('unbinds Kannel on SIGTERM and exits 0', async () => {
    dumpLogsOnFailure();
    expect(kannel!.logs()).not.toMatch(/type_name: unbind/);
    expect(await smsc.stop()).toBe(0);
    expect(smsc.logs()).not.toMatch(/"level":50/);
    // bearerbox's debug log dumps every PDU: it got our unbind and answered it.
    await waitUntil(
      () => /type_name: unbind_resp/.test(kannel!.logs()),
      5000,
      () => 'no unbind_resp from Kannel',
    );
  });
});
