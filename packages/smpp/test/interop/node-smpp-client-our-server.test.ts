/**
 * A node-smpp 0.5.1 ESME against our SMSC session (listenSmpp) over TCP on 127.0.0.1: binds,
 * submit_sm and deliver_sm with GSM, UCS2 (emoji) and concatenated texts, then a clean unbind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandStatus } from '../../src/command-status.ts';
import { listenSmpp, type SmppServer } from '../../src/session/connect.ts';
import type { ApplicationRequest } from '../../src/session/events.ts';
import type { SmppSession } from '../../src/session/session.ts';
import { encodeGsm7 } from '../../src/text/gsm7.ts';
import { splitMessage } from '../../src/text/split.ts';
import { encodeUcs2 } from '../../src/text/ucs2.ts';
import { type NsPdu, type NsSession, nodeSmpp, nsCall, nsConcat } from './node-smpp.ts';
import { decodePart, GSM_TEXT, joinParts, LONG_GSM_TEXT, LONG_UCS2_TEXT, UCS2_TEXT } from './texts.ts';

let server: SmppServer;
const sessions: SmppSession[] = [];
const received: ApplicationRequest[] = [];

beforeAll(async () => {
  server = await listenSmpp({ port: 0 }, (session) => {
    sessions.push(session);
    session.on('bind', (req) => {
      if (req.pdu.password === 'secret') req.accept({ systemId: 'OURSMSC' });
      else req.reject(CommandStatus.ESME_RINVPASWD);
    });
    session.on('pdu', (pdu) => {
      received.push(pdu);
      if (pdu.command === 'submit_sm') session.respond(pdu, { messageId: `M${received.length}` });
    });
  });
});

afterAll(async () => {
  await server.close();
});

const clients: NsSession[] = [];
afterAll(() => {
  for (const c of clients) c.destroy();
});

async function nsConnect(): Promise<{ client: NsSession; events: string[] }> {
  const client = nodeSmpp.connect({ host: '127.0.0.1', port: server.port });
  clients.push(client);
  const events: string[] = [];
  client.on('error', (e: Error) => events.push(`error:${e.message}`));
  client.on('close', () => events.push('close'));
  client.on('enquire_link', (pdu: NsPdu) => client.send(pdu.response()));
  await new Promise((resolve) => client.once('connect', resolve));
  return { client, events };
}

async function nsUnbind(client: NsSession): Promise<NsPdu> {
  return new Promise((resolve) => client.unbind(resolve));
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

function nsText(pdu: NsPdu): string {
  const message = pdu.short_message?.message;
  return typeof message === 'string' ? message : String(message);
}

describe('a node-smpp ESME against our SMSC session', () => {
  it('refuses a wrong password with ESME_RINVPASWD', async () => {
    const { client } = await nsConnect();
    const resp = await nsCall(client, 'bind_transceiver', { system_id: 'ns', password: 'wrong' });
    expect(resp.command_status).toBe(CommandStatus.ESME_RINVPASWD);
    client.destroy();
  });

  it('binds as transceiver, submits GSM, UCS2 and concatenated texts intact, gets deliver_sm back, unbinds cleanly', async () => {
    received.length = 0;
    const { client, events } = await nsConnect();
    const bind = await nsCall(client, 'bind_transceiver', { system_id: 'nsEsme', password: 'secret' });
    expect(bind).toMatchObject({ command: 'bind_transceiver_resp', command_status: 0, system_id: 'OURSMSC' });
    const session = sessions.at(-1)!;
    expect(session.state).toBe('bound_trx');
    expect(session.systemId).toBe('nsEsme');

    const base = { source_addr: '491700000001', destination_addr: '12345' };
    const r1 = await nsCall(client, 'submit_sm', {
      ...base,
      data_coding: 0,
      short_message: { message: GSM_TEXT },
    });
    const r2 = await nsCall(client, 'submit_sm', {
      ...base,
      data_coding: 8,
      short_message: { message: UCS2_TEXT },
    });
    expect([r1.message_id, r2.message_id]).toEqual(['M1', 'M2']);
    // A long UCS2 text the node-smpp way: one UDH buffer and one string per part, cut between
    // characters by us (67 UTF-16 units, moving back one when a surrogate pair would be split).
    const chunks: string[] = [];
    for (let i = 0; i < LONG_UCS2_TEXT.length; ) {
      let end = Math.min(i + 67, LONG_UCS2_TEXT.length);
      if (end < LONG_UCS2_TEXT.length && /[\uD800-\uDBFF]/.test(LONG_UCS2_TEXT[end - 1]!)) end--;
      chunks.push(LONG_UCS2_TEXT.slice(i, end));
      i = end;
    }
    for (const [i, chunk] of chunks.entries()) {
      const udh = Buffer.from([0x05, 0x00, 0x03, 0x21, chunks.length, i + 1]);
      const r = await nsCall(client, 'submit_sm', {
        ...base,
        data_coding: 8,
        short_message: { udh, message: chunk },
      });
      expect(r.command_status).toBe(0);
    }

    const parts = received.map((p) => {
      if (p.command !== 'submit_sm') throw new Error(p.command);
      return decodePart(p.shortMessage, p.dataCoding, p.esmClass);
    });
    expect(received[0]).toMatchObject({
      sourceAddr: '491700000001',
      destinationAddr: '12345',
      dataCoding: 0,
    });
    expect(parts[0]).toEqual({ text: GSM_TEXT });
    expect(parts[1]).toEqual({ text: UCS2_TEXT });
    expect(joinParts(parts.slice(2))).toEqual({
      text: LONG_UCS2_TEXT,
      reference: 0x21,
      total: chunks.length,
    });

    // deliver_sm from our SMSC to the node-smpp ESME.
    const delivered: NsPdu[] = [];
    client.on('deliver_sm', (pdu: NsPdu) => {
      delivered.push(pdu);
      client.send(pdu.response());
    });
    const deliver = (dataCoding: number, shortMessage: Buffer, esmClass = 0) =>
      session.request({
        command: 'deliver_sm',
        sourceAddr: '12345',
        destinationAddr: '491700000001',
        dataCoding,
        esmClass,
        shortMessage,
      });
    expect(await deliver(0, encodeGsm7(GSM_TEXT))).toMatchObject({ commandStatus: 0 });
    expect(await deliver(8, encodeUcs2(UCS2_TEXT))).toMatchObject({ commandStatus: 0 });
    const segments = splitMessage(LONG_GSM_TEXT, { method: 'udh8', reference: 200 });
    expect(segments.length).toBeGreaterThan(1);
    await Promise.all(segments.map((s) => deliver(s.dataCoding, s.shortMessage, s.esmClassFlags)));
    expect(delivered[0]).toMatchObject({ source_addr: '12345', destination_addr: '491700000001' });
    expect(nsText(delivered[0]!)).toBe(GSM_TEXT);
    expect(nsText(delivered[1]!)).toBe(UCS2_TEXT);
    const longParts = delivered.slice(2).map((p) => ({ text: nsText(p), concat: nsConcat(p)! }));
    expect(joinParts(longParts)).toEqual({ text: LONG_GSM_TEXT, reference: 200, total: segments.length });

    const unbind = await nsUnbind(client);
    expect(unbind).toMatchObject({ command: 'unbind_resp', command_status: 0 });
    expect(await session.closed).toEqual({ reason: 'peer_unbind', clean: true });
    await waitFor(() => events.includes('close'), 'node-smpp to see the close');
    expect(events).toEqual(['close']);
  });

  it('binds as transmitter and as receiver with the matching permissions', async () => {
    received.length = 0;
    const tx = await nsConnect();
    expect(
      (await nsCall(tx.client, 'bind_transmitter', { system_id: 'a', password: 'secret' })).command_status,
    ).toBe(0);
    const txSession = sessions.at(-1)!;
    expect(txSession.state).toBe('bound_tx');
    await expect(txSession.request({ command: 'deliver_sm' })).rejects.toMatchObject({
      code: 'SMPP_INVALID_STATE',
    });
    const ok = await nsCall(tx.client, 'submit_sm', {
      destination_addr: '1',
      data_coding: 0,
      short_message: { message: 'x' },
    });
    expect(ok.command_status).toBe(0);
    expect(await nsUnbind(tx.client)).toMatchObject({ command_status: 0 });

    const rx = await nsConnect();
    expect(
      (await nsCall(rx.client, 'bind_receiver', { system_id: 'b', password: 'secret' })).command_status,
    ).toBe(0);
    const rxSession = sessions.at(-1)!;
    expect(rxSession.state).toBe('bound_rx');
    // A receiver may not submit (§2.3): our SMSC answers ESME_RINVBNDSTS.
    const refused = await nsCall(rx.client, 'submit_sm', {
      destination_addr: '1',
      data_coding: 0,
      short_message: { message: 'no' },
    });
    expect(refused.command_status).toBe(CommandStatus.ESME_RINVBNDSTS);
    expect(received.map((p) => p.command)).toEqual(['submit_sm']);
    const got: string[] = [];
    rx.client.on('deliver_sm', (pdu: NsPdu) => {
      got.push(nsText(pdu));
      rx.client.send(pdu.response());
    });
    await rxSession.request({
      command: 'deliver_sm',
      destinationAddr: '1',
      dataCoding: 8,
      shortMessage: encodeUcs2('rx ✓'),
    });
    expect(got).toEqual(['rx ✓']);
    // This time our side unbinds, and node-smpp answers.
    rx.client.on('unbind', (pdu: NsPdu) => {
      rx.client.send(pdu.response());
    });
    expect(await rxSession.unbind()).toEqual({ reason: 'unbind', clean: true });
    await waitFor(() => rx.events.includes('close'), 'node-smpp to see the close');
  });
});
