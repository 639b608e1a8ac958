/**
 * MO deliver_sm from a gateway account. @smsc/smpp's session refuses deliver_sm from an ESME at the
 * bind-state table (ESME_RINVBNDSTS) before the application sees it, so the handler is driven here
 * through dispatch with a stand-in session.
 */
import { type ApplicationRequest, buildPdu, CommandStatus, type PduOf, type SmppSession } from '@smsc/smpp';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContext, type Connection, type InserterContext } from '../src/context.ts';
import { dispatch } from '../src/dispatch.ts';
import { BoundSessions, resolveInserterConfig } from '../src/index.ts';
import { type Fixture, setUpDirectory } from './helpers.ts';

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
});
