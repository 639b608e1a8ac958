import { parseReceipt } from '@smsc/smpp';
import { createStore, RECEIPT_ID_SUFFIX, type SmsRecord, type Store } from '@smsc/store';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCommandStatus, receiptContent, receiptDeliverSm } from '../src/index.ts';

const LEASE = 30_000;

describe('receipts from the store', () => {
  let mongo: TestMongo;
  let store: Store;
  beforeAll(async () => {
    mongo = await useTestMongo();
    store = createStore({ db: await mongo.db(), eventsSizeBytes: 1024 * 1024 });
    await store.migrate();
  });
  afterAll(() => mongo.close());

  async function submit(dest: string, segment?: { ref: number; total: number; seq: number }) {
    return store.queue({
      payload: {
        source: { ton: 1, npi: 1, addr: '4915100000001' },
        destination: { ton: 1, npi: 1, addr: dest },
        registeredDelivery: 1,
        shortMessage: Buffer.from('part'),
      },
      target: 'esme:sink',
      accountId: 'acme',
      ...(segment ? { segment } : {}),
    });
  }

  /** Claims every queued message of `dest` for the sink and records `outcome` for each. */
  async function deliverAll(dest: string, outcome: 'delivered' | 'failed'): Promise<SmsRecord[]> {
    const token = store.newToken();
    const claim = await store.claimOne({ owner: 'w', token, leaseMs: LEASE, targets: ['esme:sink'] });
    expect(claim).not.toBeNull();
    expect(await store.claimDestination(dest, { owner: 'w', token, leaseMs: LEASE })).toBe(true);
    const { batch } = await store.claimMore(claim!.message, { owner: 'w', token, leaseMs: LEASE });
    await store.finish(
      batch.map((message) => ({
        message,
        token,
        owner: 'w',
        outcome:
          outcome === 'delivered'
            ? { type: 'delivered' as const }
            : { type: 'failed' as const, error: describeCommandStatus(0x65, 'ESME_RX_P_APPN') },
      })),
      [{ destMsisdn: dest, token }],
    );
    return batch;
  }

  it('turns each segment of a long message into its own receipt to the submitting account', async () => {
    const parts = [
      await submit('46700000001', { ref: 9, total: 3, seq: 1 }),
      await submit('46700000001', { ref: 9, total: 3, seq: 2 }),
      await submit('46700000001', { ref: 9, total: 3, seq: 3 }),
    ];
    const batch = await deliverAll('46700000001', 'delivered');
    expect(batch.map((m) => m._id)).toEqual(parts.map((m) => m._id));

    for (const part of parts) {
      const receipt = await store.get(part._id + RECEIPT_ID_SUFFIX);
      expect(receipt).not.toBeNull();
      expect(receipt!.target).toBe('esme:acme');
      const pdu = receiptDeliverSm(receipt!);
      expect(pdu.sourceAddr).toBe('46700000001');
      expect(pdu.destinationAddr).toBe('4915100000001');
      expect(pdu.tlvs?.receiptedMessageId).toBe(part._id);
      const parsed = parseReceipt(pdu.shortMessage!.toString('latin1'));
      expect(parsed).toMatchObject({
        id: part._id,
        stat: 'DELIVRD',
        sub: 1,
        dlvrd: 1,
        err: '000',
        text: 'part',
      });
    }
  });

  it('reports a permanent refusal by the receiving ESME with its status', async () => {
    const m = await submit('46700000002');
    await deliverAll('46700000002', 'failed');
    const receipt = await store.get(m._id + RECEIPT_ID_SUFFIX);
    const content = receiptContent(receipt!);
    expect(parseReceipt(content.text)).toMatchObject({ id: m._id, stat: 'UNDELIV', err: '101' });
  });
});
