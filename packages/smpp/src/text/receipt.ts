/** SMPP 3.4 §5.2.28 message_state values (query_sm_resp, TLV 0x0427). */
export const MessageState = {
  ENROUTE: 1,
  DELIVERED: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIVERABLE: 5,
  ACCEPTED: 6,
  UNKNOWN: 7,
  REJECTED: 8,
} as const;
export type MessageStateValue = (typeof MessageState)[keyof typeof MessageState];

/** The seven-character `stat:` words of SMPP 3.4 Appendix B, plus ENROUTE for intermediate notices. */
export const ReceiptStat = {
  ENROUTE: 'ENROUTE',
  DELIVRD: 'DELIVRD',
  EXPIRED: 'EXPIRED',
  DELETED: 'DELETED',
  UNDELIV: 'UNDELIV',
  ACCEPTD: 'ACCEPTD',
  UNKNOWN: 'UNKNOWN',
  REJECTD: 'REJECTD',
} as const;
export type ReceiptStatWord = (typeof ReceiptStat)[keyof typeof ReceiptStat];

const STAT_BY_STATE: Record<MessageStateValue, ReceiptStatWord> = {
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
};

// Long spellings and common non-standard words seen from peers map to the nearest state.
const STATE_BY_WORD = new Map<string, MessageStateValue>([
  ['ENROUTE', 1],
  ['DELIVRD', 2],
  ['DELIVERED', 2],
  ['EXPIRED', 3],
  ['DELETED', 4],
  ['UNDELIV', 5],
  ['UNDELIVERABLE', 5],
  ['UNDELIVERED', 5],
  ['FAILED', 5],
  ['ACCEPTD', 6],
  ['ACCEPTED', 6],
  ['UNKNOWN', 7],
  ['REJECTD', 8],
  ['REJECTED', 8],
]);

/** The `stat:` word for a message_state; UNKNOWN for values outside 1-8. */
export function statForMessageState(state: number): ReceiptStatWord {
  return STAT_BY_STATE[state as MessageStateValue] ?? 'UNKNOWN';
}

/** The message_state for a `stat:` word, any case, long spellings too; undefined if unrecognised. */
export function messageStateForStat(stat: string): MessageStateValue | undefined {
  return STATE_BY_WORD.get(stat.trim().toUpperCase());
}

export interface ReceiptFields {
  /** message_id as returned in submit_sm_resp, written as is. */
  id: string;
  /** Parts submitted. Default 1. */
  sub?: number;
  /** Parts delivered. Default 1 when stat is DELIVRD, else 0. */
  dlvrd?: number;
  submitDate: Date;
  doneDate: Date;
  stat: ReceiptStatWord;
  /** Network or SMSC error code. Default 0. */
  err?: number | string;
  /** Start of the original message; only the first 20 characters are written. */
  text?: string;
}

const pad2 = (v: number) => String(v).padStart(2, '0');

/** YYMMDDhhmm in UTC, as Appendix B's receipt dates. */
export function formatReceiptDate(date: Date): string {
  return (
    pad2(date.getUTCFullYear() % 100) +
    pad2(date.getUTCMonth() + 1) +
    pad2(date.getUTCDate()) +
    pad2(date.getUTCHours()) +
    pad2(date.getUTCMinutes())
  );
}

function count3(v: number): string {
  const n = Math.min(999, Math.max(0, Math.trunc(v)));
  return String(n).padStart(3, '0');
}

/** First `n` characters (code points, so a surrogate pair is never cut). */
function firstChars(text: string, n: number): string {
  let i = 0;
  let count = 0;
  while (i < text.length && count < n) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
    count++;
  }
  return text.slice(0, i);
}

/**
 * The delivery receipt text of SMPP 3.4 Appendix B:
 * `id:I sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:EEE text:...`.
 */
export function formatReceipt(fields: ReceiptFields): string {
  const sub = fields.sub ?? 1;
  const dlvrd = fields.dlvrd ?? (fields.stat === 'DELIVRD' ? 1 : 0);
  const err = typeof fields.err === 'string' ? fields.err : count3(fields.err ?? 0);
  return (
    `id:${fields.id} sub:${count3(sub)} dlvrd:${count3(dlvrd)} ` +
    `submit date:${formatReceiptDate(fields.submitDate)} done date:${formatReceiptDate(fields.doneDate)} ` +
    `stat:${fields.stat} err:${err} text:${firstChars(fields.text ?? '', 20)}`
  );
}

export interface ParsedReceipt {
  /** As written, case and leading zeros kept (hex and decimal ids both occur). */
  id: string;
  sub?: number;
  dlvrd?: number;
  submitDate?: Date;
  doneDate?: Date;
  /** Upper-cased as received, even when not one of the standard words. */
  stat?: string;
  /** From `stat`, when recognised. */
  messageState?: MessageStateValue;
  /** As written (usually 3 decimal digits, sometimes hex). */
  err?: string;
  text?: string;
}

const LABEL = /\b(id|sub|dlvrd|submit[ _]?date|done[ _]?date|stat|err|text)\s*:/gi;

function parseDate(raw: string): Date | undefined {
  if (!/^\d+$/.test(raw)) return undefined;
  let year: number;
  let rest: string;
  if (raw.length === 14) {
    year = Number(raw.slice(0, 4));
    rest = raw.slice(4);
  } else if (raw.length === 10 || raw.length === 12) {
    year = 2000 + Number(raw.slice(0, 2));
    rest = raw.slice(2);
  } else return undefined;
  const month = Number(rest.slice(0, 2));
  const day = Number(rest.slice(2, 4));
  const hour = Number(rest.slice(4, 6));
  const minute = Number(rest.slice(6, 8));
  const second = rest.length >= 10 ? Number(rest.slice(8, 10)) : 0;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Reject values Date.UTC silently rolls over (month 13, Feb 30, hour 24...).
  if (
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second
  ) {
    return undefined;
  }
  return date;
}

function parseCount(raw: string): number | undefined {
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/**
 * Reads a delivery receipt, tolerating what peers send: any label case, `submit_date`, 10/12/14-digit
 * dates, missing fields, unknown stat words, extra spaces, trailing NULs. Everything after `text:` is
 * the text. Returns null when the string is not a receipt (no id, or neither stat nor done date).
 */
export function parseReceipt(input: string): ParsedReceipt | null {
  const s = input.replace(/\0+$/, '');
  const found: { label: string; start: number; valueStart: number }[] = [];
  LABEL.lastIndex = 0;
  for (let m = LABEL.exec(s); m !== null; m = LABEL.exec(s)) {
    const label = m[1]!.toLowerCase().replace(/[ _]/, '');
    found.push({ label, start: m.index, valueStart: m.index + m[0].length });
    if (label === 'text') break;
  }
  const values = new Map<string, string>();
  for (let i = 0; i < found.length; i++) {
    const f = found[i]!;
    if (values.has(f.label)) continue;
    const end = f.label === 'text' ? s.length : (found[i + 1]?.start ?? s.length);
    const raw = s.slice(f.valueStart, end);
    values.set(f.label, f.label === 'text' ? raw : raw.trim());
  }
  const id = values.get('id');
  if (!id || (!values.has('stat') && !values.has('donedate'))) return null;
  const receipt: ParsedReceipt = { id };
  const sub = parseCount(values.get('sub') ?? '');
  if (sub !== undefined) receipt.sub = sub;
  const dlvrd = parseCount(values.get('dlvrd') ?? '');
  if (dlvrd !== undefined) receipt.dlvrd = dlvrd;
  const submitDate = parseDate(values.get('submitdate') ?? '');
  if (submitDate) receipt.submitDate = submitDate;
  const doneDate = parseDate(values.get('donedate') ?? '');
  if (doneDate) receipt.doneDate = doneDate;
  const stat = values.get('stat');
  if (stat) {
    receipt.stat = stat.toUpperCase();
    const state = messageStateForStat(stat);
    if (state !== undefined) receipt.messageState = state;
  }
  const err = values.get('err');
  if (err) receipt.err = err;
  const text = values.get('text');
  if (text !== undefined) receipt.text = text;
  return receipt;
}
