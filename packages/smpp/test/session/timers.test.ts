import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CloseInfo } from '../../src/session/events.ts';
import type { SmppSession } from '../../src/session/session.ts';
import { bindEsmeSession, bindRawEsme, type RawPeer, sessionWithRawPeer } from './raw-peer.ts';

const open: { session: SmppSession; peer: RawPeer }[] = [];

function setup(options: Parameters<typeof sessionWithRawPeer>[0]) {
  const pair = sessionWithRawPeer(options);
  open.push(pair);
  let closed: CloseInfo | undefined;
  pair.session.on('close', (info) => {
    closed = info;
  });
  return { ...pair, closedWith: () => closed };
}

afterEach(async () => {
  for (const { session, peer } of open.splice(0)) {
    session.close();
    peer.destroy();
  }
  vi.useRealTimers();
});

describe('enquire_link keepalive (§7.2 enquire_link_timer)', () => {
  it('sends enquire_link after the interval of silence and stays up when answered', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { session, peer, closedWith } = setup({
      role: 'esme',
      enquireLinkIntervalMs: 30_000,
      responseTimeoutMs: 10_000,
    });
    await bindEsmeSession(session, peer, 'bind_transceiver');
    await vi.advanceTimersByTimeAsync(29_999);
    expect(peer.pending).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    const ping = await peer.nextOf('enquire_link');
    peer.send({ command: 'enquire_link_resp', sequenceNumber: ping.sequenceNumber });
    // A second round happens after another quiet interval.
    await vi.advanceTimersByTimeAsync(30_000);
    const again = await peer.nextOf('enquire_link');
    expect(again.sequenceNumber).toBe(ping.sequenceNumber + 1);
    peer.send({ command: 'enquire_link_resp', sequenceNumber: again.sequenceNumber });
    await vi.advanceTimersByTimeAsync(1);
    expect(session.state).toBe('bound_trx');
    expect(closedWith()).toBeUndefined();
  });

  it('does not ping while the peer is talking', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { session, peer } = setup({ role: 'smsc', enquireLinkIntervalMs: 1000 });
    await bindRawEsme(session, peer, 'bind_transceiver');
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(600);
      peer.send({ command: 'enquire_link', sequenceNumber: 100 + i });
      expect(await peer.nextOf('enquire_link_resp')).toMatchObject({ sequenceNumber: 100 + i });
    }
    expect(peer.pending).toEqual([]);
  });

  it('closes the session when the peer does not answer enquire_link', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { session, peer, closedWith } = setup({
      role: 'esme',
      enquireLinkIntervalMs: 30_000,
      responseTimeoutMs: 10_000,
    });
    await bindEsmeSession(session, peer, 'bind_transceiver');
    await vi.advanceTimersByTimeAsync(30_000);
    await peer.nextOf('enquire_link');
    await vi.advanceTimersByTimeAsync(10_000);
    await peer.waitEnd();
    await vi.advanceTimersByTimeAsync(0);
    expect(session.state).toBe('closed');
    expect(closedWith()).toMatchObject({ reason: 'enquire_link_timeout', clean: false });
  });

  it('stays up when the peer answers enquire_link with generic_nack: it is alive', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { session, peer, closedWith } = setup({ role: 'esme', enquireLinkIntervalMs: 1000 });
    await bindEsmeSession(session, peer, 'bind_transceiver');
    await vi.advanceTimersByTimeAsync(1000);
    const ping = await peer.nextOf('enquire_link');
    peer.send({ command: 'generic_nack', commandStatus: 3, sequenceNumber: ping.sequenceNumber });
    peer.send({ command: 'enquire_link', sequenceNumber: 77 });
    await peer.nextOf('enquire_link_resp');
    expect(session.state).toBe('bound_trx');
    expect(closedWith()).toBeUndefined();
  });
});

describe('inactivity timer (§7.2)', () => {
  it('unbinds and closes after the inactivity timeout without any PDU from the peer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { session, peer, closedWith } = setup({ role: 'smsc', inactivityTimeoutMs: 300_000 });
    await bindRawEsme(session, peer, 'bind_transmitter');
    await vi.advanceTimersByTimeAsync(299_999);
    expect(peer.pending).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    const unbind = await peer.nextOf('unbind');
    peer.send({ command: 'unbind_resp', sequenceNumber: unbind.sequenceNumber });
    await peer.waitEnd();
    await session.closed;
    expect(closedWith()).toEqual({ reason: 'inactivity', clean: true });
  });

  it('counts any PDU from the peer as activity', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { session, peer } = setup({ role: 'smsc', inactivityTimeoutMs: 1000 });
    await bindRawEsme(session, peer, 'bind_transmitter');
    for (let i = 0; i < 4; i++) {
      await vi.advanceTimersByTimeAsync(900);
      peer.send({ command: 'enquire_link', sequenceNumber: 50 + i });
      await peer.nextOf('enquire_link_resp');
    }
    expect(session.state).toBe('bound_tx');
  });
});

describe('session init timer (§7.2)', () => {
  it('closes a server session that does not bind in time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { session, peer, closedWith } = setup({ role: 'smsc', sessionInitTimeoutMs: 5000 });
    await vi.advanceTimersByTimeAsync(4999);
    expect(session.state).toBe('open');
    await vi.advanceTimersByTimeAsync(1);
    await peer.waitEnd();
    await session.closed;
    expect(closedWith()).toEqual({ reason: 'session_init_timeout', clean: false });
  });

  it('stops once the session is bound', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { session, peer } = setup({ role: 'smsc', sessionInitTimeoutMs: 5000 });
    await bindRawEsme(session, peer, 'bind_receiver');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(session.state).toBe('bound_rx');
  });
});
