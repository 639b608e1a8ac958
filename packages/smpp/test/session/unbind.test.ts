import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDuplexPair } from '../../src/session/duplex-pair.ts';
import type { CloseInfo } from '../../src/session/events.ts';
import { SmppSession } from '../../src/session/session.ts';
import { bindEsmeSession, bindRawEsme, type RawPeer, sessionWithRawPeer } from './raw-peer.ts';

const open: { session: SmppSession; peer?: RawPeer }[] = [];

function setup(options: Parameters<typeof sessionWithRawPeer>[0]) {
  const pair = sessionWithRawPeer(options);
  open.push(pair);
  const closes: CloseInfo[] = [];
  pair.session.on('close', (info) => closes.push(info));
  return { ...pair, closes };
}

afterEach(async () => {
  vi.useRealTimers();
  for (const { session, peer } of open.splice(0)) {
    await session.close();
    peer?.destroy();
  }
});

describe('unbind (§4.2)', () => {
  it('sends unbind, waits for unbind_resp, then closes cleanly', async () => {
    const { session, peer, closes } = setup({ role: 'esme' });
    await bindEsmeSession(session, peer, 'bind_transceiver');
    const done = session.unbind();
    expect(session.state).toBe('unbinding');
    const unbind = await peer.nextOf('unbind');
    expect(session.state).toBe('unbinding');
    peer.send({ command: 'unbind_resp', sequenceNumber: unbind.sequenceNumber });
    expect(await done).toEqual({ reason: 'unbind', clean: true });
    await peer.waitEnd();
    expect(closes).toEqual([{ reason: 'unbind', clean: true }]);
    expect(session.unbind()).toBe(done);
  });

  it('answers a peer unbind with unbind_resp and closes cleanly', async () => {
    const { session, peer, closes } = setup({ role: 'smsc' });
    await bindRawEsme(session, peer, 'bind_transmitter');
    const unbinding: string[] = [];
    session.on('unbinding', (i) => unbinding.push(i.initiator));
    peer.send({ command: 'unbind', sequenceNumber: 9 });
    expect(await peer.next()).toMatchObject({ command: 'unbind_resp', commandStatus: 0, sequenceNumber: 9 });
    await peer.waitEnd();
    await session.closed;
    expect(closes).toEqual([{ reason: 'peer_unbind', clean: true }]);
    expect(unbinding).toEqual(['peer']);
  });

  it('lets outstanding requests get their responses before sending unbind, and refuses new ones', async () => {
    const { session, peer } = setup({ role: 'esme' });
    await bindEsmeSession(session, peer, 'bind_transmitter');
    const inFlight = session.request({ command: 'submit_sm' });
    const req = await peer.nextOf('submit_sm');
    const done = session.unbind();
    await expect(session.request({ command: 'submit_sm' })).rejects.toMatchObject({
      code: 'SMPP_INVALID_STATE',
    });
    expect(peer.pending).toEqual([]);
    peer.send({ command: 'submit_sm_resp', sequenceNumber: req.sequenceNumber, messageId: 'late' });
    expect((await inFlight).messageId).toBe('late');
    const unbind = await peer.nextOf('unbind');
    peer.send({ command: 'unbind_resp', sequenceNumber: unbind.sequenceNumber });
    expect(await done).toMatchObject({ clean: true });
  });

  it('refuses queued requests when the unbind starts, since none of them was sent', async () => {
    const { session, peer } = setup({ role: 'esme', windowSize: 1 });
    await bindEsmeSession(session, peer, 'bind_transmitter');
    const sent = session.request({ command: 'submit_sm' });
    const queued = session.request({ command: 'submit_sm' });
    const req = await peer.next();
    void session.unbind();
    await expect(queued).rejects.toMatchObject({ code: 'SMPP_SESSION_CLOSED', reason: 'unbinding' });
    peer.send({ command: 'submit_sm_resp', sequenceNumber: req.sequenceNumber });
    await sent;
  });

  it('answers requests already handed to the application before unbind_resp when the peer unbinds', async () => {
    const { session, peer } = setup({ role: 'smsc' });
    await bindRawEsme(session, peer, 'bind_transmitter');
    const held: Parameters<SmppSession['respond']>[0][] = [];
    session.on('pdu', (pdu) => {
      if (pdu.command === 'submit_sm') held.push(pdu);
    });
    peer.send({ command: 'submit_sm', sequenceNumber: 20 });
    peer.send({ command: 'unbind', sequenceNumber: 21 });
    peer.send({ command: 'submit_sm', sequenceNumber: 22 });
    const refused = await peer.next();
    expect(refused).toMatchObject({ command: 'submit_sm_resp', sequenceNumber: 22, commandStatus: 4 });
    expect(held).toHaveLength(1);
    session.respond(held[0]!, { messageId: 'm20' });
    expect(await peer.next()).toMatchObject({
      command: 'submit_sm_resp',
      sequenceNumber: 20,
      messageId: 'm20',
    });
    expect(await peer.next()).toMatchObject({ command: 'unbind_resp', sequenceNumber: 21 });
    await peer.waitEnd();
  });

  it('closes uncleanly when the peer never answers unbind', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { session, peer } = setup({ role: 'esme', unbindTimeoutMs: 3000 });
    await bindEsmeSession(session, peer, 'bind_transceiver');
    const done = session.unbind();
    await peer.nextOf('unbind');
    await vi.advanceTimersByTimeAsync(3000);
    await peer.waitEnd();
    expect(await done).toEqual({ reason: 'unbind', clean: false });
  });

  it('reports a peer that drops the connection as peer_closed and fails outstanding requests', async () => {
    const { session, peer, closes } = setup({ role: 'esme' });
    await bindEsmeSession(session, peer, 'bind_transceiver');
    const pending = session.request({ command: 'submit_sm' });
    await peer.next();
    peer.destroy();
    await expect(pending).rejects.toMatchObject({ code: 'SMPP_SESSION_CLOSED', reason: 'peer_closed' });
    await session.closed;
    expect(closes).toEqual([{ reason: 'peer_closed', clean: false }]);
    await expect(session.request({ command: 'submit_sm' })).rejects.toMatchObject({
      code: 'SMPP_SESSION_CLOSED',
    });
  });

  it('unbinds two sessions against each other, each seeing a clean close', async () => {
    const [a, b] = createDuplexPair();
    const esme = new SmppSession(a, { role: 'esme' });
    const smsc = new SmppSession(b, { role: 'smsc' });
    open.push({ session: esme }, { session: smsc });
    smsc.on('bind', (req) => req.accept({ systemId: 'SMSC1' }));
    const resp = await esme.bind('bind_transceiver', { systemId: 'e1', password: 'p' });
    expect(resp).toMatchObject({ systemId: 'SMSC1', commandStatus: 0 });
    expect([esme.state, smsc.state, esme.systemId, smsc.systemId]).toEqual([
      'bound_trx',
      'bound_trx',
      'SMSC1',
      'e1',
    ]);
    const [esmeClose, smscClose] = await Promise.all([esme.unbind(), smsc.closed]);
    expect(esmeClose).toEqual({ reason: 'unbind', clean: true });
    expect(smscClose).toEqual({ reason: 'peer_unbind', clean: true });
  });

  it('ends cleanly when both sides unbind at the same time', async () => {
    const [a, b] = createDuplexPair();
    const esme = new SmppSession(a, { role: 'esme' });
    const smsc = new SmppSession(b, { role: 'smsc' });
    open.push({ session: esme }, { session: smsc });
    smsc.on('bind', (req) => req.accept());
    await esme.bind('bind_transceiver', { systemId: 'e1' });
    const [x, y] = await Promise.all([esme.unbind(), smsc.unbind()]);
    expect(x.clean && y.clean).toBe(true);
    expect([x.reason, y.reason].every((r) => r === 'unbind' || r === 'peer_unbind')).toBe(true);
  });
});
