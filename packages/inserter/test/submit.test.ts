import { buildUdh, CommandStatus, concatElement, MessageState } from '@smsc/smpp';
import { describe, expect, it } from 'vitest';
import { bindAs, useInserterWithAcme } from './helpers.ts';

const S = CommandStatus;
const SOURCE = { sourceAddrTon: 1, sourceAddrNpi: 1, sourceAddr: '4915100000001' };
const dest = (addr: string) => ({ destAddrTon: 1, destAddrNpi: 1, destinationAddr: addr });

describe('storing messages', () => {
  const suite = useInserterWithAcme();

  it('stores a submit_sm as received and answers with the stored id', async () => {
    const resp = await suite.acme.request({
      command: 'submit_sm',
      ...SOURCE,
      ...dest('46701234567'),
      serviceType: 'CMT',
      registeredDelivery: 1,
      dataCoding: 8,
      priorityFlag: 2,
      shortMessage: Buffer.from('00480069', 'hex'),
    });
    expect(resp.commandStatus).toBe(S.ESME_ROK);
    expect(resp.messageId).toMatch(/^[0-9a-z]{10}$/);
    const stored = await suite.fixture.store.get(resp.messageId);
    expect(stored).toMatchObject({
      state: 'queued',
      accountId: 'acme',
      target: 'esme:sink',
      destMsisdn: '46701234567',
      receipt: 'final',
      priority: 2,
      payload: {
        command: 'submit_sm',
        serviceType: 'CMT',
        source: { ton: 1, npi: 1, addr: '4915100000001' },
        destination: { ton: 1, npi: 1, addr: '46701234567' },
        dataCoding: 8,
      },
    });
    expect(Buffer.from(stored?.payload.shortMessage.buffer ?? [])).toEqual(Buffer.from('00480069', 'hex'));
    const event = await suite.fixture.store.collections.events.findOne({ smsId: resp.messageId });
    expect(event?.type).toBe('sms.queued');
  });

  it('keeps the segment position of a concatenated part (UDH)', async () => {
    const udh = buildUdh([concatElement({ reference: 0x42, total: 3, sequence: 2, referenceBits: 8 })]);
    const resp = await suite.acme.request({
      command: 'submit_sm',
      ...SOURCE,
      ...dest('46701234567'),
      esmClass: 0x40,
      shortMessage: Buffer.concat([udh, Buffer.from('part two')]),
    });
    expect(resp.commandStatus).toBe(S.ESME_ROK);
    expect((await suite.fixture.store.get(resp.messageId))?.segment).toEqual({ ref: 0x42, total: 3, seq: 2 });
  });

  it('keeps the segment position from SAR TLVs and the message_payload TLV', async () => {
    const resp = await suite.acme.request({
      command: 'submit_sm',
      ...SOURCE,
      ...dest('46701234567'),
      tlvs: {
        sarMsgRefNum: 7,
        sarTotalSegments: 2,
        sarSegmentSeqnum: 1,
        messagePayload: Buffer.from('long text'),
      },
    });
    expect(resp.commandStatus).toBe(S.ESME_ROK);
    const stored = await suite.fixture.store.get(resp.messageId);
    expect(stored?.segment).toEqual({ ref: 7, total: 2, seq: 1 });
    const payload = stored?.payload.tlvs.find((t) => t.tag === 0x0424);
    expect(Buffer.from(payload?.value.buffer ?? []).toString()).toBe('long text');
  });

  it('stores a data_sm with its message_payload', async () => {
    const resp = await suite.acme.request({
      command: 'data_sm',
      ...SOURCE,
      ...dest('46709999999'),
      tlvs: { messagePayload: Buffer.from('via data_sm'), qosTimeToLive: 3600 },
    });
    expect(resp.commandStatus).toBe(S.ESME_ROK);
    const stored = await suite.fixture.store.get(resp.messageId);
    expect(stored?.payload.command).toBe('data_sm');
    const ttl = (stored?.expiresAt.getTime() ?? 0) - (stored?.arrivedAt.getTime() ?? 0);
    expect(ttl).toBeGreaterThan(3_590_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
  });

  it('stores one record per submit_multi destination and lists the refused ones', async () => {
    const resp = await suite.acme.request({
      command: 'submit_multi',
      ...SOURCE,
      destAddresses: [
        { destFlag: 1, destAddrTon: 1, destAddrNpi: 1, destinationAddr: '46700000001' },
        { destFlag: 1, destAddrTon: 1, destAddrNpi: 1, destinationAddr: '99900000000' },
        { destFlag: 2, dlName: 'friends' },
        { destFlag: 1, destAddrTon: 1, destAddrNpi: 1, destinationAddr: '46700000002' },
        { destFlag: 1, destAddrTon: 1, destAddrNpi: 1, destinationAddr: 'not-a-number' },
      ],
      shortMessage: Buffer.from('to many'),
    });
    expect(resp.commandStatus).toBe(S.ESME_ROK);
    expect(resp.unsuccessSmes).toEqual([
      { destAddrTon: 1, destAddrNpi: 1, destinationAddr: '99900000000', errorStatusCode: S.ESME_RINVDSTADR },
      { destAddrTon: 0, destAddrNpi: 0, destinationAddr: 'friends', errorStatusCode: S.ESME_RINVDLNAME },
      { destAddrTon: 1, destAddrNpi: 1, destinationAddr: 'not-a-number', errorStatusCode: S.ESME_RINVDSTADR },
    ]);
    const stored = await suite.fixture.store.find({ 'payload.command': 'submit_multi' });
    expect(stored.map((m) => m.destMsisdn).sort()).toEqual(['46700000001', '46700000002']);
    expect(stored.map((m) => m._id)).toContain(resp.messageId);
    // One id names the submit_multi: the later destination carries it as submitId.
    const later = stored.find((m) => m._id !== resp.messageId);
    expect(later?.submitId).toBe(resp.messageId);
  });

  it('cancels every destination of a submit_multi by the id its resp carried', async () => {
    const resp = await suite.acme.request({
      command: 'submit_multi',
      ...SOURCE,
      scheduleDeliveryTime: '000001000000000R',
      destAddresses: [
        { destFlag: 1, destAddrTon: 1, destAddrNpi: 1, destinationAddr: '46700000011' },
        { destFlag: 1, destAddrTon: 1, destAddrNpi: 1, destinationAddr: '46700000012' },
        { destFlag: 1, destAddrTon: 1, destAddrNpi: 1, destinationAddr: '46700000013' },
      ],
      shortMessage: Buffer.from('cancel us'),
    });
    expect(resp.commandStatus).toBe(S.ESME_ROK);
    const one = await suite.acme.request({
      command: 'cancel_sm',
      messageId: resp.messageId,
      ...SOURCE,
      destAddrTon: 1,
      destAddrNpi: 1,
      destinationAddr: '46700000013',
    });
    expect(one.commandStatus).toBe(S.ESME_ROK);
    const rest = await suite.acme.request({ command: 'cancel_sm', messageId: resp.messageId, ...SOURCE });
    expect(rest.commandStatus).toBe(S.ESME_ROK);
    const stored = await suite.fixture.store.find({
      'payload.shortMessage': { $exists: true },
      destMsisdn: /^467000000(11|12|13)$/,
    });
    expect(stored.map((m) => m.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });

  it('answers query_sm from the store, only for the same account', async () => {
    const submitted = await suite.acme.request({ command: 'submit_sm', ...SOURCE, ...dest('46701111111') });
    const q = await suite.acme.request({ command: 'query_sm', messageId: submitted.messageId, ...SOURCE });
    expect(q).toMatchObject({
      commandStatus: 0,
      messageId: submitted.messageId,
      messageState: MessageState.ENROUTE,
      finalDate: '',
    });
    const sink = await bindAs(suite.inserter, 'sink', 'bind_transmitter');
    try {
      const other = await sink.request({ command: 'query_sm', messageId: submitted.messageId });
      expect(other.commandStatus).toBe(S.ESME_RQUERYFAIL);
    } finally {
      await sink.close();
    }
    expect((await suite.acme.request({ command: 'query_sm', messageId: 'zzzzzzzzzz' })).commandStatus).toBe(
      S.ESME_RQUERYFAIL,
    );
    expect((await suite.acme.request({ command: 'query_sm', messageId: 'Not/An-Id' })).commandStatus).toBe(
      S.ESME_RINVMSGID,
    );
  });

  it('cancels a queued message once (cancel_sm), then reports it DELETED', async () => {
    const submitted = await suite.acme.request({ command: 'submit_sm', ...SOURCE, ...dest('46702222222') });
    const cancel = {
      command: 'cancel_sm',
      messageId: submitted.messageId,
      ...SOURCE,
      ...dest('46702222222'),
    } as const;
    expect((await suite.acme.request(cancel)).commandStatus).toBe(S.ESME_ROK);
    expect((await suite.acme.request(cancel)).commandStatus).toBe(S.ESME_RCANCELFAIL);
    const q = await suite.acme.request({ command: 'query_sm', messageId: submitted.messageId, ...SOURCE });
    expect(q.messageState).toBe(MessageState.DELETED);
    expect(q.finalDate).toMatch(/^\d{12}\d{3}\+$/);
  });

  it('cancels by source and destination when cancel_sm has no message_id', async () => {
    const a = await suite.acme.request({ command: 'submit_sm', ...SOURCE, ...dest('46703333333') });
    const b = await suite.acme.request({ command: 'submit_sm', ...SOURCE, ...dest('46703333333') });
    const resp = await suite.acme.request({
      command: 'cancel_sm',
      messageId: '',
      ...SOURCE,
      ...dest('46703333333'),
    });
    expect(resp.commandStatus).toBe(S.ESME_ROK);
    expect((await suite.fixture.store.get(a.messageId))?.state).toBe('cancelled');
    expect((await suite.fixture.store.get(b.messageId))?.state).toBe('cancelled');
  });

  it('replaces the content of a queued message (replace_sm) and refuses unknown ids', async () => {
    const submitted = await suite.acme.request({
      command: 'submit_sm',
      ...SOURCE,
      ...dest('46704444444'),
      shortMessage: Buffer.from('old'),
    });
    const resp = await suite.acme.request({
      command: 'replace_sm',
      messageId: submitted.messageId,
      ...SOURCE,
      registeredDelivery: 1,
      shortMessage: Buffer.from('new'),
    });
    expect(resp.commandStatus).toBe(S.ESME_ROK);
    const stored = await suite.fixture.store.get(submitted.messageId);
    expect(Buffer.from(stored?.payload.shortMessage.buffer ?? []).toString()).toBe('new');
    expect(stored?.payload.registeredDelivery).toBe(1);
    const unknown = await suite.acme.request({ command: 'replace_sm', messageId: 'zzzzzzzzzz', ...SOURCE });
    expect(unknown.commandStatus).toBe(S.ESME_RREPLACEFAIL);
  });

  it('replaces a pending message with the same source, destination and service_type (replace_if_present_flag)', async () => {
    const first = await suite.acme.request({
      command: 'submit_sm',
      ...SOURCE,
      ...dest('46705555555'),
      serviceType: 'WAP',
      shortMessage: Buffer.from('v1'),
    });
    const second = await suite.acme.request({
      command: 'submit_sm',
      ...SOURCE,
      ...dest('46705555555'),
      serviceType: 'WAP',
      replaceIfPresentFlag: 1,
      shortMessage: Buffer.from('v2'),
    });
    expect(second).toMatchObject({ commandStatus: 0, messageId: first.messageId });
    const all = await suite.fixture.store.find({ destMsisdn: '46705555555' });
    expect(all).toHaveLength(1);
    expect(Buffer.from(all[0]?.payload.shortMessage.buffer ?? []).toString()).toBe('v2');
  });
});
