import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type BindOptions, bindNodeSmpp, type NsEsme, nsCall } from './support/node-smpp.ts';
import { ACCOUNTS, ROUTES, receivedFromNodeSmpp, SOURCE, waitUntil } from './support/scenario.ts';
import { killAllSmscProcesses, type SmscProcess, startSmscProcess } from './support/smsc-process.ts';

// SMPP 3.4 §5.1.3 and §5.2.28, spelled out rather than imported from our own library.
const ESME_RTHROTTLED = 0x58;
const ESME_RX_T_APPN = 0x64;
const ESME_RX_P_APPN = 0x65;
const DELIVERED = 2;
const EXPIRED = 3;
const UNDELIVERABLE = 5;

// What the sink's answer to deliver_sm does to a message and its receipt, through `smsc all` and
// node-smpp: a temporary refusal is retried, a permanent one ends it with an UNDELIV receipt, and
// registered_delivery 2 asks for receipts on failure only.
describe('delivery outcomes and their receipts', () => {
  let smsc: SmscProcess;
  let port: number;
  const esmes: NsEsme[] = [];
  beforeAll(async () => {
    smsc = await startSmscProcess({
      role: 'all',
      config: {
        // A window of 3 unanswered deliver_sm per session (§2.9), checked below.
        // A deliver_sm_resp missing after 1 s counts as a temporary failure (checked below).
        smpp: { enquireLinkIntervalMs: 0, windowSize: 3, responseTimeoutMs: 1000 },
        accounts: ACCOUNTS,
        routes: ROUTES,
        // A retry after 200 ms keeps the test short; the default is 30 s.
        delivery: { retryBaseMs: 200, retryMaxMs: 1000, throttleDelayMs: 200 },
        // Expiry runs in cleanup; every 500 ms keeps the validity test short.
        cleanup: { intervalMs: 500, leaseMs: 5000 },
        shutdown: { drainMs: 1000 },
      },
    });
    port = smsc.smpp!.port;
  }, 30_000);
  // Every test unbinds its ESMEs, also when it fails: a session left bound would take the next
  // test's messages and receipts.
  afterEach(async () => {
    await Promise.all(esmes.splice(0).map((e) => e.close()));
  });
  afterAll(async () => {
    await killAllSmscProcesses();
  });

  /** Binds sink (with its answers) and acme; both are unbound at the end of each test. */
  const bindBoth = async (answer: BindOptions['answer'], answerDelayMs?: number) => {
    onTestFailed(() => console.error(smsc.logs()));
    const sink = await bindNodeSmpp(port, 'bind_receiver', 'sink', 'sink-pw', {
      answer,
      ...(answerDelayMs ? { answerDelayMs } : {}),
    });
    const acme = await bindNodeSmpp(port, 'bind_transceiver', 'acme', 'acme-pw');
    esmes.push(sink, acme);
    return { sink, acme };
  };
  const submit = async (
    acme: NsEsme,
    to: string,
    text: string,
    registeredDelivery: number,
    extra: Record<string, unknown> = {},
  ) => {
    const resp = await nsCall(acme.session, 'submit_sm', {
      ...extra,
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: SOURCE,
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: to,
      registered_delivery: registeredDelivery,
      short_message: Buffer.from(text),
    });
    expect(resp.command_status).toBe(0);
    return resp.message_id!;
  };
  const queryState = async (esme: NsEsme, id: string) =>
    (
      await nsCall(esme.session, 'query_sm', {
        message_id: id,
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: SOURCE,
      })
    ).message_state;

  it('retries a deliver_sm refused with ESME_RX_T_APPN and delivers it, with one DELIVRD receipt', async () => {
    const { sink, acme } = await bindBoth((_pdu, index) => (index === 0 ? ESME_RX_T_APPN : 0));
    const id = await submit(acme, '46700000021', 'try again', 1);
    await waitUntil(
      () => sink.delivered.length >= 2 && acme.delivered.length >= 1,
      10_000,
      () => `sink got ${sink.delivered.length}, acme ${acme.delivered.length}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    // The same message twice: refused, then taken.
    expect(sink.delivered.map((p) => receivedFromNodeSmpp(p).text)).toEqual(['try again', 'try again']);
    expect(acme.delivered.map(receivedFromNodeSmpp)).toEqual([
      expect.objectContaining({ esmClass: 4, receiptedMessageId: id, messageState: DELIVERED }),
    ]);
    expect(receivedFromNodeSmpp(acme.delivered[0]!).text).toMatch(
      new RegExp(`^id:${id} .*stat:DELIVRD err:000`),
    );
    expect(await queryState(acme, id)).toBe(DELIVERED);
  });

  it('ends a message refused with ESME_RX_P_APPN without retrying: acme gets stat:UNDELIV and query_sm says UNDELIVERABLE', async () => {
    const { sink, acme } = await bindBoth(() => ESME_RX_P_APPN);
    const id = await submit(acme, '46700000022', 'not for me', 1);
    await waitUntil(
      () => acme.delivered.length >= 1,
      10_000,
      () => `sink got ${sink.delivered.length}, acme ${acme.delivered.length}`,
    );
    // Longer than the 200 ms retry delay: a retry would show up here.
    await new Promise((r) => setTimeout(r, 600));
    expect(sink.delivered).toHaveLength(1);
    const [receipt] = acme.delivered.map(receivedFromNodeSmpp);
    expect(acme.delivered).toHaveLength(1);
    expect(receipt).toMatchObject({ esmClass: 4, receiptedMessageId: id, messageState: UNDELIVERABLE });
    expect(receipt!.text).toMatch(new RegExp(`^id:${id} sub:001 dlvrd:000 .*stat:UNDELIV err:(?!000)\\d{3}`));
    expect(await queryState(acme, id)).toBe(UNDELIVERABLE);
  });

  it('sends a receipt for registered_delivery 2 only when the message fails', async () => {
    const refused = '46700000023';
    const { sink, acme } = await bindBoth((pdu) => (pdu.destination_addr === refused ? ESME_RX_P_APPN : 0));
    const failedId = await submit(acme, refused, 'will fail', 2);
    const deliveredId = await submit(acme, '46700000024', 'will arrive', 2);
    await waitUntil(
      () => sink.delivered.length >= 2 && acme.delivered.length >= 1,
      10_000,
      () => `sink got ${sink.delivered.length}, acme ${acme.delivered.length}`,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(acme.delivered.map((p) => p.receipted_message_id)).toEqual([failedId]);
    expect(await queryState(acme, deliveredId)).toBe(DELIVERED);
  });

  it('expires a message no receiver took within its validity: acme gets stat:EXPIRED and a sink that binds later gets nothing', async () => {
    onTestFailed(() => console.error(smsc.logs()));
    const acme = await bindNodeSmpp(port, 'bind_transceiver', 'acme', 'acme-pw');
    esmes.push(acme);
    // node-smpp pads '2' to the relative time 000000000002000R: two seconds (§7.1.1).
    const id = await submit(acme, '46700000025', 'too late', 1, { validity_period: '2' });
    await waitUntil(
      () => acme.delivered.length >= 1,
      10_000,
      () => 'no receipt for the expired message',
    );
    const [receipt] = acme.delivered.map(receivedFromNodeSmpp);
    expect(receipt).toMatchObject({ esmClass: 4, receiptedMessageId: id, messageState: EXPIRED });
    expect(receipt!.text).toMatch(new RegExp(`^id:${id} sub:001 dlvrd:000 .*stat:EXPIRED`));
    expect(await queryState(acme, id)).toBe(EXPIRED);

    const sink = await bindNodeSmpp(port, 'bind_receiver', 'sink', 'sink-pw');
    esmes.push(sink);
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.delivered).toEqual([]);
  }, 20_000);

  it('holds a message until its schedule_delivery_time', async () => {
    const { sink, acme } = await bindBoth(() => 0);
    // Absolute time, whole seconds (node-smpp writes tenths and a +00 offset, §7.1.1).
    const at = new Date(Math.ceil((Date.now() + 2000) / 1000) * 1000);
    const id = await submit(acme, '46700000026', 'on time', 1, { schedule_delivery_time: at });
    expect(await queryState(acme, id)).toBe(1);
    await waitUntil(
      () => sink.delivered.length >= 1,
      10_000,
      () => 'the scheduled message did not arrive',
    );
    const arrived = Date.now();
    expect(arrived).toBeGreaterThanOrEqual(at.getTime());
    expect(receivedFromNodeSmpp(sink.delivered[0]!).text).toBe('on time');
    await waitUntil(
      () => acme.delivered.length >= 1,
      5000,
      () => 'no receipt for the scheduled message',
    );
    expect(acme.delivered.map((p) => p.receipted_message_id)).toEqual([id]);
  }, 20_000);

  it('takes ESME_RTHROTTLED from the sink as "slow down" and delivers after the pause, with one DELIVRD receipt', async () => {
    const { sink, acme } = await bindBoth((_pdu, index) => (index === 0 ? ESME_RTHROTTLED : 0));
    const id = await submit(acme, '46700000027', 'easy now', 1);
    await waitUntil(
      () => sink.delivered.length >= 2 && acme.delivered.length >= 1,
      10_000,
      () => `sink got ${sink.delivered.length}, acme ${acme.delivered.length}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.delivered.map((p) => receivedFromNodeSmpp(p).text)).toEqual(['easy now', 'easy now']);
    expect(acme.delivered.map((p) => p.receipted_message_id)).toEqual([id]);
    expect(await queryState(acme, id)).toBe(DELIVERED);
  });

  it('keeps at most smpp.windowSize deliver_sm unanswered toward a slow sink, and delivers everything', async () => {
    // The sink answers each deliver_sm 100 ms late; 12 destinations make many batches at once.
    const { sink, acme } = await bindBoth(undefined, 100);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++)
      ids.push(await submit(acme, `467000001${String(i).padStart(2, '0')}`, `slow ${i}`, 1));
    await waitUntil(
      () => sink.delivered.length >= 12 && acme.delivered.length >= 12,
      15_000,
      () => `sink got ${sink.delivered.length}, acme ${acme.delivered.length}`,
    );
    expect(sink.maxUnanswered()).toBeLessThanOrEqual(3);
    expect(sink.maxUnanswered()).toBeGreaterThan(1);
    expect(acme.delivered.map((p) => p.receipted_message_id).sort()).toEqual([...ids].sort());
  });

  it('retries a deliver_sm whose response never came: the sink may get it twice (at-least-once), acme one DELIVRD receipt', async () => {
    const { sink, acme } = await bindBoth((_pdu, index) => (index === 0 ? null : 0));
    const id = await submit(acme, '46700000028', 'are you there', 1);
    await waitUntil(
      () => sink.delivered.length >= 2 && acme.delivered.length >= 1,
      10_000,
      () => `sink got ${sink.delivered.length}, acme ${acme.delivered.length}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.delivered.map((p) => receivedFromNodeSmpp(p).text)).toEqual([
      'are you there',
      'are you there',
    ]);
    expect(acme.delivered.map((p) => p.receipted_message_id)).toEqual([id]);
  });

  it('delivers again, once the sink binds anew, a message whose receiver dropped the TCP connection before answering', async () => {
    onTestFailed(() => console.error(smsc.logs()));
    // This sink takes the deliver_sm and then vanishes without a response or an unbind.
    const dropping = await bindNodeSmpp(port, 'bind_receiver', 'sink', 'sink-pw', { answer: () => null });
    esmes.push(dropping);
    const acme = await bindNodeSmpp(port, 'bind_transceiver', 'acme', 'acme-pw');
    esmes.push(acme);
    const id = await submit(acme, '46700000029', 'still there?', 1);
    await waitUntil(
      () => dropping.delivered.length >= 1,
      10_000,
      () => 'the first sink got nothing',
    );
    dropping.session.socket.destroy();

    const sink = await bindNodeSmpp(port, 'bind_receiver', 'sink', 'sink-pw');
    esmes.push(sink);
    await waitUntil(
      () => sink.delivered.length >= 1 && acme.delivered.length >= 1,
      10_000,
      () => `the new sink got ${sink.delivered.length}, acme ${acme.delivered.length}`,
    );
    expect(receivedFromNodeSmpp(sink.delivered[0]!).text).toBe('still there?');
    expect(acme.delivered.map((p) => p.receipted_message_id)).toEqual([id]);
  });
});
