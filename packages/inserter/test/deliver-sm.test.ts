/**
 * MO deliver_sm from a gateway account: the handler through dispatch with a stand-in session, then the
 * same over TCP (the inserter's sessions set esmeMayDeliver; the handler decides per account).
 */
import {
  type ApplicationRequest,
  buildPdu,
  CommandStatus,
  connectSmpp,
  type PduOf,
  type SmppSession,
} from '@smsc/smpp';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContext, type Connection, type InserterContext } from '../src/context.ts';
import { dispatch } from '../src/dispatch.ts';
import { BoundSessions, resolveInserterConfig } from '../src/index.ts';
import { ACCOUNTS, type Fixture, setUpDirectory, startInserter } from './helpers.ts';

type Answered = { pdu: ApplicationRequest; fields: Record<string, unknown> };

function standIn(answers: Answered[]): SmppSession {
  return {
    id: 'stand-in',
    state: 'bound_trx',
    respond: (pdu: ApplicationRequest, fields: Record<string, unknown>) => {
      answers.push({ pdu, fields });
      return true;
    },
  } as unknown as SmppSession;
}

describe('MO deliver_sm', () => {
  let mongo: TestMongo;
  let fixture: Fixture;
  let ctx: InserterContext;
  beforeAll(async () => {
    mongo = await useTestMongo();
    fixture = await setUpDirectory(mongo);
    const options = { store: fixture.store, directory: fixture.directory, port: 0 };
    ctx = buildContext(
      options,
      resolveInserterConfig(options),
      new BoundSessions(),
      pino({ level: 'silent' }),
    );
  });
  afterAll(async () => {
    fixture.directory.close();
    await mongo.close();
  });

  async function send(systemId: string, pdu: PduOf<'deliver_sm'>): Promise<Answered> {
    const answers: Answered[] = [];
    const account = fixture.directory.account(systemId);
    const conn: Connection = {
      session: standIn(answers),
      log: pino({ level: 'silent' }),
      account,
      inFlight: 0,
    };
    dispatch(ctx, conn, pdu);
    await expect.poll(() => answers.length).toBe(1);
    return answers[0] as Answered;
  }

  const mo = buildPdu({
    command: 'deliver_sm',
    sequenceNumber: 4,
    sourceAddrTon: 1,
    sourceAddrNpi: 1,
    sourceAddr: '46701234567',
    destAddrTon: 1,
    destAddrNpi: 1,
    destinationAddr: '46711111111',
    shortMessage: Buffer.from('mobile originated'),
  });

  it('stores MO traffic from an account allowed to inject it, routed like a submit', async () => {
    const answer = await send('gateway', mo);
    expect(answer.fields).toEqual({ commandStatus: 0, messageId: '' });
    const [stored] = await fixture.store.find({ accountId: 'gateway' });
    expect(stored).toMatchObject({ target: 'esme:acme', payload: { command: 'deliver_sm' } });
  });

  it('refuses MO traffic from other accounts with ESME_RINVBNDSTS', async () => {
    const answer = await send('acme', mo);
    expect(answer.fields).toEqual({ commandStatus: CommandStatus.ESME_RINVBNDSTS });
    expect(await fixture.store.find({ accountId: 'acme', 'payload.command': 'deliver_sm' })).toEqual([]);
  });

  it('takes MO deliver_sm over TCP from a gateway bound as transmitter, and refuses it from others', async () => {
    const inserter = await startInserter(fixture);
    const open = async (systemId: string) =>
      connectSmpp({
        host: '127.0.0.1',
        port: inserter.port,
        enquireLinkIntervalMs: 0,
        esmeMayDeliver: true,
        bind: {
          command: 'bind_transmitter',
          systemId,
          password: ACCOUNTS.find((a) => a.systemId === systemId)?.password ?? '',
        },
      });
    const gateway = await open('gateway');
    const acme = await open('acme');
    try {
      const { command, commandStatus, sequenceNumber, ...fields } = mo;
      void command;
      void commandStatus;
      void sequenceNumber;
      const ok = await gateway.request({ command: 'deliver_sm', ...fields, sourceAddr: '46709999999' });
      expect(ok.commandStatus).toBe(CommandStatus.ESME_ROK);
      const refused = await acme.request({ command: 'deliver_sm', ...fields, sourceAddr: '46708888888' });
      expect(refused.commandStatus).toBe(CommandStatus.ESME_RINVBNDSTS);
      expect(await fixture.store.find({ 'payload.source.addr': '46709999999' })).toHaveLength(1);
      expect(await fixture.store.find({ 'payload.source.addr': '46708888888' })).toHaveLength(0);
    } finally {
      await gateway.unbind();
      await acme.unbind();
      await inserter.close();
    }
  });
});
