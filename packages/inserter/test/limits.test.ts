import { CommandStatus, connectSmpp, type PduInput, type SmppSession } from '@smsc/smpp';
import { createBatchQueue, type QueueInput } from '@smsc/store';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Inserter, InserterOptions } from '../src/index.ts';
import { bindAs, type Fixture, gate, setUpDirectory, startInserter } from './helpers.ts';

const S = CommandStatus;
const submit = (dest: string): PduInput<'submit_sm'> => ({
  command: 'submit_sm',
  sourceAddrTon: 1,
  sourceAddrNpi: 1,
  sourceAddr: '4915100000001',
  destAddrTon: 1,
  destAddrNpi: 1,
  destinationAddr: dest,
  shortMessage: Buffer.from('x'),
});

describe('limits, grouped writes and shutdown', () => {
  let mongo: TestMongo;
  let fixture: Fixture;
  let inserter: Inserter | undefined;
  const sessions: SmppSession[] = [];
  const gates: { open: () => void }[] = [];
  beforeAll(async () => {
    mongo = await useTestMongo();
    fixture = await setUpDirectory(mongo);
  });
  afterEach(async () => {
    // A failed assertion must not leave a write held and the close waiting for it.
    for (const g of gates.splice(0)) g.open();
    await Promise.all(sessions.splice(0).map((s) => s.close()));
    await inserter?.close();
    inserter = undefined;
  });
  afterAll(async () => {
    fixture.directory.close();
    await mongo.close();
  });

  /** An inserter whose next write waits for `held.open()`. */
  async function heldInserter(options: Partial<InserterOptions> = {}) {
    const held = gate();
    gates.push(held);
    const real = createBatchQueue(fixture.store).queueMany;
    let hold = true;
    const writeMany = async (inputs: readonly QueueInput[]) => {
      if (hold) {
        hold = false;
        await held.wait();
      }
      return real(inputs);
    };
    inserter = await startInserter(fixture, { writeMany, ...options });
    return { inserter, held };
  }

  async function bind(systemId: string, windowSize = 10): Promise<SmppSession> {
    const session = await bindAs(inserter as Inserter, systemId, 'bind_transceiver', undefined, windowSize);
    sessions.push(session);
    return session;
  }

  it('answers ESME_RTHROTTLED beyond the account throughput', async () => {
    // A frozen clock: the bucket does not refill during the test, whatever the machine's speed.
    const frozen = new Date();
    inserter = await startInserter(fixture, { now: () => frozen });
    const slow = await bind('slow');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await slow.request(submit('46701230000'))).commandStatus);
    expect(statuses).toEqual([S.ESME_ROK, S.ESME_ROK, S.ESME_RTHROTTLED, S.ESME_RTHROTTLED]);
    // Another account is not slowed down by it.
    expect((await (await bind('acme')).request(submit('46701230000'))).commandStatus).toBe(S.ESME_ROK);
  });

  it('answers ESME_RMSGQFUL beyond the session window instead of buffering', async () => {
    const { held } = await heldInserter({ sessionWindow: 2 });
    const acme = await bind('acme', 5);
    const pending = Array.from({ length: 5 }, (_, i) => acme.request(submit(`4670123000${i}`)));
    const statuses: number[] = [];
    const early = await Promise.all(pending.slice(2));
    statuses.push(...early.map((r) => r.commandStatus));
    expect(statuses).toEqual([S.ESME_RMSGQFUL, S.ESME_RMSGQFUL, S.ESME_RMSGQFUL]);
    held.open();
    const late = await Promise.all(pending.slice(0, 2));
    expect(late.map((r) => r.commandStatus)).toEqual([S.ESME_ROK, S.ESME_ROK]);
  });

  it('answers ESME_RMSGQFUL beyond the process-wide in-flight cap', async () => {
    const { inserter: ins, held } = await heldInserter({
      maxInFlight: 3,
      sessionWindow: 10,
      maxConcurrentWrites: 1,
    });
    const a = await bind('acme');
    const b = await bind('sink');
    const first = [
      a.request(submit('46701230001')),
      a.request(submit('46701230002')),
      b.request(submit('46701230003')),
    ];
    await expect.poll(() => ins.stats.inFlight).toBe(3);
    expect((await b.request(submit('46701230004'))).commandStatus).toBe(S.ESME_RMSGQFUL);
    held.open();
    expect((await Promise.all(first)).map((r) => r.commandStatus)).toEqual([0, 0, 0]);
  });

  it('writes a lone submit at once and concurrent submits in groups', async () => {
    const { inserter: ins, held } = await heldInserter({ maxConcurrentWrites: 1 });
    const a = await bind('acme');
    const b = await bind('sink');
    const lone = a.request(submit('46701239999'));
    await expect.poll(() => ins.stats.inFlight).toBe(1);
    const burst = Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).request(submit(`467012300${10 + i}`)));
    await expect.poll(() => ins.stats.inFlight).toBe(11);
    held.open();
    const results = await Promise.all([lone, ...burst]);
    expect(results.every((r) => r.commandStatus === 0)).toBe(true);
    expect(new Set(results.map((r) => r.messageId)).size).toBe(11);
    expect(ins.stats).toMatchObject({ writes: 2, messagesWritten: 11, largestGroup: 10 });
  });

  it('on close sends the in-flight responses, unbinds the sessions and takes no new connections', async () => {
    const { inserter: ins, held } = await heldInserter();
    const acme = await bind('acme');
    const reply = acme.request(submit('46701238888'));
    await expect.poll(() => ins.stats.inFlight).toBe(1);
    const closing = ins.close();
    held.open();
    expect((await reply).commandStatus).toBe(S.ESME_ROK);
    const info = await acme.closed;
    expect(info.reason).toBe('peer_unbind');
    await closing;
    expect(ins.state).toBe('closed');
    await expect(
      connectSmpp({ host: '127.0.0.1', port: ins.port, connectTimeoutMs: 2_000 }),
    ).rejects.toThrow();
  });

  it('after stopAccepting refuses new binds with ESME_RBINDFAIL while bound sessions keep working', async () => {
    inserter = await startInserter(fixture);
    const acme = await bind('acme');
    inserter.stopAccepting();
    await expect(bindAs(inserter, 'sink', 'bind_transmitter')).rejects.toMatchObject({
      commandStatus: S.ESME_RBINDFAIL,
    });
    expect((await acme.request(submit('46701237777'))).commandStatus).toBe(S.ESME_ROK);
    const opened = await fixture.store.collections.events.find({ type: 'bind.opened' }).toArray();
    expect(opened.some((e) => e.data?.systemId === 'acme' && e.data?.detail === 'bind_transceiver')).toBe(
      true,
    );
  });
});
