import { type TestMongo, useTestMongo } from '@smsc/test-mongo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageTooLargeError, SmsState, type Store } from '../src/index.ts';
import { fakeClock, message, migratedStore } from './helpers.ts';

describe('queue', () => {
  let mongo: TestMongo;
  let store: Store;
  const clock = fakeClock();
  beforeAll(async () => {
    mongo = await useTestMongo();
    store = await migratedStore(await mongo.db(), { now: clock.now, maxMessageBytes: 200 });
  });
  afterAll(() => mongo.close());

  it('stores the message as received with its normalised destination and writes sms.queued', async () => {
    const m = await store.queue(
      message('+49 151 2345', {
        payload: {
          source: { ton: 5, npi: 0, addr: 'ACME' },
          destination: { ton: 1, npi: 1, addr: '+49 151 2345' },
          shortMessage: Buffer.from([1, 2, 3]),
          esmClass: 0x40,
          dataCoding: 8,
          registeredDelivery: 1,
          tlvs: [{ tag: 0x0424, value: Buffer.from([9, 9]) }],
        },
      }),
    );
    expect(m._id).toMatch(/^[0-9a-z]{10}$/);
    const stored = await store.get(m._id);
    expect(stored?.destMsisdn).toBe('491512345');
    expect(stored?.state).toBe(SmsState.queued);
    expect(stored?.receipt).toBe('final');
    expect(stored?.payload.esmClass).toBe(0x40);
    expect(Buffer.from(stored?.payload.shortMessage.buffer ?? [])).toEqual(Buffer.from([1, 2, 3]));
    expect(Buffer.from(stored?.payload.tlvs[0]?.value.buffer ?? [])).toEqual(Buffer.from([9, 9]));
    const event = await store.collections.events.findOne({ smsId: m._id });
    expect(event?.type).toBe('sms.queued');
  });

  it('gives ids that sort by allocation order', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) ids.push((await store.queue(message('111')))._id);
    expect([...ids].sort()).toEqual(ids);
  });

  it('rejects a payload over the size limit with a typed error', async () => {
    const big = message('222', {}, 'x'.repeat(201));
    await expect(store.queue(big)).rejects.toBeInstanceOf(MessageTooLargeError);
    await expect(store.queue(big)).rejects.toMatchObject({
      code: 'SMSC_STORE_MESSAGE_TOO_LARGE',
      size: 201,
      limit: 200,
    });
  });
});
