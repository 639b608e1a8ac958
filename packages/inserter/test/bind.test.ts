import { CommandStatus, SmppBindError, type SmppSession } from '@smsc/smpp';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Inserter, ReceiverChange } from '../src/index.ts';
import { bindAs, type Fixture, setUpDirectory, startInserter } from './helpers.ts';
import { rawClient } from './raw-client.ts';

async function bindStatus(promise: Promise<SmppSession>): Promise<number> {
  try {
    const session = await promise;
    await session.close();
    return CommandStatus.ESME_ROK;
  } catch (error) {
    expect(error).toBeInstanceOf(SmppBindError);
    return (error as SmppBindError).commandStatus;
  }
}

describe('binds', () => {
  let mongo: TestMongo;
  let fixture: Fixture;
  let inserter: Inserter;
  const open: SmppSession[] = [];
  beforeAll(async () => {
    mongo = await useTestMongo();
    fixture = await setUpDirectory(mongo);
    inserter = await startInserter(fixture);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await inserter.close();
    fixture.directory.close();
    await mongo.close();
  });

  it('refuses a wrong password with ESME_RINVPASWD', async () => {
    expect(await bindStatus(bindAs(inserter, 'acme', 'bind_transmitter', 'wrong'))).toBe(
      CommandStatus.ESME_RINVPASWD,
    );
  });

  it('refuses an unknown system_id with ESME_RINVSYSID', async () => {
    expect(await bindStatus(bindAs(inserter, 'ghost', 'bind_transmitter', 'x'))).toBe(
      CommandStatus.ESME_RINVSYSID,
    );
  });

  it('refuses a disabled account with ESME_RBINDFAIL', async () => {
    expect(await bindStatus(bindAs(inserter, 'off', 'bind_transmitter'))).toBe(CommandStatus.ESME_RBINDFAIL);
  });

  it('refuses a bind beyond maxBinds with ESME_RBINDFAIL and frees the slot on unbind', async () => {
    for (const command of ['bind_transmitter', 'bind_receiver', 'bind_transceiver'] as const) {
      open.push(await bindAs(inserter, 'acme', command));
    }
    expect(await bindStatus(bindAs(inserter, 'acme', 'bind_transmitter'))).toBe(CommandStatus.ESME_RBINDFAIL);
    await open.pop()?.unbind();
    await expect.poll(() => inserter.registry.receivers('acme').length).toBe(1);
    open.push(await bindAs(inserter, 'acme', 'bind_transmitter'));
  });

  it('lists receiving binds by account and reports them opening and closing', async () => {
    const opened: ReceiverChange[] = [];
    const closed: ReceiverChange[] = [];
    const onOpen = (c: ReceiverChange) => opened.push(c);
    const onClose = (c: ReceiverChange) => closed.push(c);
    inserter.registry.on('receiverOpened', onOpen);
    inserter.registry.on('receiverClosed', onClose);
    try {
      const tx = await bindAs(inserter, 'sink', 'bind_transmitter');
      const rx = await bindAs(inserter, 'sink', 'bind_receiver');
      const trx = await bindAs(inserter, 'sink', 'bind_transceiver');
      expect(inserter.registry.receivers('sink')).toHaveLength(2);
      expect(inserter.registry.receivingAccounts()).toContain('sink');
      expect(opened.map((c) => c.count)).toEqual([1, 2]);
      await rx.unbind();
      await expect.poll(() => closed.length).toBe(1);
      expect(closed[0]).toMatchObject({ accountId: 'sink', count: 1 });
      await trx.close();
      await expect.poll(() => closed.length).toBe(2);
      expect(closed[1]?.count).toBe(0);
      expect(inserter.registry.receivers('sink')).toEqual([]);
      await tx.unbind();
    } finally {
      inserter.registry.off('receiverOpened', onOpen);
      inserter.registry.off('receiverClosed', onClose);
    }
  });

  it('answers a second bind on a bound session with ESME_RALYBND', async () => {
    const raw = await rawClient(inserter.port);
    try {
      const bind = {
        command: 'bind_transmitter',
        systemId: 'sink',
        password: 'sink-pw',
        interfaceVersion: 0x34,
      } as const;
      raw.send({ ...bind, sequenceNumber: 1 });
      expect(await raw.next()).toMatchObject({
        command: 'bind_transmitter_resp',
        commandStatus: 0,
        systemId: 'smsc',
      });
      raw.send({ ...bind, sequenceNumber: 2 });
      expect(await raw.next()).toMatchObject({
        command: 'bind_transmitter_resp',
        sequenceNumber: 2,
        commandStatus: CommandStatus.ESME_RALYBND,
      });
    } finally {
      raw.close();
    }
  });
});
