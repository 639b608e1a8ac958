import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApplicationRequest, CloseInfo } from '../../src/session/events.ts';
import type { SmppSession } from '../../src/session/session.ts';
import { bindEsmeSession, bindRawEsme, type RawPeer, sessionWithRawPeer } from './raw-peer.ts';

const open: { session: SmppSession; peer: RawPeer }[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const { session, peer } of open.splice(0)) {
    session.close();
    peer.destroy();
  }
});

const text = Buffer.alloc(120, 0x41);

describe('a peer that stops reading', () => {
  async function stalledPeer(options: Partial<Parameters<typeof sessionWithRawPeer>[0]>) {
    const pair = sessionWithRawPeer(
      { role: 'esme', windowSize: 1000, maxQueued: 10, ...options },
      { highWaterMark: 1024, peerReads: false },
    );
    open.push(pair);
    const { session, peer } = pair;
    // Bind while the peer still reads, then stop.
    peer.startReading();
    await bindEsmeSession(session, peer, 'bind_transmitter');
    peer.stream.pause();
    peer.stream.removeAllListeners('data');
    return pair;
  }

  it('queues requests in a bounded queue instead of the stream buffer, and rejects beyond it', async () => {
    const { session, peer } = await stalledPeer({});
    const stream = (session as unknown as { stream: import('node:stream').Duplex }).stream;
    const results: Promise<unknown>[] = [];
    for (let i = 0; i < 500; i++) {
      results.push(session.request({ command: 'submit_sm', shortMessage: text }).catch((e: unknown) => e));
    }
    await new Promise((r) => setImmediate(r));
    // What sits in the stream stays near one high-water mark, whatever the window says.
    expect(stream.writableLength).toBeLessThanOrEqual(1024 + 200);
    expect(session.outstanding.queued).toBe(10);
    const sent = session.outstanding.requests;
    expect(sent).toBeLessThan(30);
    const settled = await Promise.all(results.slice(sent + 10));
    expect(settled.every((e) => (e as { code?: string }).code === 'SMPP_WINDOW_FULL')).toBe(true);
    expect(settled).toHaveLength(500 - sent - 10);

    // Once the peer reads again, the queued requests go out.
    peer.startReading();
    peer.stream.resume();
    for (let i = 0; i < sent + 10; i++) {
      const req = await peer.nextOf('submit_sm');
      peer.send({ command: 'submit_sm_resp', sequenceNumber: req.sequenceNumber, messageId: String(i) });
    }
    const answered = await Promise.all(results.slice(0, sent + 10));
    expect(answered.every((r) => (r as { command?: string }).command === 'submit_sm_resp')).toBe(true);
  });

  it('closes the session when the peer does not read within the drain timeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { session } = await stalledPeer({ drainTimeoutMs: 5000 });
    let closed: CloseInfo | undefined;
    session.on('close', (info) => {
      closed = info;
    });
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      pending.push(session.request({ command: 'submit_sm', shortMessage: text }).catch((e: unknown) => e));
    }
    await vi.advanceTimersByTimeAsync(4999);
    expect(session.state).toBe('bound_tx');
    await vi.advanceTimersByTimeAsync(1);
    const info = await session.closed;
    expect(info).toMatchObject({ reason: 'drain_timeout', error: { code: 'SMPP_DRAIN_TIMEOUT' } });
    expect(closed).toBe(info);
    const codes = (await Promise.all(pending)).map((e) => (e as { code?: string }).code);
    // Sent and queued requests fail with the close; the rest were refused earlier for a full queue.
    expect(codes.filter((c) => c === 'SMPP_SESSION_CLOSED').length).toBeGreaterThan(10);
    expect(codes.every((c) => c === 'SMPP_SESSION_CLOSED' || c === 'SMPP_WINDOW_FULL')).toBe(true);
  });
});

describe('an application that answers slowly', () => {
  it('stops reading at maxInboundInFlight unanswered requests, so the peer feels backpressure', async () => {
    const pair = sessionWithRawPeer({ role: 'smsc', maxInboundInFlight: 3 }, { highWaterMark: 1024 });
    open.push(pair);
    const { session, peer } = pair;
    await bindRawEsme(session, peer, 'bind_transmitter');
    const held: ApplicationRequest[] = [];
    session.on('pdu', (pdu) => held.push(pdu));
    let refused = 0;
    for (let i = 0; i < 200; i++) {
      const bytes = peer.stream.write(
        (await import('../../src/encode.ts')).encodePdu({
          ...(await import('../../src/session/build.ts')).buildPdu({
            command: 'submit_sm',
            shortMessage: text,
          }),
          sequenceNumber: 100 + i,
        }),
      );
      if (!bytes) refused++;
    }
    await new Promise((r) => setImmediate(r));
    expect(held).toHaveLength(3);
    // The SMSC's reader stopped, so the peer's own writes report a full pipe.
    expect(refused).toBeGreaterThan(0);
    expect(peer.stream.writableNeedDrain).toBe(true);

    // Each answer lets exactly one more request in, until all 200 are through.
    for (let answered = 0; answered < 200; answered++) {
      const next = held[answered];
      expect(next?.sequenceNumber).toBe(100 + answered);
      session.respond(next as Exclude<ApplicationRequest, { command: 'alert_notification' }>, {
        messageId: 'x',
      });
      await new Promise((r) => setImmediate(r));
      expect(held.length - (answered + 1)).toBeLessThanOrEqual(3);
    }
    for (let i = 0; i < 200; i++) expect(await peer.next()).toMatchObject({ sequenceNumber: 100 + i });
  });
});
