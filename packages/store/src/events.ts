import { setTimeout as sleep } from 'node:timers/promises';
import type { Filter, ObjectId } from 'mongodb';
import type { Logger } from 'pino';
import type { StoreContext } from './context.ts';
import { isCappedPositionLost, isTransientStoreError } from './errors.ts';
import type { EventType, SmsEvent, SmsRecord, SmsState } from './records.ts';

export type NewEvent = Omit<SmsEvent, '_id'>;

/** The event of a message: its id, destination and target, its state (default the record's), and when due. */
export function eventOf(
  type: EventType,
  record: SmsRecord,
  at: Date,
  extra: { state?: SmsState; due?: Date } = {},
): NewEvent {
  const event: NewEvent = {
    type,
    at,
    smsId: record._id,
    destMsisdn: record.destMsisdn,
    target: record.target,
    state: extra.state ?? record.state,
  };
  if (extra.due) event.due = extra.due;
  return event;
}

/**
 * Writes events after the transition they describe. A failure is logged and counted, never thrown:
 * the transition already happened, and nothing depends on events for correctness (the periodic
 * scan backs them up), so a caller must not report failure (an ESME would resubmit a duplicate).
 */
export async function appendEvents(ctx: StoreContext, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  try {
    // The server makes the ids (see tailEvents): they then follow insertion order across processes.
    if (events.length === 1)
      await ctx.cols.events.insertOne(events[0] as SmsEvent, { forceServerObjectId: true });
    else
      await ctx.cols.events.insertMany(events as SmsEvent[], { ordered: false, forceServerObjectId: true });
    for (const e of events) ctx.metrics.inc('smsc_events_written_total', { type: e.type });
  } catch (error) {
    ctx.metrics.inc('smsc_events_write_failed_total', undefined, events.length);
    ctx.logger.warn({ err: error, count: events.length }, 'could not write events');
  }
}

/**
 * `gap` means "events may have been missed: rescan". It comes after every open, the first included,
 * once the position is fixed: a caller that scans on it misses nothing that happened before.
 */
export type TailItem = { kind: 'event'; event: SmsEvent } | { kind: 'gap'; reason: 'opened' };

export type TailOptions = {
  signal?: AbortSignal;
  /** How long one getMore waits on the server for a new event. Default 1000 ms. */
  maxAwaitTimeMS?: number;
  /** Pause before re-opening a dead cursor or after an error. Default 500 ms. */
  retryDelayMs?: number;
  /**
   * After a batch that held events, wait this long before asking for the next, so that events
   * written meanwhile come in one getMore instead of one each. An idle tail is not delayed: its
   * awaiting getMore returns as soon as an event is written. Default 5 ms.
   */
  lingerMs?: number;
  /** Only events of these types: the server sends no others (default: every event). */
  types?: readonly string[];
  logger?: Logger;
};

async function newestId(ctx: StoreContext): Promise<ObjectId | null> {
  const doc = await ctx.cols.events
    .find({}, { sort: { $natural: -1 }, limit: 1, projection: { _id: 1 } })
    .next();
  return doc?._id ?? null;
}

/**
 * Follows the capped `events` collection from its newest entry, as an async iterator.
 *
 * Handles what a real server does: a tailable cursor on an empty capped collection dies at once
 * (re-open after a pause), CappedPositionLost (136) when the reader fell behind (re-open from the
 * newest and yield a `gap`, so the caller rescans instead of trusting the feed), and network errors
 * (pause, re-open from the newest, `gap`). Every open yields a `gap`.
 *
 * A cursor filters on `_id > last` for as long as it lives, so an event whose id sorts lower is
 * never seen by it: ids must grow in insertion order. Ids made by each process's driver do not
 * (another process may make a lower one in the same second), so events get server-made ids
 * (appendEvents, migrate). A restarted server or a new primary makes ids that may sort below the
 * old ones: after any error the next open starts from the newest entry, not from `last`.
 * awaitData with maxAwaitTimeMS: the server holds each getMore, so an idle reader costs one command
 * per maxAwaitTimeMS and no CPU.
 */
export async function* tailEvents(
  ctx: StoreContext,
  options: TailOptions = {},
): AsyncGenerator<TailItem, void, undefined> {
  const { signal } = options;
  const maxAwaitTimeMS = options.maxAwaitTimeMS ?? 1000;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const lingerMs = options.lingerMs ?? 5;
  const logger = options.logger ?? ctx.logger;
  const pause = async () => {
    try {
      await sleep(retryDelayMs, undefined, { signal });
    } catch {
      // aborted: the loop condition ends the iterator
    }
  };

  let last: ObjectId | null = null;
  let opened = false;
  while (!signal?.aborted) {
    try {
      if (!opened) last = await newestId(ctx);
    } catch (error) {
      if (signal?.aborted) return;
      logger.warn({ err: error }, 'events: cannot read the newest entry');
      await pause();
      continue;
    }
    opened = true;
    const filter = {
      ...(last ? { _id: { $gt: last } } : {}),
      ...(options.types ? { type: { $in: [...options.types] } } : {}),
    };
    const cursor = ctx.cols.events.find(filter as Filter<SmsEvent>, {
      tailable: true,
      awaitData: true,
      maxAwaitTimeMS,
      ...(signal ? { signal } : {}),
    });
    try {
      yield { kind: 'gap', reason: 'opened' };
      let busy = false;
      while (!signal?.aborted) {
        if (busy && lingerMs > 0 && cursor.bufferedCount() === 0) {
          busy = false;
          await sleep(lingerMs, undefined, { signal }).catch(() => undefined);
          if (signal?.aborted) break;
        }
        const doc = await cursor.tryNext();
        if (doc) {
          last = doc._id;
          busy = true;
          yield { kind: 'event', event: doc };
          continue;
        }
        // An empty batch from a live cursor just means nothing happened for maxAwaitTimeMS.
        if (cursor.closed || cursor.id?.isZero()) break;
      }
      if (signal?.aborted) return;
      await pause();
    } catch (error) {
      if (signal?.aborted) return;
      if (isCappedPositionLost(error)) {
        // We fell behind the capped collection's eviction: start again from the newest entry.
        logger.warn('events: capped position lost, rescanning');
        // The next open yields the gap, from the newest entry.
        opened = false;
        continue;
      }
      if (!isTransientStoreError(error)) logger.error({ err: error }, 'events: tailing failed');
      else logger.warn({ err: error }, 'events: tailing interrupted');
      // The re-open after the pause starts from the newest entry (the server may be another one)
      // and yields the gap.
      opened = false;
      await pause();
    } finally {
      await cursor.close().catch(() => undefined);
    }
  }
}
