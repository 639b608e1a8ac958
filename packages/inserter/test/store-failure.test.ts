import { CommandStatus, type PduInput, type SmppSession } from '@smsc/smpp';
import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import type { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inserter } from '../src/index.ts';
import { bindAs, type Fixture, setUpDirectory, startInserter } from './helpers.ts';

const S = CommandStatus;
const submit: PduInput<'submit_sm'> = {
  command: 'submit_sm',
  sourceAddrTon: 1,
  sourceAddrNpi: 1,
  sourceAddr: '4915100000001',
  destAddrTon: 1,
  destAddrNpi: 1,
  destinationAddr: '46707777777',
  shortMessage: Buffer.from('lost?'),
};

describe('a store failure', () => {
  let mongo: TestMongo;
  let client: MongoClient;
  let fixture: Fixture;
  let inserter: Inserter;
  let acme: SmppSession;
  beforeAll(async () => {
    mongo = await useTestMongo();
    // The inserter gets its own client, so the test can pull the database from under it alone.
    client = await mongo.newClient();
    fixture = await setUpDirectory(mongo, client.db(mongo.dbName));
    inserter = await startInserter(fixture);
    acme = await bindAs(inserter, 'acme', 'bind_transmitter');
  });
  afterAll(async () => {
    await acme.close();
    await inserter.close();
    fixture.directory.close();
    await mongo.close();
  });

  it('answers ESME_RSYSERR and leaves nothing stored', async () => {
    expect((await acme.request(submit)).commandStatus).toBe(S.ESME_ROK);
    await client.close();
    const failed = await acme.request({ ...submit, shortMessage: Buffer.from('after close') });
    expect(failed).toMatchObject({ commandStatus: S.ESME_RSYSERR, messageId: '' });
    const multi = await acme.request({
      command: 'submit_multi',
      sourceAddrTon: 1,
      sourceAddrNpi: 1,
      sourceAddr: '4915100000001',
      destAddresses: [
        { destFlag: 1, destAddrTon: 1, destAddrNpi: 1, destinationAddr: '46707777777' },
        { destFlag: 1, destAddrTon: 1, destAddrNpi: 1, destinationAddr: '46707777778' },
      ],
      shortMessage: Buffer.from('after close'),
    });
    expect(multi.commandStatus).toBe(S.ESME_RSYSERR);
    const db = await mongo.db();
    const stored = await db.collection('sms').find({}).toArray();
    expect(stored.map((m) => Buffer.from(m.payload.shortMessage.buffer).toString())).toEqual(['lost?']);
  });

  it('keeps the session bound and answering', async () => {
    const q = await acme.request({ command: 'query_sm', messageId: 'zzzzzzzzzz' });
    expect(q.commandStatus).toBe(S.ESME_RSYSERR);
    expect(acme.state).toBe('bound_tx');
  });
});
