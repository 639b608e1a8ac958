/** Our ESME against our SMSC over TLS on 127.0.0.1, with the test-only self-signed pair. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSmpp, listenSmpp, type SmppServer } from '../../src/session/connect.ts';
import { encodeUcs2 } from '../../src/text/ucs2.ts';
import { decodePart, UCS2_TEXT } from './texts.ts';

const dir = new URL('../fixtures/tls/', import.meta.url);
const key = readFileSync(new URL('key.pem', dir));
const cert = readFileSync(new URL('cert.pem', dir));

let server: SmppServer;
const texts: string[] = [];

beforeAll(async () => {
  server = await listenSmpp({ port: 0, tls: { key, cert } }, (session) => {
    session.on('bind', (req) => req.accept());
    session.on('pdu', (pdu) => {
      if (pdu.command !== 'submit_sm') return;
      texts.push(decodePart(pdu.shortMessage, pdu.dataCoding, pdu.esmClass).text);
      session.respond(pdu, { messageId: 'tls1' });
    });
  });
});

afterAll(async () => {
  await server.close();
});

describe('SMPP over TLS', () => {
  it('binds, submits and unbinds over a verified TLS connection', async () => {
    const session = await connectSmpp({
      host: '127.0.0.1',
      port: server.port,
      tls: { ca: cert, servername: 'localhost' },
      bind: { command: 'bind_transceiver', systemId: 'tlsEsme', password: 'pw' },
    });
    expect(session.state).toBe('bound_trx');
    const resp = await session.request({
      command: 'submit_sm',
      dataCoding: 8,
      shortMessage: encodeUcs2(UCS2_TEXT),
    });
    expect(resp).toMatchObject({ commandStatus: 0, messageId: 'tls1' });
    expect(texts).toEqual([UCS2_TEXT]);
    expect(await session.unbind()).toEqual({ reason: 'unbind', clean: true });
  });

  it('refuses a server whose certificate it cannot verify', async () => {
    await expect(
      connectSmpp({ host: '127.0.0.1', port: server.port, tls: { servername: 'localhost' } }),
    ).rejects.toThrow(/self-signed|certificate/i);
  });
});
