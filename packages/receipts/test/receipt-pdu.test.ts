import { buildPdu, decodePdu, encodePdu, MessageState, type PduOf, parseReceipt } from '@smsc/smpp';
import { type SmsRecord, SmsState } from '@smsc/store';
import { Binary } from 'mongodb';
import { describe, expect, it } from 'vitest';
import {
  describeCommandStatus,
  NotAReceiptError,
  ReceiptsErrorCode,
  receiptContent,
  receiptDeliverSm,
  receiptErrorCode,
  receiptStatus,
} from '../src/index.ts';

function receiptRecord(of: Partial<NonNullable<SmsRecord['receiptOf']>> = {}): SmsRecord {
  const at = new Date('2026-03-04T05:06:07Z');
  return {
    _id: '0a1b2c3d4e.r',
    kind: 'receipt',
    state: SmsState.queued,
    arrivedAt: at,
    updatedAt: at,
    destMsisdn: '4915100000000',
    priority: 0,
    receipt: 'none',
    expiresAt: new Date(at.getTime() + 3600_000),
    nextAttemptAt: at,
    attempts: 0,
    lock: null,
    rev: 0,
    payload: {
      command: 'receipt',
      serviceType: 'CMT',
      source: { ton: 1, npi: 1, addr: '46701234567' },
      destination: { ton: 1, npi: 1, addr: '4915100000000' },
      esmClass: 0x04,
      protocolId: 0,
      priorityFlag: 2,
      registeredDelivery: 0,
      replaceIfPresent: 0,
      dataCoding: 8,
      smDefaultMsgId: 0,
      shortMessage: new Binary(Buffer.alloc(0)),
      tlvs: [],
    },
    target: 'esme:acme',
    accountId: 'acme',
    history: [],
    receiptOf: {
      messageId: '0a1b2c3d4e',
      state: SmsState.delivered,
      submittedAt: new Date('2026-03-04T05:01:00Z'),
      doneAt: new Date('2026-03-04T05:02:00Z'),
      attempts: 1,
      ...of,
    },
  };
}

describe('receipt deliver_sm', () => {
  it('carries the Appendix B text, esm_class 0x04 and the three receipt TLVs', () => {
    const input = receiptDeliverSm(receiptRecord());
    // Through the codec, as an ESME would see it.
    const pdu = decodePdu(encodePdu(buildPdu({ ...input, sequenceNumber: 7 }))) as PduOf<'deliver_sm'>;
    expect(pdu.esmClass).toBe(0x04);
    expect(pdu.dataCoding).toBe(0);
    expect(pdu.sourceAddr).toBe('46701234567');
    expect(pdu.destinationAddr).toBe('4915100000000');
    expect(pdu.shortMessage.toString('latin1')).toBe(
      'id:0a1b2c3d4e sub:001 dlvrd:001 submit date:2603040501 done date:2603040502 stat:DELIVRD err:000 text:',
    );
    expect(pdu.tlvs).toMatchObject({
      receiptedMessageId: '0a1b2c3d4e',
      messageState: MessageState.DELIVERED,
      networkErrorCode: { networkType: 3, errorCode: 0 },
    });
  });

  it('reports the id the submit_sm_resp carried, not the receipt record id', () => {
    const parsed = parseReceipt(receiptContent(receiptRecord()).text);
    expect(parsed?.id).toBe('0a1b2c3d4e');
  });

  it('reports an ESME failure status as UNDELIV with its code in err and network_error_code', () => {
    const record = receiptRecord({
      state: SmsState.failed,
      error: `deliver_sm refused: ${describeCommandStatus(0x65, 'ESME_RX_P_APPN')}`,
    });
    const content = receiptContent(record);
    expect(content.text).toContain('stat:UNDELIV err:101 ');
    expect(content.messageState).toBe(MessageState.UNDELIVERABLE);
    expect(receiptDeliverSm(record).tlvs?.networkErrorCode).toEqual({ networkType: 3, errorCode: 0x65 });
  });

  it('maps expiry to EXPIRED with dlvrd 000', () => {
    const content = receiptContent(receiptRecord({ state: SmsState.expired }));
    expect(content.text).toMatch(/sub:001 dlvrd:000 .* stat:EXPIRED err:000 text:$/);
    expect(content.messageState).toBe(MessageState.EXPIRED);
  });

  it('writes the first 20 characters of a given original text', () => {
    const content = receiptContent(receiptRecord(), { text: 'abcdefghijklmnopqrstuvwxyz' });
    expect(content.text.endsWith('text:abcdefghijklmnopqrst')).toBe(true);
  });

  it('refuses a record that is not a receipt', () => {
    const record = { ...receiptRecord(), kind: 'message' as const };
    expect(() => receiptDeliverSm(record)).toThrow(NotAReceiptError);
    try {
      receiptDeliverSm(record);
    } catch (error) {
      expect((error as NotAReceiptError).code).toBe(ReceiptsErrorCode.notAReceipt);
    }
  });
});

describe('receipt status and error code', () => {
  it.each([
    [SmsState.delivered, 'DELIVRD', 2],
    [SmsState.expired, 'EXPIRED', 3],
    [SmsState.cancelled, 'DELETED', 4],
    [SmsState.failed, 'UNDELIV', 5],
  ] as const)('%s -> stat %s, message_state %i', (state, stat, messageState) => {
    expect(receiptStatus(state)).toEqual({ stat, messageState });
  });

  it('reads an SMPP status written by describeCommandStatus and nothing else', () => {
    expect(receiptErrorCode(describeCommandStatus(0x58))).toBe(0x58);
    expect(receiptErrorCode('max attempts (10) reached: command_status 0x00000064 (ESME_RX_T_APPN)')).toBe(
      0x64,
    );
    expect(receiptErrorCode('socket closed 0x65')).toBe(0);
    expect(receiptErrorCode(undefined)).toBe(0);
  });
});

describe('receipt text: the first 20 characters of the original message', () => {
  const content = (dataCoding: number, esmClass: number, bytes: Buffer) => ({
    dataCoding,
    esmClass,
    head: new Binary(bytes),
  });

  it('reads GSM text and cuts it at 20 characters', () => {
    const r = receiptRecord({ content: content(0, 0, Buffer.from('Hello from the tour, with more')) });
    expect(receiptContent(r).text.endsWith('text:Hello from the tour,')).toBe(true);
  });

  it('skips a concatenation UDH and decodes UCS2, writing non-ASCII characters as ?', () => {
    const udh = Buffer.from([0x05, 0x00, 0x03, 0x07, 0x02, 0x01]);
    const ucs2 = Buffer.from('Grüße 😀 ok', 'utf16le').swap16();
    const r = receiptRecord({ content: content(8, 0x40, Buffer.concat([udh, ucs2])) });
    expect(receiptContent(r).text.endsWith('text:Gr??e ? ok')).toBe(true);
  });

  it('leaves text empty for receipts queued without content', () => {
    expect(receiptContent(receiptRecord()).text.endsWith('text:')).toBe(true);
  });
});
