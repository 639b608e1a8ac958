import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type NetSmppRun, netSmppInstalled } from './support/net-smpp.ts';
import { runNetSmppScenario } from './support/net-smpp-scenario.ts';
import { bindNodeSmpp, type NsEsme, nsCall } from './support/node-smpp.ts';
import { runNodeSmppScenario } from './support/node-smpp-scenario.ts';
import { ACCOUNTS, ROUTES, receivedFromNodeSmpp, SOURCE, waitUntil } from './support/scenario.ts';
import { killAllSmscProcesses, type SmscProcess, startSmscProcess } from './support/smsc-process.ts';

// The scaled-out shape: two inserters, two delivery processes and one cleanup, each its own OS
// process, coordinating only through one MongoDB (the test run's). The sink binds to one inserter
// and acme to the other, so the messages and the receipts each have to cross processes.
describe('separate smsc processes on one MongoDB', () => {
  let mongo: TestMongo;
  const esmes: NsEsme[] = [];
  const runs: NetSmppRun[] = [];
  beforeAll(async () => {
    mongo = await useTestMongo();
  });
  afterAll(async () => {
    for (const r of runs) r.kill();
    await Promise.all(esmes.map((e) => e.close()));
    await killAllSmscProcesses();
    await mongo?.close();
  });

  describe('two inserters, two delivery processes and a cleanup', () => {
    let processes: SmscProcess[] = [];
    let a: SmscProcess;
    let b: SmscProcess;
    beforeAll(async () => {
      const config = {
        smpp: { enquireLinkIntervalMs: 0 },
        accounts: ACCOUNTS,
        routes: ROUTES,
        cleanup: { intervalMs: 500, leaseMs: 5000 },
        shutdown: { drainMs: 2000 },
      };
      const start = (role: 'inserter' | 'delivery' | 'cleanup', name: string) =>
        startSmscProcess({ role, name, config, mongo: { uri: mongo.uri, database: mongo.dbName } });
      // All at once, as an orchestrator would start them: each applies the same accounts and routes.
      processes = await Promise.all([
        start('inserter', 'inserter-a'),
        start('inserter', 'inserter-b'),
        start('delivery', 'delivery-1'),
        start('delivery', 'delivery-2'),
        start('cleanup', 'cleanup'),
      ]);
      [a, b] = processes as [SmscProcess, SmscProcess];
    }, 60_000);
    const dumpLogsOnFailure = () =>
      onTestFailed(() => {
        for (const p of processes) console.error(p.logs());
        for (const r of runs) console.error(r.output());
      });

    it('node-smpp: routes the messages to the sink on the other inserter intact and in order, and the receipts back to acme', async () => {
      dumpLogsOnFailure();
      expect(a.smpp!.port).not.toBe(b.smpp!.port);
      await runNodeSmppScenario({ acmePort: a.smpp!.port, sinkPort: b.smpp!.port, reference: 0x99, esmes });
    }, 60_000);

    // Needs `apt-get install -y libnet-smpp-perl` (installed by .ci/run); skipped without it.
    it.skipIf(!netSmppInstalled)(
      'Net::SMPP: the same, with the sink on one inserter and acme (transmitter and receiver) on the other',
      async () => {
        dumpLogsOnFailure();
        await runNetSmppScenario({
          host: '127.0.0.1',
          sinkPort: b.smpp!.port,
          acmePort: a.smpp!.port,
          reference: 0x9a,
          runs,
        });
      },
      60_000,
    );

    it('all five stop with exit code 0 on SIGTERM', async () => {
      dumpLogsOnFailure();
      const codes = await Promise.all(processes.map((p) => p.stop()));
      expect(codes).toEqual([0, 0, 0, 0, 0]);
      for (const p of processes) expect(p.entries().map((e) => e.msg)).toContain('shutting down');
    }, 30_000);
  });

  it('unbinds the sink when its inserter stops with SIGTERM; rebound on the other inserter it gets the rest in order, and acme every receipt', async () => {
    const config = {
      smpp: { enquireLinkIntervalMs: 0 },
      accounts: ACCOUNTS,
      routes: ROUTES,
      shutdown: { drainMs: 2000 },
    };
    const start = (name: string) =>
      startSmscProcess({ role: 'inserter', name, config, mongo: { uri: mongo.uri, database: mongo.dbName } });
    const [a, b] = await Promise.all([start('inserter-a'), start('inserter-b')]);
    onTestFailed(() => {
      for (const p of [a, b]) console.error(p.logs());
    });
    const sinkOnB = await bindNodeSmpp(b.smpp!.port, 'bind_receiver', 'sink', 'sink-pw');
    esmes.push(sinkOnB);
    const acme = await bindNodeSmpp(a.smpp!.port, 'bind_transceiver', 'acme', 'acme-pw');
    esmes.push(acme);
    const to = '46700000031';
    const ids: string[] = [];
    const send = async (text: string) => {
      const resp = await nsCall(acme.session, 'submit_sm', {
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: SOURCE,
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: to,
        registered_delivery: 1,
        short_message: Buffer.from(text),
      });
      expect(resp.command_status).toBe(0);
      ids.push(resp.message_id ?? '');
    };
    const texts = Array.from({ length: 10 }, (_, i) => `message ${i + 1}`);
    for (const text of texts.slice(0, 5)) await send(text);
    await waitUntil(
      () => sinkOnB.delivered.length >= 5,
      10_000,
      () => `sink on b got ${sinkOnB.delivered.length} of 5`,
    );

    // Graceful stop: B unbinds the sink (§4.2) and exits 0.
    expect(await b.stop()).toBe(0);
    expect(sinkOnB.unboundBySmsc()).toBe(true);

    // With no receiving bind anywhere, these wait in the store...
    for (const text of texts.slice(5)) await send(text);
    // ...and start as soon as the sink binds to A.
    const sinkOnA = await bindNodeSmpp(a.smpp!.port, 'bind_receiver', 'sink', 'sink-pw');
    esmes.push(sinkOnA);
    await waitUntil(
      () => sinkOnA.delivered.length >= 5 && acme.delivered.length >= 10,
      10_000,
      () => `sink on a got ${sinkOnA.delivered.length} of 5, acme ${acme.delivered.length} of 10 receipts`,
    );
    await new Promise((r) => setTimeout(r, 300));
    const textsOf = (e: NsEsme) => e.delivered.map((p) => receivedFromNodeSmpp(p).text);
    expect([...textsOf(sinkOnB), ...textsOf(sinkOnA)]).toEqual(texts);
    expect(acme.delivered.map((p) => p.receipted_message_id).sort()).toEqual([...ids].sort());

    await Promise.all([acme.close(), sinkOnA.close()]);
    expect(await a.stop()).toBe(0);
  }, 60_000);
});
