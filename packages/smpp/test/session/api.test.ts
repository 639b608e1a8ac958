import { afterEach, describe, expect, it } from 'vitest';
import { CommandStatus } from '../../src/command-status.ts';
import { createDuplexPair } from '../../src/session/duplex-pair.ts';
import type { ApplicationRequest, CloseInfo } from '../../src/session/events.ts';
import { resolveSessionOptions } from '../../src/session/options.ts';
import { SmppSession } from '../../src/session/session.ts';
import { bindEsmeSession, bindRawEsme, type RawPeer, sessionWithRawPeer } from './raw-peer.ts';

const S = CommandStatus;
const open: { session: SmppSession; peer?: RawPeer }[] = [];

function setup(options: Parameters<typeof sessionWithRawPeer>[0]) {
  const pair = sessionWithRawPeer(options);
  open.push(pair);
  return pair;
}

afterEach(async () => {
  for (const { session, peer } of open.splice(0)) {
    await session.close();
    peer?.destroy();
  }
});

type Answerable = Exclude<ApplicationRequest, { command: 'alert_notification' }>;

describe('answering the peer', () => {
  it('refuses to answer the same request twice, and drops answers after close', async () => {
    const { session, peer } = setup({ role: 'smsc' });
    await bindRawEsme(session, peer, 'bind_transmitter');
    const held: Answerable[] = [];
    session.on('pdu', (pdu) => held.push(pdu as Answerable));
    peer.send({ command: 'submit_sm', sequenceNumber: 5 });
    peer.send({ command: 'submit_sm', sequenceNumber: 6 });
    peer.send({ command: 'enquire_link', sequenceNumber: 7 });
    await peer.nextOf('enquire_link_resp');
    expect(session.respond(held[0]!, { messageId: 'a' })).toBe(true);
    expect(() => session.respond(held[0]!, { messageId: 'a' })).toThrow(/no unanswered submit_sm #5/);
    await session.close();
    expect(session.respond(held[1]!, { messageId: 'b' })).toBe(false);
  });

  it('answers ESME_RSYSERR when nobody listens for requests (SMSC) and ESME_RX_T_APPN (ESME)', async () => {
    const smsc = setup({ role: 'smsc' });
    await bindRawEsme(smsc.session, smsc.peer, 'bind_transmitter');
    smsc.peer.send({ command: 'submit_sm', sequenceNumber: 3 });
    expect(await smsc.peer.next()).toMatchObject({
      command: 'submit_sm_resp',
      commandStatus: S.ESME_RSYSERR,
    });

    const esme = setup({ role: 'esme' });
    await bindEsmeSession(esme.session, esme.peer, 'bind_receiver');
    esme.peer.send({ command: 'deliver_sm', sequenceNumber: 4 });
    expect(await esme.peer.next()).toMatchObject({
      command: 'deliver_sm_resp',
      commandStatus: S.ESME_RX_T_APPN,
    });
  });

  it('answers ESME_RSYSERR and reports the error when a pdu listener throws', async () => {
    const { session, peer } = setup({ role: 'smsc' });
    await bindRawEsme(session, peer, 'bind_transmitter');
    const errors: Error[] = [];
    session.on('error', (e) => errors.push(e));
    session.on('pdu', () => {
      throw new Error('application bug');
    });
    peer.send({ command: 'submit_sm', sequenceNumber: 3 });
    expect(await peer.next()).toMatchObject({ commandStatus: S.ESME_RSYSERR, sequenceNumber: 3 });
    expect(errors.map((e) => e.message)).toEqual(['application bug']);
    expect(session.state).toBe('bound_tx');
  });

  it('answers ESME_RSYSERR instead of a response it cannot encode, and throws to the caller', async () => {
    const { session, peer } = setup({ role: 'smsc' });
    await bindRawEsme(session, peer, 'bind_transmitter');
    const held: Answerable[] = [];
    session.on('pdu', (pdu) => held.push(pdu as Answerable));
    peer.send({ command: 'submit_sm', sequenceNumber: 3 });
    peer.send({ command: 'enquire_link', sequenceNumber: 4 });
    await peer.nextOf('enquire_link_resp');
    expect(() => session.respond(held[0]!, { messageId: 'x'.repeat(100) })).toThrow(
      expect.objectContaining({ code: 'SMPP_ENCODE' }),
    );
    expect(await peer.next()).toMatchObject({ commandStatus: S.ESME_RSYSERR, sequenceNumber: 3 });
    expect(session.outstanding.inbound).toBe(0);
  });
});

describe('outbind (§4.1.7)', () => {
  it('lets an SMSC ask an ESME to bind as a receiver', async () => {
    const [a, b] = createDuplexPair();
    const smsc = new SmppSession(a, { role: 'smsc' });
    const esme = new SmppSession(b, { role: 'esme' });
    open.push({ session: smsc }, { session: esme });
    smsc.on('bind', (req) => req.accept());
    const asked = new Promise<string>((resolve) => esme.once('outbind', (pdu) => resolve(pdu.systemId)));
    smsc.notify({ command: 'outbind', systemId: 'esme7', password: 'pw' });
    expect(await asked).toBe('esme7');
    await esme.bind('bind_receiver', { systemId: 'esme7', password: 'pw' });
    expect(smsc.state).toBe('bound_rx');
    expect(() => esme.notify({ command: 'outbind', systemId: 'x' })).toThrow(
      expect.objectContaining({ code: 'SMPP_INVALID_STATE' }),
    );
  });
});

describe('request()', () => {
  it('sends binds and unbind only through bind() and unbind()', async () => {
    const { session } = setup({ role: 'esme' });
    await expect(session.request({ command: 'bind_transmitter' as 'submit_sm' })).rejects.toBeInstanceOf(
      TypeError,
    );
    await expect(session.request({ command: 'unbind' as 'submit_sm' })).rejects.toBeInstanceOf(TypeError);
  });

  it('rejects a request that cannot be encoded without using up a window slot', async () => {
    const { session, peer } = setup({ role: 'esme', windowSize: 1 });
    await bindEsmeSession(session, peer, 'bind_transmitter');
    await expect(session.request({ command: 'submit_sm', sourceAddr: '1'.repeat(30) })).rejects.toMatchObject(
      {
        code: 'SMPP_ENCODE',
      },
    );
    expect(session.outstanding).toEqual({ requests: 0, queued: 0, inbound: 0 });
    const ok = session.request({ command: 'submit_sm' });
    const req = await peer.next();
    peer.send({ command: 'submit_sm_resp', sequenceNumber: req.sequenceNumber });
    await ok;
  });

  it('fails a request whose response cannot be decoded', async () => {
    const { session, peer } = setup({ role: 'esme' });
    await bindEsmeSession(session, peer, 'bind_transmitter');
    const errors: Error[] = [];
    session.on('error', (e) => errors.push(e));
    const pending = session.request({ command: 'submit_sm' });
    const req = await peer.next();
    // submit_sm_resp whose message_id has no terminating NUL.
    const frame = Buffer.alloc(16 + 3);
    frame.writeUInt32BE(19, 0);
    frame.writeUInt32BE(0x80000004, 4);
    frame.writeUInt32BE(req.sequenceNumber, 12);
    frame.write('abc', 16);
    peer.sendBytes(frame);
    await expect(pending).rejects.toMatchObject({ code: 'SMPP_DECODE' });
    expect(errors).toHaveLength(1);
  });
});

describe('closing', () => {
  it('close() is idempotent and reports local once', async () => {
    const { session, peer } = setup({ role: 'esme' });
    const closes: CloseInfo[] = [];
    session.on('close', (info) => closes.push(info));
    const first = session.close();
    const second = session.close();
    expect(await first).toEqual({ reason: 'local', clean: false });
    expect(await second).toBe(await first);
    await peer.waitEnd();
    expect(closes).toHaveLength(1);
    expect(session.state).toBe('closed');
  });

  it('unbind() on an unbound session just closes', async () => {
    const { session } = setup({ role: 'esme' });
    expect(await session.unbind()).toEqual({ reason: 'local', clean: false });
  });

  it('reports a stream error as the close reason', async () => {
    const { session } = setup({ role: 'esme' });
    const stream = (session as unknown as { stream: import('node:stream').Duplex }).stream;
    stream.destroy(new Error('ECONNRESET'));
    const info = await session.closed;
    expect(info).toMatchObject({ reason: 'stream_error', clean: false, error: { message: 'ECONNRESET' } });
  });
});

describe('options', () => {
  it('fills documented defaults and freezes them', () => {
    const o = resolveSessionOptions({ role: 'esme' });
    expect(o).toMatchObject({
      windowSize: 10,
      responseTimeoutMs: 60_000,
      enquireLinkIntervalMs: 30_000,
      inactivityTimeoutMs: 300_000,
      maxQueued: 100,
    });
    expect(Object.isFrozen(o)).toBe(true);
  });

  it('rejects nonsense at construction', () => {
    expect(() => resolveSessionOptions({ role: 'x' as 'esme' })).toThrow(TypeError);
    expect(() => resolveSessionOptions({ role: 'esme', windowSize: 0 })).toThrow(/windowSize/);
    expect(() => resolveSessionOptions({ role: 'esme', inactivityTimeoutMs: -1 })).toThrow(
      /inactivityTimeoutMs/,
    );
  });
});
