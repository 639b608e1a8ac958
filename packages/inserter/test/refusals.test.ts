import { CommandStatus, type PduInput } from '@smsc/smpp';
import { describe, expect, it } from 'vitest';
import { useInserterWithAcme } from './helpers.ts';
import { rawClient } from './raw-client.ts';

const S = CommandStatus;
const GOOD = {
  command: 'submit_sm',
  sourceAddrTon: 1,
  sourceAddrNpi: 1,
  sourceAddr: '4915100000001',
  destAddrTon: 1,
  destAddrNpi: 1,
  destinationAddr: '46701234567',
  shortMessage: Buffer.from('hi'),
} as const satisfies PduInput<'submit_sm'>;

describe('refused requests', () => {
  const suite = useInserterWithAcme();

  async function statusOf(changes: Partial<PduInput<'submit_sm'>>): Promise<number> {
    const resp = await suite.acme.request({ ...GOOD, ...changes });
    if (resp.commandStatus !== 0) expect(resp.messageId).toBe('');
    return resp.commandStatus;
  }

  it('answers malformed addresses with their exact statuses', async () => {
    expect(await statusOf({ destinationAddr: 'abc' })).toBe(S.ESME_RINVDSTADR);
    expect(await statusOf({ destinationAddr: '' })).toBe(S.ESME_RINVDSTADR);
    expect(await statusOf({ destinationAddr: '4670+123' })).toBe(S.ESME_RINVDSTADR);
    expect(await statusOf({ destAddrTon: 7 })).toBe(S.ESME_RINVDSTTON);
    expect(await statusOf({ destAddrTon: 5 })).toBe(S.ESME_RINVDSTTON);
    expect(await statusOf({ destAddrNpi: 2 })).toBe(S.ESME_RINVDSTNPI);
    expect(await statusOf({ sourceAddr: '' })).toBe(S.ESME_RINVSRCADR);
    expect(await statusOf({ sourceAddrTon: 5, sourceAddr: 'TwelveChars!' })).toBe(S.ESME_RINVSRCADR);
    expect(await statusOf({ sourceAddrTon: 1, sourceAddr: 'ACME' })).toBe(S.ESME_RINVSRCADR);
    expect(await statusOf({ sourceAddrTon: 9 })).toBe(S.ESME_RINVSRCTON);
    expect(await statusOf({ sourceAddrNpi: 5 })).toBe(S.ESME_RINVSRCNPI);
    expect(await statusOf({ sourceAddrTon: 5, sourceAddrNpi: 0, sourceAddr: 'ACME' })).toBe(S.ESME_ROK);
  });

  it('answers bad flags, lengths and times with their exact statuses', async () => {
    expect(await statusOf({ esmClass: 0x04 })).toBe(S.ESME_RINVESMCLASS);
    expect(await statusOf({ priorityFlag: 4 })).toBe(S.ESME_RINVPRTFLG);
    expect(await statusOf({ registeredDelivery: 3 })).toBe(S.ESME_RINVREGDLVFLG);
    expect(await statusOf({ replaceIfPresentFlag: 2 })).toBe(S.ESME_RINVREPFLAG);
    expect(await statusOf({ dataCoding: 0x90 })).toBe(S.ESME_RSUBMITFAIL);
    expect(await statusOf({ dataCoding: 8, shortMessage: Buffer.from([0, 0x41, 0]) })).toBe(
      S.ESME_RINVMSGLEN,
    );
    expect(await statusOf({ tlvs: { messagePayload: Buffer.from('both') } })).toBe(S.ESME_RINVMSGLEN);
    expect(await statusOf({ esmClass: 0x40, shortMessage: Buffer.from([9, 0, 3]) })).toBe(S.ESME_RINVMSGLEN);
    expect(
      await statusOf({ shortMessage: Buffer.alloc(0), tlvs: { sarMsgRefNum: 1, sarTotalSegments: 2 } }),
    ).toBe(S.ESME_RMISSINGOPTPARAM);
    expect(
      await statusOf({
        shortMessage: Buffer.alloc(0),
        tlvs: { sarMsgRefNum: 1, sarTotalSegments: 2, sarSegmentSeqnum: 3 },
      }),
    ).toBe(S.ESME_RINVOPTPARAMVAL);
    expect(await statusOf({ validityPeriod: '991399000000000+' })).toBe(S.ESME_RINVEXPIRY);
    expect(await statusOf({ validityPeriod: '000101000000000+' })).toBe(S.ESME_RINVEXPIRY);
    expect(await statusOf({ scheduleDeliveryTime: '2613320000000000' })).toBe(S.ESME_RINVSCHED);
    expect(await statusOf({ scheduleDeliveryTime: '000100000000000R' })).toBe(S.ESME_RINVSCHED);
    expect(
      await statusOf({ scheduleDeliveryTime: '000000010000000R', validityPeriod: '000000000100000R' }),
    ).toBe(S.ESME_RINVEXPIRY);
  });

  it('caps a validity beyond the maximum instead of refusing it', async () => {
    const resp = await suite.acme.request({ ...GOOD, validityPeriod: '990000000000000R' });
    expect(resp.commandStatus).toBe(S.ESME_ROK);
    const stored = await suite.fixture.store.get(resp.messageId);
    const ms = (stored?.expiresAt.getTime() ?? 0) - (stored?.arrivedAt.getTime() ?? 0);
    expect(ms).toBeLessThanOrEqual(suite.inserter.config.maxValidityMs);
  });

  it('refuses a destination without a route with ESME_RINVDSTADR and stores nothing', async () => {
    const before = await suite.fixture.store.collections.sms.countDocuments({});
    expect(await statusOf({ destinationAddr: '4915212345678' })).toBe(S.ESME_RINVDSTADR);
    expect(await suite.fixture.store.collections.sms.countDocuments({})).toBe(before);
  });

  it('answers a submit on a receiver bind with ESME_RINVBNDSTS', async () => {
    const raw = await rawClient(suite.inserter.port);
    try {
      raw.send({
        command: 'bind_receiver',
        sequenceNumber: 1,
        systemId: 'sink',
        password: 'sink-pw',
        interfaceVersion: 0x34,
      });
      expect((await raw.next()).commandStatus).toBe(0);
      raw.send({ ...GOOD, sequenceNumber: 2 });
      expect(await raw.next()).toMatchObject({
        command: 'submit_sm_resp',
        sequenceNumber: 2,
        commandStatus: S.ESME_RINVBNDSTS,
      });
    } finally {
      raw.close();
    }
  });

  it('answers a submit before bind with ESME_RINVBNDSTS', async () => {
    const raw = await rawClient(suite.inserter.port);
    try {
      raw.send({ ...GOOD, sequenceNumber: 5 });
      expect(await raw.next()).toMatchObject({
        command: 'submit_sm_resp',
        sequenceNumber: 5,
        commandStatus: S.ESME_RINVBNDSTS,
      });
    } finally {
      raw.close();
    }
  });

  it('answers an unknown command_id with generic_nack ESME_RINVCMDID and a bad length with ESME_RINVCMDLEN', async () => {
    const raw = await rawClient(suite.inserter.port);
    try {
      const unknown = Buffer.alloc(16);
      unknown.writeUInt32BE(16, 0);
      unknown.writeUInt32BE(0x00000077, 4);
      unknown.writeUInt32BE(9, 12);
      raw.send(unknown);
      expect(await raw.next()).toMatchObject({
        command: 'generic_nack',
        sequenceNumber: 9,
        commandStatus: S.ESME_RINVCMDID,
      });
      // "HTTP" read as a command_length (an HTTP client on the SMPP port).
      raw.send(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
      expect(await raw.next()).toMatchObject({ command: 'generic_nack', commandStatus: S.ESME_RINVCMDLEN });
    } finally {
      raw.close();
    }
  });

  it('answers a truncated submit_sm body with the status of the bad field', async () => {
    const raw = await rawClient(suite.inserter.port);
    try {
      raw.send({
        command: 'bind_transmitter',
        sequenceNumber: 1,
        systemId: 'acme',
        password: 'acme-pw',
        interfaceVersion: 0x34,
      });
      expect((await raw.next()).commandStatus).toBe(0);
      // A destination_addr of 30 characters without its NUL: longer than the 21 octets of §5.2.9.
      const header = Buffer.alloc(16);
      const body = Buffer.concat([
        Buffer.from([0, 1, 1]),
        Buffer.from('49151\0'),
        Buffer.from([1, 1]),
        Buffer.from('4'.repeat(30)),
      ]);
      header.writeUInt32BE(16 + body.length, 0);
      header.writeUInt32BE(0x00000004, 4);
      header.writeUInt32BE(3, 12);
      raw.send(Buffer.concat([header, body]));
      expect(await raw.next()).toMatchObject({
        command: 'submit_sm_resp',
        sequenceNumber: 3,
        commandStatus: S.ESME_RINVDSTADR,
      });
    } finally {
      raw.close();
    }
  });
});
