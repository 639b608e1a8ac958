import { buildPdu, decodePdu, encodePdu, type PduOf } from '@smsc/smpp';
import { SmsState } from '@smsc/store';
import { Binary } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { toDeliverSm } from '../src/index.ts';
import { record } from './helpers.ts';

function onTheWire(r: ReturnType<typeof record>): PduOf<'deliver_sm'> {
  return decodePdu(encodePdu(buildPdu({ ...toDeliverSm(r), sequenceNumber: 1 }))) as PduOf<'deliver_sm'>;
}

describe('toDeliverSm', () => {
  it('carries the submitted addresses, coding and bytes, with the deliver_sm-only fields empty', () => {
    const r = record({}, 'x');
    r.payload = {
      ...r.payload,
      serviceType: 'CMT',
      esmClass: 0x43, // UDHI + store-and-forward mode
      protocolId: 0x7f,
      priorityFlag: 1,
      dataCoding: 8,
      shortMessage: new Binary(Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, 0x01, 0x00, 0x41])),
    };
    const pdu = onTheWire(r);
    expect(pdu).toMatchObject({
      serviceType: 'CMT',
      sourceAddrTon: 5,
      sourceAddr: 'ACME',
      destAddrTon: 1,
      destAddrNpi: 1,
      destinationAddr: '46700000001',
      // §5.2.12: the messaging mode is dropped, UDHI stays.
      esmClass: 0x40,
      protocolId: 0x7f,
      priorityFlag: 1,
      registeredDelivery: 0,
      dataCoding: 8,
      scheduleDeliveryTime: '',
      validityPeriod: '',
      replaceIfPresentFlag: 0,
      smDefaultMsgId: 0,
    });
    expect([...pdu.shortMessage]).toEqual([0x05, 0x00, 0x03, 0x2a, 0x02, 0x01, 0x00, 0x41]);
  });

  it('passes deliver_sm TLVs byte-exactly and drops submit-only ones', () => {
    const r = record();
    r.payload.tlvs = [
      { tag: 0x020c, value: new Binary(Buffer.from([0x12, 0x34])) }, // sar_msg_ref_num
      { tag: 0x0017, value: new Binary(Buffer.from([0, 0, 0, 9])) }, // qos_time_to_live: submit only
      { tag: 0x0424, value: new Binary(Buffer.from('a long payload')) }, // message_payload
    ];
    const pdu = onTheWire(r);
    expect(pdu.tlvs?.sarMsgRefNum).toBe(0x1234);
    expect(pdu.tlvs?.messagePayload?.toString()).toBe('a long payload');
    expect(pdu.tlvs?.qosTimeToLive).toBeUndefined();
  });

  it('keeps the message type of mobile-originated traffic injected as deliver_sm', () => {
    const r = record();
    r.payload = { ...r.payload, command: 'deliver_sm', esmClass: 0x44 };
    expect(onTheWire(r).esmClass).toBe(0x44);
  });

  it('formats a queued receipt as an Appendix B receipt', () => {
    const r = record({
      _id: 'abc.r',
      kind: 'receipt',
      receiptOf: {
        messageId: 'abc',
        state: SmsState.delivered,
        submittedAt: new Date('2026-01-01T00:00:00Z'),
        doneAt: new Date('2026-01-01T00:01:00Z'),
        attempts: 1,
      },
    });
    const pdu = onTheWire(r);
    expect(pdu.esmClass).toBe(0x04);
    expect(pdu.tlvs?.receiptedMessageId).toBe('abc');
    expect(pdu.shortMessage.toString('latin1')).toMatch(/^id:abc sub:001 dlvrd:001 .* stat:DELIVRD err:000/);
  });
});
