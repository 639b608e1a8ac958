import { describe, expect, it, onTestFailed } from 'vitest';
import { bindNodeSmpp, type NsEsme, nsCall } from './support/node-smpp.ts';
import { receivedFromNodeSmpp, SOURCE, waitUntil } from './support/scenario.ts';
import { useSmscAll } from './support/smsc-all.ts';

// SMPP 3.4 §5.1.3 and §5.2.28.
const ESME_RCANCELFAIL = 0x11;
const ESME_RQUERYFAIL = 0x67;
const ENROUTE = 1;
const DELIVERED = 2;
const DELETED = 4;

// query_sm, replace_sm and cancel_sm (§4.8-4.10) from node-smpp on messages that wait for the sink
// to bind, through `smsc all`.
describe('query_sm, replace_sm and cancel_sm from node-smpp', () => {
  const all = useSmscAll();

  it('queries, replaces and cancels waiting messages: the sink gets only the replaced text, acme the receipt of the delivered one', async () => {
    onTestFailed(() => console.error(all.smsc.logs()));
    const port = all.smsc.smpp!.port;
    const acme = await bindNodeSmpp(port, 'bind_transceiver', 'acme', 'acme-pw');
    all.esmes.push(acme);
    const source = { source_addr_ton: 1, source_addr_npi: 1, source_addr: SOURCE };
    const submit = async (to: string, text: string) => {
      const resp = await nsCall(acme.session, 'submit_sm', {
        ...source,
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: to,
        registered_delivery: 1,
        short_message: Buffer.from(text),
      });
      expect(resp.command_status).toBe(0);
      return resp.message_id!;
    };
    const query = (esme: NsEsme, id: string) =>
      nsCall(esme.session, 'query_sm', { message_id: id, ...source });
    const cancel = (id: string) => nsCall(acme.session, 'cancel_sm', { message_id: id, ...source });

    // No sink bound: both wait in the store.
    const toCancel = await submit('46700000071', 'cancel me');
    const toReplace = await submit('46700000072', 'original text');
    const queued = await query(acme, toCancel);
    expect([queued.command_status, queued.message_id, queued.message_state]).toEqual([0, toCancel, ENROUTE]);

    // Another account cannot see acme's message.
    const other = await bindNodeSmpp(port, 'bind_transmitter', 'sink', 'sink-pw');
    all.esmes.push(other);
    expect((await query(other, toCancel)).command_status).toBe(ESME_RQUERYFAIL);

    const replaced = await nsCall(acme.session, 'replace_sm', {
      message_id: toReplace,
      ...source,
      registered_delivery: 1,
      short_message: Buffer.from('replaced text'),
    });
    expect(replaced.command_status).toBe(0);

    expect((await cancel(toCancel)).command_status).toBe(0);
    expect((await query(acme, toCancel)).message_state).toBe(DELETED);
    expect((await cancel(toCancel)).command_status).toBe(ESME_RCANCELFAIL);

    const sink = await bindNodeSmpp(port, 'bind_receiver', 'sink', 'sink-pw');
    all.esmes.push(sink);
    await waitUntil(
      () => sink.delivered.length >= 1 && acme.delivered.length >= 1,
      10_000,
      () =>
        `sink got ${sink.delivered.length}, acme ${JSON.stringify(acme.delivered.map(receivedFromNodeSmpp))}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.delivered.map((p) => [p.destination_addr, receivedFromNodeSmpp(p).text])).toEqual([
      ['46700000072', 'replaced text'],
    ]);
    expect((await query(acme, toReplace)).message_state).toBe(DELIVERED);
    const receipts = Object.fromEntries(
      acme.delivered
        .map(receivedFromNodeSmpp)
        .map((r) => [r.receiptedMessageId, r.text.match(/stat:(\S+)/)?.[1]]),
    );
    // No receipt for the cancelled message: the store's rule (transitions.ts wantsReceipt) is that
    // the ESME that cancelled it already knows.
    expect(receipts).toEqual({ [toReplace]: 'DELIVRD' });
  }, 30_000);
});
