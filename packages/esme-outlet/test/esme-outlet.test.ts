import { createRetryPolicy } from '@smsc/engine';
import { CommandStatus, type PduOf } from '@smsc/smpp';
import { SmsState } from '@smsc/store';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EsmeErrorClass, EsmeOutlet } from '../src/index.ts';
import { boundPair, record, TestRegistry } from './helpers.ts';

const logger = pino({ level: 'silent' });

describe('EsmeOutlet', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  async function setup(answer: (pdu: PduOf<'deliver_sm'>, i: number) => number | undefined) {
    const pair = await boundPair();
    cleanups.push(pair.close);
    const registry = new TestRegistry();
    registry.add('sink', pair.smsc);
    const received: PduOf<'deliver_sm'>[] = [];
    pair.esme.on('pdu', (pdu) => {
      if (pdu.command !== 'deliver_sm') return;
      received.push(pdu);
      const status = answer(pdu, received.length - 1);
      // undefined: never answer (the response timer decides).
      if (status !== undefined) pair.esme.respond(pdu, { commandStatus: status });
    });
    const outlet = new EsmeOutlet({ accountId: 'sink', registry, responseTimeoutMs: 200 });
    return { outlet, received, registry, pair };
  }

  const ctx = () => ({ signal: new AbortController().signal, logger });

  it('declares the account target the store gives receipts and routes', async () => {
    const outlet = new EsmeOutlet({ accountId: 'acme', registry: new TestRegistry() });
    expect(outlet.targets).toEqual(['esme:acme']);
  });

  it('delivers a batch in order over one session', async () => {
    const { outlet, received } = await setup(() => CommandStatus.ESME_ROK);
    const batch = ['one', 'two', 'three', 'four'].map((t) => record({}, t));
    const results = await outlet.deliver('46700000001', batch, ctx());
    expect(results.map((r) => r.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
    expect(received.map((p) => p.shortMessage.toString())).toEqual(['one', 'two', 'three', 'four']);
  });

  it('stops at a temporary refusal so that nothing overtakes it', async () => {
    const { outlet, received } = await setup((_p, i) =>
      i === 1 ? CommandStatus.ESME_RX_T_APPN : CommandStatus.ESME_ROK,
    );
    const batch = ['a', 'b', 'c'].map((t) => record({}, t));
    const results = await outlet.deliver('46700000001', batch, ctx());
    expect(results.map((r) => r.status)).toEqual(['delivered', 'temporary', 'temporary']);
    expect(results[2]).toMatchObject({ errorClass: EsmeErrorClass.order });
    expect(received).toHaveLength(2);
  });

  it('holds the rest of a batch exactly as long as the temporary failure before it, counting no attempt', async () => {
    const pair = await boundPair();
    cleanups.push(pair.close);
    const registry = new TestRegistry();
    registry.add('sink', pair.smsc);
    let n = 0;
    pair.esme.on('pdu', (pdu) => {
      if (pdu.command !== 'deliver_sm') return;
      n += 1;
      pair.esme.respond(pdu, { commandStatus: n === 2 ? CommandStatus.ESME_RX_T_APPN : 0 });
    });
    const retryPolicy = createRetryPolicy({ backoff: { baseMs: 5000, jitter: 0 } });
    const outlet = new EsmeOutlet({ accountId: 'sink', registry, retryPolicy });
    const results = await outlet.deliver('46700000001', [record(), record(), record()], ctx());
    expect(results).toEqual([
      { status: 'delivered' },
      expect.objectContaining({ status: 'temporary', retryAfterMs: 5000, errorClass: EsmeErrorClass.esme }),
      { status: 'throttled', retryAfterMs: 5000 },
    ]);
  });

  it('holds the rest of the batch as throttled when the ESME throttles', async () => {
    const { outlet, received } = await setup(() => CommandStatus.ESME_RTHROTTLED);
    const results = await outlet.deliver('46700000001', [record(), record()], ctx());
    expect(results.map((r) => r.status)).toEqual(['throttled', 'throttled']);
    expect(received).toHaveLength(1);
  });

  it('fails a message the ESME refuses for good and goes on with the next', async () => {
    const { outlet, received } = await setup((_p, i) =>
      i === 0 ? CommandStatus.ESME_RX_P_APPN : CommandStatus.ESME_ROK,
    );
    const results = await outlet.deliver('46700000001', [record(), record()], ctx());
    expect(results.map((r) => r.status)).toEqual(['permanent', 'delivered']);
    expect(received).toHaveLength(2);
  });

  it('counts a missing deliver_sm_resp as a temporary failure', async () => {
    const { outlet } = await setup(() => undefined);
    const results = await outlet.deliver('46700000001', [record(), record()], ctx());
    expect(results[0]).toMatchObject({ status: 'temporary', errorClass: EsmeErrorClass.timeout });
    expect(results[1]).toMatchObject({ status: 'temporary', errorClass: EsmeErrorClass.order });
  });

  it('lets the rest of a batch wait, not counted, when its session starts unbinding', async () => {
    const { outlet, received, pair } = await setup((_p, i) => {
      // The SMSC side starts an unbind (shutdown) while the first deliver_sm is outstanding.
      if (i === 0) void pair.smsc.unbind();
      return CommandStatus.ESME_ROK;
    });
    const results = await outlet.deliver('46700000001', [record(), record(), record()], ctx());
    expect(results[0]?.status).toBe('delivered');
    expect(results.slice(1)).toEqual([
      { status: 'throttled', retryAfterMs: 1000 },
      { status: 'throttled', retryAfterMs: 1000 },
    ]);
    expect(received).toHaveLength(1);
  });

  it('sends nothing once the worker aborts the batch', async () => {
    const { outlet, received } = await setup(() => CommandStatus.ESME_ROK);
    const ac = new AbortController();
    ac.abort();
    const results = await outlet.deliver('46700000001', [record(), record()], { signal: ac.signal, logger });
    expect(results).toEqual([
      { status: 'throttled', retryAfterMs: 0 },
      { status: 'throttled', retryAfterMs: 0 },
    ]);
    expect(received).toHaveLength(0);
  });

  it('lets a message wait, without counting an attempt, when the account has no receiving bind', async () => {
    const outlet = new EsmeOutlet({ accountId: 'sink', registry: new TestRegistry(), noReceiverRetryMs: 50 });
    const results = await outlet.deliver('46700000001', [record()], ctx());
    expect(results).toEqual([{ status: 'throttled', retryAfterMs: 50 }]);
  });

  it('sends a batch of receipts without waiting for each answer: they need no order', async () => {
    const pair = await boundPair('acme');
    cleanups.push(pair.close);
    const registry = new TestRegistry();
    registry.add('acme', pair.smsc);
    const held: PduOf<'deliver_sm'>[] = [];
    // Answers nothing until all four are in: a one-at-a-time sender would time out here.
    pair.esme.on('pdu', (pdu) => {
      if (pdu.command !== 'deliver_sm') return;
      held.push(pdu);
      if (held.length === 4) for (const p of held) pair.esme.respond(p, {});
    });
    const outlet = new EsmeOutlet({ accountId: 'acme', registry, responseTimeoutMs: 2000 });
    const receipts = [1, 2, 3, 4].map((i) =>
      record({
        _id: `r${i}.r`,
        kind: 'receipt',
        receiptOf: {
          messageId: `r${i}`,
          state: SmsState.delivered,
          submittedAt: new Date(0),
          doneAt: new Date(0),
          attempts: 1,
        },
      }),
    );
    const results = await outlet.deliver('4915100000001', receipts, ctx());
    expect(results.map((r) => r.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
    expect(held.map((p) => p.tlvs?.receiptedMessageId)).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('uses the least busy of the account sessions', async () => {
    // The first ESME never answers 'held', so that session stays busy.
    const first = await setup((p) =>
      p.shortMessage.toString() === 'held' ? undefined : CommandStatus.ESME_ROK,
    );
    const second = await boundPair();
    cleanups.push(second.close);
    const seen: string[] = [];
    second.esme.on('pdu', (pdu) => {
      if (pdu.command !== 'deliver_sm') return;
      seen.push(pdu.shortMessage.toString());
      second.esme.respond(pdu, {});
    });
    first.registry.add('sink', second.smsc);
    const held = first.pair.smsc.request({ command: 'deliver_sm', shortMessage: Buffer.from('held') });
    held.catch(() => undefined);
    await vi.waitFor(() => expect(first.received).toHaveLength(1));
    const results = await first.outlet.deliver('46700000001', [record({}, 'to-second')], ctx());
    expect(results[0]?.status).toBe('delivered');
    expect(seen).toEqual(['to-second']);
  });
});
