import { afterEach, describe, expect, it } from 'vitest';
import { CommandStatus } from '../../src/command-status.ts';
import type { CloseInfo } from '../../src/session/events.ts';
import type { SmppSession } from '../../src/session/session.ts';
import { bindRawEsme, type RawPeer, sessionWithRawPeer } from './raw-peer.ts';

const S = CommandStatus;
const open: { session: SmppSession; peer: RawPeer }[] = [];

function setup() {
  const pair = sessionWithRawPeer({ role: 'smsc' });
  open.push(pair);
  const errors: Error[] = [];
  pair.session.on('error', (e) => errors.push(e));
  return { ...pair, errors };
}

afterEach(async () => {
  for (const { session, peer } of open.splice(0)) {
    await session.close();
    peer.destroy();
  }
});

function header(length: number, commandId: number, sequenceNumber: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt32BE(length, 0);
  h.writeUInt32BE(commandId, 4);
  h.writeUInt32BE(sequenceNumber, 12);
  return h;
}

describe('undecodable input', () => {
  it('answers an HTTP request line on the port with generic_nack ESME_RINVCMDLEN, sequence 0, then closes', async () => {
    const { session, peer, errors } = setup();
    let closed: CloseInfo | undefined;
    session.on('close', (info) => {
      closed = info;
    });
    // "GET " read as command_length is 1195725856: far beyond any PDU (§3.2). Fewer than 16 octets
    // arrived, so there is no sequence number to echo.
    peer.sendBytes(Buffer.from('GET /\r\n'));
    expect(await peer.next()).toMatchObject({
      command: 'generic_nack',
      commandStatus: S.ESME_RINVCMDLEN,
      sequenceNumber: 0,
    });
    await peer.waitEnd();
    await session.closed;
    expect(closed).toMatchObject({ reason: 'protocol_error', clean: false });
    expect(errors[0]).toMatchObject({ code: 'SMPP_DECODE', fatal: true });
  });

  it('answers a command_length shorter than the header with generic_nack carrying the readable sequence number', async () => {
    const { peer } = setup();
    peer.sendBytes(header(8, 0x15, 31));
    expect(await peer.next()).toMatchObject({
      command: 'generic_nack',
      commandStatus: S.ESME_RINVCMDLEN,
      sequenceNumber: 31,
    });
    await peer.waitEnd();
  });

  it('answers an unknown command_id with generic_nack ESME_RINVCMDID and its sequence number, and stays up', async () => {
    const { session, peer } = setup();
    peer.sendBytes(header(16, 0x00000777, 42));
    expect(await peer.next()).toMatchObject({
      command: 'generic_nack',
      commandStatus: S.ESME_RINVCMDID,
      sequenceNumber: 42,
    });
    peer.send({ command: 'enquire_link', sequenceNumber: 43 });
    expect(await peer.next()).toMatchObject({ command: 'enquire_link_resp', sequenceNumber: 43 });
    expect(session.state).toBe('open');
  });

  it('answers a malformed request body with its own response carrying the decode status', async () => {
    const { session, peer } = setup();
    await bindRawEsme(session, peer, 'bind_transmitter');
    session.on('pdu', () => expect.fail('a malformed PDU must not reach the application'));
    // submit_sm whose source_addr has 30 characters (max 20, §5.2.8).
    const body = Buffer.concat([
      Buffer.from([0, 1, 1]),
      Buffer.from(`${'A'.repeat(30)}\0`),
      Buffer.from([1, 1]),
      Buffer.from('123\0'),
      Buffer.alloc(12),
    ]);
    peer.sendBytes(Buffer.concat([header(16 + body.length, 0x04, 77), body]));
    expect(await peer.next()).toMatchObject({
      command: 'submit_sm_resp',
      commandStatus: S.ESME_RINVSRCADR,
      sequenceNumber: 77,
    });
    expect(session.state).toBe('bound_tx');
  });

  it('keeps a PDU split across many one-octet chunks intact', async () => {
    const { peer } = setup();
    const { encodePdu } = await import('../../src/encode.ts');
    const { buildPdu } = await import('../../src/session/build.ts');
    const bytes = encodePdu(buildPdu({ command: 'enquire_link', sequenceNumber: 0x01020304 }));
    for (const octet of bytes) peer.sendBytes(Buffer.from([octet]));
    expect(await peer.next()).toMatchObject({ command: 'enquire_link_resp', sequenceNumber: 0x01020304 });
  });
});
