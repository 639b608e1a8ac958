import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { bindNodeSmpp, type NsEsme, nsCall } from './support/node-smpp.ts';
import {
  ACCOUNTS,
  DESTINATION,
  expectDeliveredIntactInOrder,
  expectReceiptsMatch,
  ROUTES,
  receivedFromNodeSmpp,
  SOURCE,
  scenarioParts,
  waitUntil,
} from './support/scenario.ts';
import { killAllSmscProcesses, startSmscProcess } from './support/smsc-process.ts';

// `smsc all` as one OS process with its own in-memory MongoDB (no URI: the first-run path), driven
// only by node-smpp, an SMPP implementation nobody on this project wrote.
describe('smsc all driven by node-smpp', () => {
  const esmes: NsEsme[] = [];
  afterAll(async () => {
    await Promise.all(esmes.map((e) => e.close()));
    await killAllSmscProcesses();
  });

  it('delivers GSM, UCS2 and a 3-segment message intact and in order to the sink, and one DELIVRD receipt per part with the submit ids to acme', async () => {
    const smsc = await startSmscProcess({
      role: 'all',
      config: {
        smpp: { enquireLinkIntervalMs: 0 },
        accounts: ACCOUNTS,
        routes: ROUTES,
        shutdown: { drainMs: 2000 },
      },
    });
    onTestFailed(() => console.error(smsc.logs()));
    const port = smsc.smpp!.port;

    const sink = await bindNodeSmpp(port, 'bind_receiver', 'sink', 'sink-pw');
    esmes.push(sink);
    const acme = await bindNodeSmpp(port, 'bind_transceiver', 'acme', 'acme-pw');
    esmes.push(acme);

    const parts = scenarioParts(0x2a);
    const ids: string[] = [];
    for (const part of parts) {
      const resp = await nsCall(acme.session, 'submit_sm', {
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: SOURCE,
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: DESTINATION,
        esm_class: part.esmClass,
        data_coding: part.dataCoding,
        registered_delivery: 1,
        short_message: part.shortMessage,
      });
      expect(resp.command_status, part.label).toBe(0);
      ids.push(resp.message_id ?? '');
    }

    await waitUntil(
      () => sink.delivered.length >= parts.length && acme.delivered.length >= parts.length,
      15_000,
      () => `sink got ${sink.delivered.length}, acme got ${acme.delivered.length} of ${parts.length}`,
    );
    // Anything extra (a duplicate) would arrive right behind; give it a moment to show up.
    await new Promise((r) => setTimeout(r, 300));

    expectDeliveredIntactInOrder(sink.delivered.map(receivedFromNodeSmpp), parts);
    expectReceiptsMatch(acme.delivered.map(receivedFromNodeSmpp), ids);

    await acme.close();
    await sink.close();
    expect(await smsc.stop()).toBe(0);
  }, 40_000);
});
