import { expect } from 'vitest';
import { bindNodeSmpp, type NsEsme, nsCall } from './node-smpp.ts';
import {
  DESTINATION,
  expectDeliveredIntactInOrder,
  expectReceiptsMatch,
  receivedFromNodeSmpp,
  SOURCE,
  scenarioParts,
  waitUntil,
} from './scenario.ts';

export type NodeSmppScenarioOptions = {
  /** Where acme binds (transceiver: it submits and takes the receipts). */
  acmePort: number;
  /** Where the sink binds as a receiver; another inserter than acme's in the scaled-out shape. */
  sinkPort: number;
  /** The concatenation reference of the long message, so runs on one SMSC never mix parts. */
  reference: number;
  /** Sessions opened here are added, so the suite's afterAll closes them if a check fails. */
  esmes: NsEsme[];
};

/**
 * The scenario with node-smpp as both ESMEs: acme submits GSM, UCS2 and a 3-segment text with
 * registered_delivery 1; the sink must get them intact and in order, acme one DELIVRD receipt per
 * part carrying exactly the submit_sm_resp ids. Unbinds both at the end.
 */
export async function runNodeSmppScenario(o: NodeSmppScenarioOptions): Promise<void> {
  const sink = await bindNodeSmpp(o.sinkPort, 'bind_receiver', 'sink', 'sink-pw');
  o.esmes.push(sink);
  const acme = await bindNodeSmpp(o.acmePort, 'bind_transceiver', 'acme', 'acme-pw');
  o.esmes.push(acme);

  const parts = scenarioParts(o.reference);
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
}
