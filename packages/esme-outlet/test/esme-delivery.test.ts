import { once } from 'node:events';
import type { SmppServer, SmppSession } from '@smsc/smpp';
import {
  createBatchQueue,
  createStore,
  RECEIPT_ID_SUFFIX,
  type SmsRecord,
  SmsState,
  type Store,
} from '@smsc/store';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EsmeDelivery, type EsmeWorkerOptions } from '../src/index.ts';
import { eventually, submit, TestRegistry, testEsme, testServer } from './helpers.ts';

describe('EsmeDelivery', () => {
  let mongo: TestMongo;
  let store: Store;
  let registry: TestRegistry;
  let server: SmppServer;
  let delivery: EsmeDelivery;
  const sessions: SmppSession[] = [];

  beforeAll(async () => {
    mongo = await useTestMongo();
    store = createStore({ db: await mongo.db(), eventsSizeBytes: 1024 * 1024 });
    await store.migrate();
  });
  afterAll(() => mongo.close());

  async function start(retry?: EsmeWorkerOptions['retry']) {
    registry = new TestRegistry();
    server = await testServer(registry);
    delivery = new EsmeDelivery({
      store,
      registry,
      id: 'test',
      idleDrainMs: 1000,
      // A scan far beyond the test timeouts: work queued after a bind must arrive through the event tail.
      worker: {
        leaseMs: 5000,
        scanIntervalMs: 60_000,
        tail: { maxAwaitTimeMS: 100 },
        ...(retry ? { retry } : {}),
      },
    });
    delivery.start();
  }

  afterEach(async () => {
    await delivery.close({ timeoutMs: 1000 });
    for (const s of sessions.splice(0)) await s.close();
    await server.close();
  });

  async function esme(...args: Parameters<typeof testEsme> extends [number, ...infer R] ? R : never) {
    const e = await testEsme(server.port, ...args);
    sessions.push(e.session);
    return e;
  }

  it('starts waiting messages when the receiving bind arrives and delivers them in order', async () => {
    await start();
    const parts: SmsRecord[] = [];
    for (let seq = 1; seq <= 3; seq += 1)
      parts.push(
        await store.queue(submit('46700000011', `part ${seq}`, { segment: { ref: 7, total: 3, seq } })),
      );
    // Nobody bound: nothing claimed.
    expect(delivery.accounts).toEqual([]);

    const sink = await esme('sink');
    await eventually(() => sink.received.length === 3);
    expect(sink.received.map((p) => p.shortMessage.toString())).toEqual(['part 1', 'part 2', 'part 3']);
    await eventually(async () => (await store.get(parts[2]!._id))?.state === SmsState.delivered);
    for (const p of parts) expect((await store.get(p._id))?.state).toBe(SmsState.delivered);
  });

  it('delivers one receipt per segment to a receiving bind of the submitting account, with the submit ids', async () => {
    await start();
    const sink = await esme('sink');
    const ids: string[] = [];
    for (let seq = 1; seq <= 2; seq += 1)
      ids.push(
        (await store.queue(submit('46700000012', `seg ${seq}`, { segment: { ref: 8, total: 2, seq } })))._id,
      );
    await eventually(() => sink.received.length === 2);
    await eventually(async () => (await store.get(ids[1]! + RECEIPT_ID_SUFFIX)) !== null);

    const acme = await esme('acme', () => 0, 'bind_transceiver');
    // Receipts of earlier tests in this file go to acme too: look at this test's.
    const mine = () => acme.received.filter((r) => ids.includes(r.tlvs?.receiptedMessageId ?? ''));
    await eventually(() => mine().length === 2);
    const receipts = mine();
    expect(receipts.map((r) => r.tlvs?.receiptedMessageId).sort()).toEqual([...ids].sort());
    for (const r of receipts) {
      expect(r.esmClass).toBe(0x04);
      expect(r.sourceAddr).toBe('46700000012');
      expect(r.destinationAddr).toBe('4915100000001');
      expect(r.shortMessage.toString()).toMatch(
        new RegExp(`^id:${r.tlvs?.receiptedMessageId} sub:001 dlvrd:001 .*stat:DELIVRD err:000`),
      );
    }
  });

  it('claims nothing for accounts without a receiving bind here', async () => {
    await start();
    await esme('sink');
    const other = await store.queue(submit('46700000013', 'elsewhere', { target: 'esme:nobody-here' }));
    const mine = await store.queue(submit('46700000014', 'mine'));
    await eventually(async () => (await store.get(mine._id))?.state === SmsState.delivered);
    const stored = await store.get(other._id);
    expect(stored?.state).toBe(SmsState.queued);
    expect(stored?.history).toEqual([]);
  });

  it('wakes an idle account worker through the event tail when a message is queued', async () => {
    await start();
    const sink = await esme('sink');
    await eventually(() => delivery.worker('sink')?.state === 'running');
    await delivery.worker('sink')!.whenIdle();
    // The scan runs every 60 s here: only the event of this queue() can start the delivery.
    const m = await store.queue(submit('46700000018', 'woken'));
    await eventually(() => sink.received.some((p) => p.shortMessage.toString() === 'woken'), 3000);
    await eventually(async () => (await store.get(m._id))?.state === SmsState.delivered);
  });

  it('stops the account worker when its last receiving bind goes, and the messages wait', async () => {
    await start();
    const sink = await esme('sink');
    await eventually(() => delivery.accounts.includes('sink'));
    const stopped = once(delivery, 'workerStopped');
    await sink.session.unbind();
    await stopped;
    expect(delivery.accounts).toEqual([]);
    const waiting = await store.queue(submit('46700000015', 'later'));
    const again = await esme('sink');
    await eventually(() => again.received.length === 1);
    expect(again.received[0]?.shortMessage.toString()).toBe('later');
    await eventually(async () => (await store.get(waiting._id))?.state === SmsState.delivered);
  });

  it('lets a batch in flight finish on close, so its outcome is recorded', async () => {
    await start();
    let answered = 0;
    const slow = await esme('sink', () => 0);
    // Replace the instant answer with a slow one.
    slow.session.removeAllListeners('pdu');
    slow.session.on('pdu', (pdu) => {
      if (pdu.command !== 'deliver_sm') return;
      slow.received.push(pdu);
      setTimeout(() => {
        answered += 1;
        slow.session.respond(pdu, {});
      }, 300);
    });
    const m = await store.queue(submit('46700000017', 'in flight at close'));
    await eventually(() => slow.received.length === 1);
    await delivery.close({ timeoutMs: 3000 });
    expect(answered).toBe(1);
    expect((await store.get(m._id))?.state).toBe(SmsState.delivered);
  });

  it('keeps the order of a destination across a temporary refusal and its retry', async () => {
    // Heavy jitter: if the messages held behind the refused one got delays of their own, one of
    // them would often become due first and overtake it.
    await start({ backoff: { baseMs: 300, jitter: 0.9 } });
    // Queued before the bind, so that the four go out as one batch.
    const ids: string[] = [];
    for (const text of ['o1', 'o2', 'o3', 'o4'])
      ids.push((await store.queue(submit('46700000019', text)))._id);
    let refused = false;
    const sink = await esme('sink', (pdu) => {
      if (!refused && pdu.shortMessage.toString() === 'o2') {
        refused = true;
        return 0x64; // ESME_RX_T_APPN
      }
      return 0;
    });
    await eventually(async () => (await store.get(ids[3]!))?.state === SmsState.delivered);
    const seen = sink.received.map((p) => p.shortMessage.toString()).filter((t) => t.startsWith('o'));
    expect(seen).toEqual(['o1', 'o2', 'o2', 'o3', 'o4']);
    // Only the refused one counted an attempt for the refusal.
    expect((await store.get(ids[1]!))?.attempts).toBe(2);
    expect((await store.get(ids[2]!))?.attempts).toBe(1);
  });

  it('records a permanent refusal by the ESME as failed', async () => {
    await start();
    await esme('sink', () => 0x65);
    const m = await store.queue(submit('46700000016', 'refused'));
    await eventually(async () => (await store.get(m._id))?.state === SmsState.failed);
    expect((await store.get(m._id))?.lastError).toContain('ESME_RX_P_APPN');
  });

  it('takes messages for a bound account as they are stored (inserter claims), in order', async () => {
    await start();
    const sink = await esme('sink');
    await eventually(() => delivery.accounts.includes('sink'));
    // A worker is caught up once its first round found nothing.
    await eventually(() => delivery.offerQueueClaim('esme:sink') !== undefined);
    expect(delivery.offerQueueClaim('esme:nobody')).toBeUndefined();
    const q = createBatchQueue(store, { claims: (target) => delivery.offerQueueClaim(target) });
    const results = await q.queueMany(
      [1, 2, 3].map((seq) => submit('46700000017', `direct ${seq}`, { segment: { ref: 9, total: 3, seq } })),
    );
    await eventually(() => sink.received.length === 3);
    expect(sink.received.map((p) => p.shortMessage.toString())).toEqual(['direct 1', 'direct 2', 'direct 3']);
    for (const r of results) {
      const id = r.ok ? r.record._id : '';
      await eventually(async () => (await store.get(id))?.state === SmsState.delivered);
      expect((await store.get(id))?.history.map((h) => h.outcome)).toEqual(['claimed', 'delivered']);
      // Stored claimed: no queued event woke anybody.
      const events = await store.collections.events.find({ smsId: id }).toArray();
      expect(events.map((e) => e.type)).toEqual(['sms.delivered']);
    }
  });
});
