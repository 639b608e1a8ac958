/**
 * Queues several messages in one round trip (the inserter's grouped writes): one insertMany with
 * write concern majority, then one insert of their `sms.queued` events. Each message is one
 * document, so each either is stored whole or not at all; results come back per input, in order.
 */
import { MongoBulkWriteError, type WriteConcernSettings } from 'mongodb';
import pino, { type Logger } from 'pino';
import type { StoreContext } from './context.ts';
import { isDuplicateKeyError } from './errors.ts';
import type { NewEvent } from './events.ts';
import { createMessageIdGenerator } from './message-id.ts';
import { buildRecord, type QueueInput } from './queue.ts';
import { EventType, type SmsRecord, SmsState } from './records.ts';
import type { Store } from './store.ts';

export type QueueManyResult = { ok: true; record: SmsRecord } | { ok: false; error: unknown };

export type BatchQueue = {
  /** Stores what it can of `inputs`; never throws for a per-message or a database failure. */
  queueMany(inputs: readonly QueueInput[]): Promise<QueueManyResult[]>;
};

export type BatchQueueOptions = {
  logger?: Logger;
  /** Default `{ w: 'majority' }`: a message is only acknowledged once a majority has it. */
  writeConcern?: WriteConcernSettings;
};

const ID_ATTEMPTS = 5;

export function createBatchQueue(store: Store, options: BatchQueueOptions = {}): BatchQueue {
  const logger = options.logger ?? pino({ level: 'silent' });
  const writeConcern = options.writeConcern ?? { w: 'majority' };
  const ids = createMessageIdGenerator(store.now);
  // buildRecord reads only the clock and the config.
  const ctx = { now: store.now, config: store.config } as StoreContext;
  const sms = store.collections.sms;

  async function queueMany(inputs: readonly QueueInput[]): Promise<QueueManyResult[]> {
    const results: (QueueManyResult | undefined)[] = new Array(inputs.length);
    let pending: number[] = [];
    for (let i = 0; i < inputs.length; i += 1) pending.push(i);
    for (let attempt = 0; attempt < ID_ATTEMPTS && pending.length > 0; attempt += 1) {
      const batch: { index: number; record: SmsRecord }[] = [];
      for (const index of pending) {
        try {
          batch.push({ index, record: buildRecord(ctx, ids.next(), inputs[index] as QueueInput) });
        } catch (error) {
          results[index] = { ok: false, error };
        }
      }
      pending = [];
      if (batch.length === 0) break;
      try {
        await sms.insertMany(
          batch.map((b) => b.record),
          { ordered: false, writeConcern },
        );
        for (const b of batch) results[b.index] = { ok: true, record: b.record };
      } catch (error) {
        const perDocument = error instanceof MongoBulkWriteError && !error.writeConcernError;
        if (!perDocument) {
          // Unknown which documents landed: take back what we can so nothing answered as failed stays.
          // Not awaited: with the database unreachable it would hold the answer for a server selection timeout.
          void sms.deleteMany({ _id: { $in: batch.map((b) => b.record._id) }, attempts: 0 }).catch(() => {});
          for (const b of batch) results[b.index] = { ok: false, error };
          continue;
        }
        const failed = new Map<number, unknown>();
        const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
        for (const w of writeErrors) failed.set(w.index, w);
        for (const [i, b] of batch.entries()) {
          const w = failed.get(i);
          if (w === undefined) results[b.index] = { ok: true, record: b.record };
          else if (isDuplicateKeyError(w)) pending.push(b.index);
          else results[b.index] = { ok: false, error: w };
        }
        // Another process allocated the same id in the same second: move elsewhere and retry those.
        if (pending.length > 0) ids.reseed();
      }
    }
    for (const index of pending) results[index] = { ok: false, error: new Error('no unique message id') };

    const events: NewEvent[] = [];
    for (const r of results) {
      if (!r?.ok) continue;
      const record = r.record;
      store.metrics.inc('smsc_sms_transitions_total', { to: SmsState.queued });
      logger.debug(
        { messageId: record._id, destMsisdn: record.destMsisdn, target: record.target },
        'sms queued',
      );
      events.push({
        type: EventType.queued,
        at: record.arrivedAt,
        smsId: record._id,
        destMsisdn: record.destMsisdn,
        target: record.target,
        state: record.state,
        due: record.nextAttemptAt,
      });
    }
    // Never throws: the messages are stored; the periodic scan covers a lost event.
    await store.appendEvents(events);
    return results as QueueManyResult[];
  }

  return { queueMany };
}
