import { describe, expect, it, onTestFailed } from 'vitest';
import { bindNodeSmpp, type NsPdu, nodeSmppCoders, nsCall } from './support/node-smpp.ts';
import { LONG_TEXT, SOURCE, waitUntil } from './support/scenario.ts';
import { useSmscAll } from './support/smsc-all.ts';

/** node-smpp decodes message_payload like short_message: `{ message }` in the PDU's data_coding. */
const payloadText = (p: NsPdu) => String(p.message_payload?.message ?? '');

// The two other ways SMPP carries a long message (§5.3.2.32 message_payload, §5.3.2.22-24 SAR
// TLVs), encoded by node-smpp, through `smsc all`: the sink gets them as sent, in order.
describe('long messages in message_payload and with SAR TLVs, from node-smpp', () => {
  const all = useSmscAll();

  it('delivers a 400-character message_payload whole, and three SAR-tagged segments in order with their TLVs, each with its receipt', async () => {
    onTestFailed(() => console.error(all.smsc.logs()));
    const sink = await bindNodeSmpp(all.smsc.smpp!.port, 'bind_receiver', 'sink', 'sink-pw');
    const acme = await bindNodeSmpp(all.smsc.smpp!.port, 'bind_transceiver', 'acme', 'acme-pw');
    all.esmes.push(sink, acme);
    const base = {
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: SOURCE,
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      registered_delivery: 1,
      data_coding: 0,
    };
    const ids: string[] = [];
    const submit = async (fields: Record<string, unknown>) => {
      const resp = await nsCall(acme.session, 'submit_sm', { ...base, ...fields });
      expect(resp.command_status).toBe(0);
      ids.push(resp.message_id!);
    };
    // sm_length 0 and the whole text in message_payload (§5.3.2.32).
    await submit({
      destination_addr: '46700000061',
      message_payload: nodeSmppCoders.ASCII.encode(LONG_TEXT),
    });
    const chunks = [LONG_TEXT.slice(0, 153), LONG_TEXT.slice(153, 306), LONG_TEXT.slice(306)];
    for (const [i, chunk] of chunks.entries())
      await submit({
        destination_addr: '46700000062',
        short_message: nodeSmppCoders.ASCII.encode(chunk),
        sar_msg_ref_num: 0x1234,
        sar_total_segments: 3,
        sar_segment_seqnum: i + 1,
      });

    await waitUntil(
      () => sink.delivered.length >= 4 && acme.delivered.length >= 4,
      10_000,
      () => `sink got ${sink.delivered.length}, acme ${acme.delivered.length}`,
    );
    const payload = sink.delivered.filter((p) => p.destination_addr === '46700000061');
    expect(payload.map(payloadText)).toEqual([LONG_TEXT]);
    const sar = sink.delivered.filter((p) => p.destination_addr === '46700000062');
    expect(
      sar.map((p) => [
        String(p.short_message?.message),
        p.sar_msg_ref_num,
        p.sar_total_segments,
        p.sar_segment_seqnum,
      ]),
    ).toEqual(chunks.map((c, i) => [c, 0x1234, 3, i + 1]));
    expect(acme.delivered.map((p) => p.receipted_message_id).sort()).toEqual([...ids].sort());
  });
});
