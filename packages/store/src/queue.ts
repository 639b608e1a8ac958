import { Binary } from 'mongodb';
import type { StoreContext } from './context.ts';
import {
  InvalidMessageError,
  isDuplicateKeyError,
  MessageIdExhaustedError,
  MessageTooLargeError,
} from './errors.ts';
import { appendEvents, eventOf } from './events.ts';
import { normaliseMsisdn } from './msisdn.ts';
import {
  type Address,
  EventType,
  ReceiptRequest,
  type SegmentInfo,
  type SmsKind,
  type SmsPayload,
  type SmsRecord,
  SmsState,
} from './records.ts';

export type PayloadInput = {
  command?: string;
  serviceType?: string;
  source: Address;
  destination: Address;
  esmClass?: number;
  protocolId?: number;
  priorityFlag?: number;
  registeredDelivery?: number;
  replaceIfPresent?: number;
  dataCoding?: number;
  smDefaultMsgId?: number;
  shortMessage: Uint8Array;
  tlvs?: { tag: number; value: Uint8Array }[];
};

export type QueueInput = {
  payload: PayloadInput;
  /** Routing decision: the outlet target that takes this message. */
  target: string;
  route?: string;
  accountId: string;
  /** Default: payload.priorityFlag, else 0. */
  priority?: number;
  /** Default: from payload.registeredDelivery bits 0-1 (SMPP 3.4 §5.2.17). */
  receipt?: ReceiptRequest;
  /** Absolute validity end. Default: now + defaultValidityMs. */
  expiresAt?: Date;
  /** First attempt not before this time (schedule_delivery_time). Default: now. */
  scheduledAt?: Date;
  segment?: SegmentInfo;
  kind?: SmsKind;
  /** The id the ESME was given when it is another record's (the later destinations of a submit_multi). */
  submitId?: string;
};

/** SMPP 3.4 §5.2.17: registered_delivery bits 0-1 select the receipt. */
export function receiptFromRegisteredDelivery(value: number): ReceiptRequest {
  const bits = value & 0x03;
  if (bits === 1) return ReceiptRequest.final;
  if (bits === 2) return ReceiptRequest.failure;
  return ReceiptRequest.none;
}

function payloadSize(p: PayloadInput): number {
  let size = p.shortMessage.byteLength;
  for (const t of p.tlvs ?? []) size += t.value.byteLength;
  return size;
}

function toBinary(bytes: Uint8Array): Binary {
  return new Binary(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

export function buildRecord(ctx: StoreContext, id: string, input: QueueInput): SmsRecord {
  const now = ctx.now();
  const size = payloadSize(input.payload);
  if (size > ctx.config.maxMessageBytes) throw new MessageTooLargeError(size, ctx.config.maxMessageBytes);
  if (!input.target) throw new InvalidMessageError('target is required');
  if (!input.accountId) throw new InvalidMessageError('accountId is required');
  const p = input.payload;
  const priority = input.priority ?? p.priorityFlag ?? 0;
  if (!Number.isInteger(priority) || priority < 0 || priority > 3)
    throw new InvalidMessageError(`priority ${priority} is not 0-3`);
  const payload: SmsPayload = {
    command: p.command ?? 'submit_sm',
    serviceType: p.serviceType ?? '',
    source: p.source,
    destination: p.destination,
    esmClass: p.esmClass ?? 0,
    protocolId: p.protocolId ?? 0,
    priorityFlag: p.priorityFlag ?? priority,
    registeredDelivery: p.registeredDelivery ?? 0,
    replaceIfPresent: p.replaceIfPresent ?? 0,
    dataCoding: p.dataCoding ?? 0,
    smDefaultMsgId: p.smDefaultMsgId ?? 0,
    shortMessage: toBinary(p.shortMessage),
    tlvs: (p.tlvs ?? []).map((t) => ({ tag: t.tag, value: toBinary(t.value) })),
  };
  const expiresAt = input.expiresAt ?? new Date(now.getTime() + ctx.config.defaultValidityMs);
  const record: SmsRecord = {
    _id: id,
    kind: input.kind ?? 'message',
    state: SmsState.queued,
    arrivedAt: now,
    updatedAt: now,
    destMsisdn: normaliseMsisdn(p.destination.addr),
    priority,
    receipt: input.receipt ?? receiptFromRegisteredDelivery(payload.registeredDelivery),
    expiresAt,
    nextAttemptAt: input.scheduledAt && input.scheduledAt > now ? input.scheduledAt : now,
    attempts: 0,
    lock: null,
    rev: 0,
    payload,
    target: input.target,
    accountId: input.accountId,
    history: [],
  };
  if (input.route !== undefined) record.route = input.route;
  if (input.segment !== undefined) record.segment = input.segment;
  if (input.submitId !== undefined) record.submitId = input.submitId;
  return record;
}

const ID_ATTEMPTS = 5;

/**
 * Stores a message and then its `sms.queued` wake-up event. Once this resolves the message is
 * durable (with the collection's write concern) and the caller may send the `*_resp`.
 */
export async function queue(ctx: StoreContext, input: QueueInput): Promise<SmsRecord> {
  let lastError: unknown;
  for (let i = 0; i < ID_ATTEMPTS; i += 1) {
    const record = buildRecord(ctx, ctx.ids.next(), input);
    try {
      await ctx.cols.sms.insertOne(record);
    } catch (error) {
      // Another process allocated the same id in the same second: move elsewhere and retry.
      if (!isDuplicateKeyError(error)) throw error;
      lastError = error;
      ctx.ids.reseed();
      continue;
    }
    ctx.metrics.inc('smsc_sms_transitions_total', { to: SmsState.queued });
    ctx.logger.debug(
      { messageId: record._id, destMsisdn: record.destMsisdn, target: record.target },
      'sms queued',
    );
    await appendEvents(ctx, [
      eventOf(EventType.queued, record, record.arrivedAt, { due: record.nextAttemptAt }),
    ]);
    return record;
  }
  throw new MessageIdExhaustedError(lastError);
}
