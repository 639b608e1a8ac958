/**
 * The one traffic pattern every interop suite sends and checks (issue 5, "Must show"): a GSM
 * message, a UCS2 message with an emoji, and a 400-character message in three concatenated
 * segments (8-bit reference UDH), all from acme to a `4670...` number routed to the sink, each asking
 * for a receipt. Bytes are built and decoded with node-smpp's coders, not ours.
 */
import { expect } from 'vitest';
import { type NsPdu, nodeSmppCoders } from './node-smpp.ts';

export const SOURCE = '4915100000001';
export const DESTINATION = '46700000001';

/** The accounts and route every suite configures; passwords fit SMPP's 8 octets (§5.2.2). */
export const ACCOUNTS = [
  { systemId: 'acme', password: 'acme-pw' },
  { systemId: 'sink', password: 'sink-pw' },
] as const;
export const ROUTES = [{ prefix: '4670', account: 'sink' }] as const;

/** GSM 03.38 default alphabet, extension table characters included (each sent as ESC + char). */
export const GSM_TEXT = 'Hello sink @£$¥ èéùìò ÇØøÅå Δ_ {€} [~] ^|\\ ok';
/** Outside the BMP (the emoji is a surrogate pair in UCS2/UTF-16) and outside GSM. */
export const UCS2_TEXT = 'Привет, мир 👋 été 日本';
/** 400 characters of the basic GSM table: three segments of 153, 153 and 94 septets. */
export const LONG_TEXT = Array.from({ length: 40 }, (_, i) => `Part ${String(i).padStart(3, '0')}. `)
  .join('')
  .slice(0, 400);

const UDHI = 0x40;

export type ScenarioPart = {
  label: string;
  dataCoding: number;
  esmClass: number;
  /** The octets sent in short_message (UDH included). */
  shortMessage: Buffer;
  /** The UDH as hex, '' when there is none. */
  udh: string;
  text: string;
};

/** The five submit_sm bodies, in the order they are submitted. */
export function scenarioParts(reference: number): ScenarioPart[] {
  const parts: ScenarioPart[] = [
    {
      label: 'gsm',
      dataCoding: 0,
      esmClass: 0,
      shortMessage: nodeSmppCoders.ASCII.encode(GSM_TEXT),
      udh: '',
      text: GSM_TEXT,
    },
    {
      label: 'ucs2',
      dataCoding: 8,
      esmClass: 0,
      shortMessage: nodeSmppCoders.UCS2.encode(UCS2_TEXT),
      udh: '',
      text: UCS2_TEXT,
    },
  ];
  const chunks = [LONG_TEXT.slice(0, 153), LONG_TEXT.slice(153, 306), LONG_TEXT.slice(306)];
  chunks.forEach((chunk, i) => {
    // 3GPP TS 23.040 §9.2.3.24.1: IEI 0x00, length 3, reference, total, sequence (from 1).
    const udh = Buffer.from([0x05, 0x00, 0x03, reference & 0xff, chunks.length, i + 1]);
    parts.push({
      label: `long ${i + 1}/3`,
      dataCoding: 0,
      esmClass: UDHI,
      shortMessage: Buffer.concat([udh, nodeSmppCoders.ASCII.encode(chunk)]),
      udh: udh.toString('hex'),
      text: chunk,
    });
  });
  return parts;
}

/** A deliver_sm as any client saw it, decoded with node-smpp's coders. */
export type Received = {
  from: string;
  to: string;
  esmClass: number;
  dataCoding: number;
  udh: string;
  text: string;
  receiptedMessageId: string | undefined;
  messageState: number | undefined;
};

/** From node-smpp's own decoding of the PDU. */
export function receivedFromNodeSmpp(pdu: NsPdu): Received {
  const sm = pdu.short_message;
  const message = sm?.message ?? '';
  // node-smpp lists the information elements without the UDH length octet; put it back.
  const elements = Buffer.concat(sm?.udh ?? []);
  const udh = elements.length > 0 ? Buffer.concat([Buffer.from([elements.length]), elements]) : elements;
  return {
    from: pdu.source_addr ?? '',
    to: pdu.destination_addr ?? '',
    esmClass: pdu.esm_class ?? 0,
    dataCoding: pdu.data_coding ?? 0,
    udh: udh.toString('hex'),
    text: typeof message === 'string' ? message : message.toString('latin1'),
    receiptedMessageId: pdu.receipted_message_id,
    messageState: pdu.message_state,
  };
}

/** From raw octets (another client's hex), split at the UDH and decoded like node-smpp does. */
export function receivedFromRaw(input: {
  from: string;
  to: string;
  esmClass: number;
  dataCoding: number;
  shortMessage: Buffer;
  receiptedMessageId?: string | null;
  messageState?: number | null;
}): Received {
  let body = input.shortMessage;
  let udh = '';
  if (input.esmClass & UDHI && body.length > 0) {
    udh = body.subarray(0, body[0]! + 1).toString('hex');
    body = body.subarray(body[0]! + 1);
  }
  const coder = (input.dataCoding & 0x0f) === 8 ? nodeSmppCoders.UCS2 : nodeSmppCoders.ASCII;
  return {
    from: input.from,
    to: input.to,
    esmClass: input.esmClass,
    dataCoding: input.dataCoding,
    udh,
    text: coder.decode(body),
    receiptedMessageId: input.receiptedMessageId ?? undefined,
    messageState: input.messageState ?? undefined,
  };
}

/** Every part reached the sink once, in submit order, with coding, UDH and text unchanged. */
export function expectDeliveredIntactInOrder(received: Received[], parts: ScenarioPart[]): void {
  expect(received.map((r) => ({ ...pick(r), from: r.from, to: r.to }))).toEqual(
    parts.map((p) => ({
      esmClass: p.esmClass,
      dataCoding: p.dataCoding,
      udh: p.udh,
      text: p.text,
      from: SOURCE,
      to: DESTINATION,
    })),
  );
  const long = received.filter((r) => r.udh !== '');
  expect(long.map((r) => r.text).join('')).toBe(LONG_TEXT);
}

function pick(r: Received) {
  return { esmClass: r.esmClass, dataCoding: r.dataCoding, udh: r.udh, text: r.text };
}

// SMPP 3.4 Appendix B.
const RECEIPT_TEXT =
  /^id:(\S+) sub:(\d{3}) dlvrd:(\d{3}) submit date:(\d{10}) done date:(\d{10}) stat:(\S{7}) err:(\d{3}) text:/;

/**
 * One receipt per submitted part: esm_class "SMSC Delivery Receipt", addresses swapped,
 * stat:DELIVRD, message_state DELIVERED, and the same id in `receipted_message_id` and in `id:`,
 * exactly as the submit_sm_resp carried it.
 */
export function expectReceiptsMatch(receipts: Received[], submitIds: string[]): void {
  expect(receipts).toHaveLength(submitIds.length);
  for (const r of receipts) {
    expect(r.esmClass).toBe(0x04);
    expect([r.from, r.to]).toEqual([DESTINATION, SOURCE]);
    const m = RECEIPT_TEXT.exec(r.text);
    expect(m, `receipt text: ${r.text}`).not.toBeNull();
    expect(m![1]).toBe(r.receiptedMessageId);
    expect(m![6]).toBe('DELIVRD');
    expect(m![7]).toBe('000');
    // §5.3.2.35: 2 = DELIVERED.
    expect(r.messageState).toBe(2);
  }
  expect(receipts.map((r) => r.receiptedMessageId).sort()).toEqual([...submitIds].sort());
  expect(new Set(submitIds).size).toBe(submitIds.length);
}

/** Polls `check` every 20 ms until it holds; rejects with `what` after `timeoutMs`. */
export async function waitUntil(check: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`not in ${timeoutMs} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
