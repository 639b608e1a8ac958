/**
 * Our ESME session against a node-smpp 0.5.1 SMSC over TCP on 127.0.0.1: binds, submit_sm and
 * deliver_sm with GSM, UCS2 (emoji) and concatenated texts, then a clean unbind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSmpp } from '../../src/session/connect.ts';
import type { ApplicationRequest, CloseInfo } from '../../src/session/events.ts';
import type { SmppSession } from '../../src/session/session.ts';
import { encodeGsm7 } from '../../src/text/gsm7.ts';
import { splitMessage } from '../../src/text/split.ts';
import { encodeUcs2 } from '../../src/text/ucs2.ts';
import { type NsPdu, type NsServer, type NsSession, nodeSmpp, nsCall, nsConcat } from './node-smpp.ts';
import {
  decodePart,
  GSM_TEXT,
  joinParts,
  LONG_GSM_TEXT,
  LONG_UCS2_TEXT,
  type Part,
  UCS2_TEXT,
} from './texts.ts';

let server: NsServer;
let port: number;
const serverSessions: NsSession[] = [];
const submits: NsPdu[] = [];
const serverEvents: string[] = [];

beforeAll(async () => {
  server = nodeSmpp.createServer((session) => {
    serverSessions.push(session);
    session.on('error', () => {});
    const accept = (pdu: NsPdu) => {
      serverEvents.push(`${pdu.command}:${pdu.system_id}:${pdu.password}`);
      session.send(pdu.response({ system_id: 'NODESMSC' }));
    };
    session.on('bind_transceiver', accept);
    session.on('bind_transmitter', accept);
    session.on('bind_receiver', accept);
    session.on('submit_sm', (pdu: NsPdu) => {
      submits.push(pdu);
      session.send(pdu.response({ message_id: `NS${submits.length}` }));
    });
    session.on('enquire_link', (pdu: NsPdu) => session.send(pdu.response()));
    session.on('unbind', (pdu: NsPdu) => {
      serverEvents.push('unbind');
      session.send(pdu.response());
      session.close();
    });
    session.on('close', () => serverEvents.push('close'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  for (const s of serverSessions) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

async function connect(
  command: 'bind_transceiver' | 'bind_transmitter' | 'bind_receiver',
): Promise<SmppSession> {
  submits.length = 0;
  serverEvents.length = 0;
  return connectSmpp({ host: '127.0.0.1', port, bind: { command, systemId: 'ourEsme', password: 'secret' } });
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

function nsText(pdu: NsPdu): string {
  const message = pdu.short_message?.message;
  return typeof message === 'string' ? message : String(message);
}

describe('our ESME session against a node-smpp SMSC', () => {
  it('binds as transceiver, submits GSM, UCS2 and concatenated texts intact, and unbinds cleanly', async () => {
    const session = await connect('bind_transceiver');
    expect(session.state).toBe('bound_trx');
    expect(session.systemId).toBe('NODESMSC');
    expect(serverEvents).toEqual(['bind_transceiver:ourEsme:secret']);

    const gsm = await session.request({
      command: 'submit_sm',
      sourceAddr: '12345',
      destinationAddr: '491700000001',
      dataCoding: 0,
      shortMessage: encodeGsm7(GSM_TEXT),
    });
    expect(gsm).toMatchObject({ command: 'submit_sm_resp', commandStatus: 0, messageId: 'NS1' });
    const ucs2 = await session.request({
      command: 'submit_sm',
      sourceAddr: '12345',
      destinationAddr: '491700000002',
      dataCoding: 8,
      shortMessage: encodeUcs2(UCS2_TEXT),
    });
    expect(ucs2.messageId).toBe('NS2');

    for (const [text, reference] of [
      [LONG_GSM_TEXT, 42],
      [LONG_UCS2_TEXT, 43],
    ] as const) {
      const segments = splitMessage(text, { method: 'udh8', reference });
      expect(segments.length).toBeGreaterThan(1);
      const responses = await Promise.all(
        segments.map((s) =>
          session.request({
            command: 'submit_sm',
            sourceAddr: '12345',
            destinationAddr: '491700000003',
            esmClass: s.esmClassFlags,
            dataCoding: s.dataCoding,
            shortMessage: s.shortMessage,
          }),
        ),
      );
      expect(responses.every((r) => r.commandStatus === 0)).toBe(true);
    }

    // What node-smpp decoded on its side.
    expect(submits[0]).toMatchObject({
      source_addr: '12345',
      destination_addr: '491700000001',
      data_coding: 0,
    });
    expect(nsText(submits[0]!)).toBe(GSM_TEXT);
    expect(submits[1]!.data_coding).toBe(8);
    expect(nsText(submits[1]!)).toBe(UCS2_TEXT);
    const longs = submits.slice(2);
    for (const [text, reference] of [
      [LONG_GSM_TEXT, 42],
      [LONG_UCS2_TEXT, 43],
    ] as const) {
      const mine = longs.filter((p) => nsConcat(p)?.reference === reference);
      expect(mine.length).toBeGreaterThan(1);
      expect(mine.every((p) => ((p.esm_class ?? 0) & 0x40) === 0x40)).toBe(true);
      const parts: Part[] = mine.map((p) => ({ text: nsText(p), concat: nsConcat(p)! }));
      const joined = joinParts(parts);
      expect(joined).toMatchObject({ text, reference });
    }

    const closed: CloseInfo[] = [];
    session.on('close', (info) => closed.push(info));
    expect(await session.unbind()).toEqual({ reason: 'unbind', clean: true });
    await waitFor(() => serverEvents.includes('close'), 'node-smpp to see the close');
    expect(serverEvents.slice(-2)).toEqual(['unbind', 'close']);
    expect(closed).toEqual([{ reason: 'unbind', clean: true }]);
  });

  it('receives deliver_sm from node-smpp with GSM, UCS2 and concatenated texts intact', async () => {
    const session = await connect('bind_transceiver');
    const delivered: ApplicationRequest[] = [];
    session.on('pdu', (pdu) => {
      delivered.push(pdu);
      if (pdu.command === 'deliver_sm') session.respond(pdu, { messageId: '' });
    });
    const ns = serverSessions.at(-1)!;
    const base = { source_addr: '491700000009', destination_addr: '12345' };
    const r1 = await nsCall(ns, 'deliver_sm', {
      ...base,
      data_coding: 0,
      short_message: { message: GSM_TEXT },
    });
    const r2 = await nsCall(ns, 'deliver_sm', {
      ...base,
      data_coding: 8,
      short_message: { message: UCS2_TEXT },
    });
    expect([r1.command_status, r2.command_status]).toEqual([0, 0]);
    // A long text the node-smpp way: its own UDH buffer and one string per part.
    const chunks = LONG_GSM_TEXT.match(/[\s\S]{1,153}/g)!;
    for (const [i, chunk] of chunks.entries()) {
      const udh = Buffer.from([0x05, 0x00, 0x03, 0x77, chunks.length, i + 1]);
      const r = await nsCall(ns, 'deliver_sm', {
        ...base,
        data_coding: 0,
        short_message: { udh, message: chunk },
      });
      expect(r.command_status).toBe(0);
    }

    const parts = delivered.map((p) => {
      if (p.command !== 'deliver_sm') throw new Error(p.command);
      return decodePart(p.shortMessage, p.dataCoding, p.esmClass);
    });
    expect(parts[0]).toEqual({ text: GSM_TEXT });
    expect(parts[1]).toEqual({ text: UCS2_TEXT });
    expect(joinParts(parts.slice(2))).toEqual({ text: LONG_GSM_TEXT, reference: 0x77, total: chunks.length });
    expect(delivered[0]).toMatchObject({ sourceAddr: '491700000009', destinationAddr: '12345' });
    expect(await session.unbind()).toMatchObject({ clean: true });
  });

  it('binds as transmitter and as receiver with the matching permissions', async () => {
    const tx = await connect('bind_transmitter');
    expect(tx.state).toBe('bound_tx');
    expect(
      await tx.request({ command: 'submit_sm', destinationAddr: '1', shortMessage: encodeGsm7('tx') }),
    ).toMatchObject({ commandStatus: 0 });
    expect(nsText(submits[0]!)).toBe('tx');
    expect(await tx.unbind()).toMatchObject({ clean: true });

    const rx = await connect('bind_receiver');
    expect(rx.state).toBe('bound_rx');
    await expect(rx.request({ command: 'submit_sm' })).rejects.toMatchObject({ code: 'SMPP_INVALID_STATE' });
    const got: string[] = [];
    rx.on('pdu', (pdu) => {
      if (pdu.command === 'deliver_sm') {
        got.push(decodePart(pdu.shortMessage, pdu.dataCoding, pdu.esmClass).text);
        rx.respond(pdu);
      }
    });
    const r = await nsCall(serverSessions.at(-1)!, 'deliver_sm', {
      destination_addr: '1',
      data_coding: 8,
      short_message: { message: 'rx ✓' },
    });
    expect(r.command_status).toBe(0);
    expect(got).toEqual(['rx ✓']);
    expect(await rx.unbind()).toMatchObject({ clean: true });
  });
});
