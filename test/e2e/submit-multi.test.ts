import { describe, expect, it, onTestFailed } from 'vitest';
import { bindNodeSmpp, nsCall } from './support/node-smpp.ts';
import { receivedFromNodeSmpp, SOURCE, waitUntil } from './support/scenario.ts';
import { useSmscAll } from './support/smsc-all.ts';

const ESME_RINVDSTADR = 0x0b;

// submit_multi (SMPP 3.4 §4.5) encoded by node-smpp, through `smsc all`.
describe('submit_multi from node-smpp', () => {
  const all = useSmscAll();
  let multi: { respId: string; receiptIds: string[] } | undefined;

  it('delivers to each routable destination, lists the unroutable one in unsuccess_sme, and sends one receipt per destination', async () => {
    onTestFailed(() => console.error(all.smsc.logs()));
    const sink = await bindNodeSmpp(all.smsc.smpp!.port, 'bind_receiver', 'sink', 'sink-pw');
    const acme = await bindNodeSmpp(all.smsc.smpp!.port, 'bind_transceiver', 'acme', 'acme-pw');
    all.esmes.push(sink, acme);
    const dest = (addr: string) => ({ dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: addr });
    const resp = await nsCall(acme.session, 'submit_multi', {
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: SOURCE,
      dest_address: [dest('46700000051'), dest('49990000001'), dest('46700000052')],
      registered_delivery: 1,
      short_message: Buffer.from('to many'),
    });
    expect(resp.command_status).toBe(0);
    expect(resp.message_id).toMatch(/^\S+$/);
    expect(resp.unsuccess_sme).toEqual([
      {
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: '49990000001',
        error_status_code: ESME_RINVDSTADR,
      },
    ]);
    await waitUntil(
      () => sink.delivered.length >= 2 && acme.delivered.length >= 2,
      10_000,
      () => `sink got ${sink.delivered.length}, acme ${acme.delivered.length}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.delivered.map((p) => [p.destination_addr, receivedFromNodeSmpp(p).text]).sort()).toEqual([
      ['46700000051', 'to many'],
      ['46700000052', 'to many'],
    ]);
    const receipts = acme.delivered.map(receivedFromNodeSmpp);
    expect(receipts.map((r) => r.from).sort()).toEqual(['46700000051', '46700000052']);
    for (const r of receipts) {
      expect(r).toMatchObject({ esmClass: 4, to: SOURCE, messageState: 2 });
      expect(r.text).toMatch(new RegExp(`^id:${r.receiptedMessageId} .*stat:DELIVRD`));
    }
    // The first destination's record carries the id of the resp.
    expect(receipts.find((r) => r.from === '46700000051')?.receiptedMessageId).toBe(resp.message_id);
    multi = { respId: resp.message_id!, receiptIds: receipts.map((r) => r.receiptedMessageId!) };
  });

  // submit_multi_resp carries one message_id (§4.5.2), the id the ESME keeps: every destination's
  // receipt must carry it, not the id of the record the SMSC keeps per destination.
  it('sends the receipt of every destination with the id the submit_multi_resp gave', () => {
    expect(multi).toBeDefined();
    expect(multi!.receiptIds).toEqual([multi!.respId, multi!.respId]);
  });
});
