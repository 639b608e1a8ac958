import { afterEach, describe, expect, it, vi } from 'vitest';
import { SequenceCounter } from '../../src/session/sequence.ts';
import type { SmppSession } from '../../src/session/session.ts';
import { bindEsmeSession, type RawPeer, sessionWithRawPeer } from './raw-peer.ts';

const open: { session: SmppSession; peer: RawPeer }[] = [];

async function boundEsme(
  options: Parameters<typeof sessionWithRawPeer>[0] extends infer O ? Partial<O> : never,
) {
  const pair = sessionWithRawPeer({ role: 'esme', ...options });
  open.push(pair);
  await bindEsmeSession(pair.session, pair.peer, 'bind_transceiver');
  return pair;
}

afterEach(async () => {
  vi.useRealTimers();
  for (const { session, peer } of open.splice(0)) {
    await session.close();
    peer.destroy();
  }
});

describe('sequence numbers', () => {
  it('wraps from 0x7FFFFFFF back to 1 (§5.1.4)', () => {
    const counter = new SequenceCounter(0x7ffffffe);
    expect([counter.next(), counter.next(), counter.next(), counter.next()]).toEqual([
      0x7ffffffe, 0x7fffffff, 1, 2,
    ]);
  });

  it('skips numbers still awaiting a response after a wrap', () => {
    const counter = new SequenceCounter(0x7fffffff);
    expect(counter.next()).toBe(0x7fffffff);
    expect(counter.next((n) => n === 1 || n === 2)).toBe(3);
  });

  it('refuses a first number outside 1..0x7FFFFFFF', () => {
    expect(() => new SequenceCounter(0)).toThrow(RangeError);
    expect(() => new SequenceCounter(0x80000000)).toThrow(RangeError);
  });

  it('numbers a session requests upwards and wraps on the wire', async () => {
    const { session, peer } = await boundEsme({ initialSequenceNumber: 0x7ffffffe });
    // The bind used 0x7ffffffe.
    const seqs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const resp = session.request({ command: 'enquire_link' });
      const req = await peer.nextOf('enquire_link');
      seqs.push(req.sequenceNumber);
      peer.send({ command: 'enquire_link_resp', sequenceNumber: req.sequenceNumber });
      expect((await resp).sequenceNumber).toBe(req.sequenceNumber);
    }
    expect(seqs).toEqual([0x7fffffff, 1, 2]);
  });
});

describe('window of outstanding requests', () => {
  it('holds requests beyond the window until a response frees a slot, and rejects beyond the queue', async () => {
    const { session, peer } = await boundEsme({ windowSize: 2, maxQueued: 1 });
    const r1 = session.request({ command: 'submit_sm', destinationAddr: '1' });
    const r2 = session.request({ command: 'submit_sm', destinationAddr: '2' });
    const r3 = session.request({ command: 'submit_sm', destinationAddr: '3' });
    const r4 = session.request({ command: 'submit_sm', destinationAddr: '4' });
    await expect(r4).rejects.toMatchObject({ code: 'SMPP_WINDOW_FULL', windowSize: 2, maxQueued: 1 });
    const first = await peer.nextOf('submit_sm');
    const second = await peer.nextOf('submit_sm');
    expect([first.destinationAddr, second.destinationAddr]).toEqual(['1', '2']);
    expect(session.outstanding).toMatchObject({ requests: 2, queued: 1 });
    expect(peer.pending).toEqual([]);

    peer.send({ command: 'submit_sm_resp', sequenceNumber: second.sequenceNumber, messageId: 'b' });
    expect(await r2).toMatchObject({ command: 'submit_sm_resp', messageId: 'b' });
    const third = await peer.nextOf('submit_sm');
    expect(third.destinationAddr).toBe('3');
    peer.send({ command: 'submit_sm_resp', sequenceNumber: third.sequenceNumber, messageId: 'c' });
    peer.send({ command: 'submit_sm_resp', sequenceNumber: first.sequenceNumber, messageId: 'a' });
    // Responses may come in any order; each goes to its own request by sequence number.
    expect((await r1).messageId).toBe('a');
    expect((await r3).messageId).toBe('c');
    expect(session.outstanding).toMatchObject({ requests: 0, queued: 0 });
  });

  it('resolves with a non-zero command_status response and rejects on generic_nack', async () => {
    const { session, peer } = await boundEsme({});
    const throttled = session.request({ command: 'submit_sm' });
    const nacked = session.request({ command: 'submit_sm' });
    const a = await peer.next();
    const b = await peer.next();
    peer.send({ command: 'submit_sm_resp', sequenceNumber: a.sequenceNumber, commandStatus: 0x58 });
    peer.send({ command: 'generic_nack', sequenceNumber: b.sequenceNumber, commandStatus: 0x03 });
    expect(await throttled).toMatchObject({ commandStatus: 0x58 });
    await expect(nacked).rejects.toMatchObject({ code: 'SMPP_GENERIC_NACK', commandStatus: 3 });
  });

  it('reports a response that answers no request and keeps going', async () => {
    const { session, peer } = await boundEsme({});
    const errors: Error[] = [];
    session.on('error', (e) => errors.push(e));
    peer.send({ command: 'submit_sm_resp', sequenceNumber: 4242, messageId: 'x' });
    peer.send({ command: 'enquire_link', sequenceNumber: 9 });
    await peer.nextOf('enquire_link_resp');
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual(['SMPP_PROTOCOL']);
    expect(session.state).toBe('bound_trx');
  });
});

describe('response and queue timeouts', () => {
  it('rejects a request with SmppTimeoutError after the response timeout and frees its slot', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { session, peer } = await boundEsme({ windowSize: 1, responseTimeoutMs: 5000 });
    const first = session.request({ command: 'submit_sm' }).catch((e: unknown) => e);
    const second = session.request({ command: 'submit_sm' });
    const req = await peer.nextOf('submit_sm');
    await vi.advanceTimersByTimeAsync(4999);
    expect(session.outstanding.requests).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await first).toMatchObject({
      code: 'SMPP_RESPONSE_TIMEOUT',
      command: 'submit_sm',
      sequenceNumber: req.sequenceNumber,
      timeoutMs: 5000,
    });
    // The freed slot goes to the queued request; a late response to the first is a stray.
    const next = await peer.nextOf('submit_sm');
    peer.send({ command: 'submit_sm_resp', sequenceNumber: next.sequenceNumber, messageId: 'ok' });
    expect((await second).messageId).toBe('ok');
  });

  it('honours a per-request timeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { session, peer } = await boundEsme({ responseTimeoutMs: 60_000 });
    const r = session.request({ command: 'enquire_link' }, { timeoutMs: 100 }).catch((e: unknown) => e);
    await peer.next();
    await vi.advanceTimersByTimeAsync(100);
    expect(await r).toMatchObject({ code: 'SMPP_RESPONSE_TIMEOUT', timeoutMs: 100 });
  });

  it('rejects a request that waited too long for a window slot with SmppQueueTimeoutError', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { session, peer } = await boundEsme({
      windowSize: 1,
      queueTimeoutMs: 1000,
      responseTimeoutMs: 60_000,
    });
    void session.request({ command: 'submit_sm' }).catch(() => {});
    const waiting = session.request({ command: 'submit_sm' }).catch((e: unknown) => e);
    await peer.next();
    await vi.advanceTimersByTimeAsync(1000);
    expect(await waiting).toMatchObject({ code: 'SMPP_QUEUE_TIMEOUT' });
    expect(session.outstanding).toMatchObject({ requests: 1, queued: 0 });
  });
});
