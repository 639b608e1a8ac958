import type { Binary, ObjectId } from 'mongodb';

export const SmsState = {
  /** Waiting for its next attempt (`nextAttemptAt`). */
  queued: 'queued',
  /** Claimed by a worker: `lock` holds its token and lease; `nextAttemptAt` equals `lock.until`. */
  delivering: 'delivering',
  delivered: 'delivered',
  /** Permanent failure, or the maximum number of attempts was reached. */
  failed: 'failed',
  /** Validity period ran out before delivery. */
  expired: 'expired',
  /** Cancelled by the submitter (cancel_sm) or an admin. */
  cancelled: 'cancelled',
} as const;
export type SmsState = (typeof SmsState)[keyof typeof SmsState];

export const ACTIVE_STATES: readonly SmsState[] = [SmsState.queued, SmsState.delivering];
export const FINAL_STATES: readonly SmsState[] = [
  SmsState.delivered,
  SmsState.failed,
  SmsState.expired,
  SmsState.cancelled,
];

/** What the submitter asked for in registered_delivery (SMPP 3.4 §5.2.17, bits 0-1). */
export const ReceiptRequest = {
  none: 'none',
  /** On delivery success or final failure (value 1). */
  final: 'final',
  /** On final failure only (value 2). */
  failure: 'failure',
} as const;
export type ReceiptRequest = (typeof ReceiptRequest)[keyof typeof ReceiptRequest];

export type Address = { ton: number; npi: number; addr: string };
export type Tlv = { tag: number; value: Binary };

/** The PDU's fields as received, so delivery can re-encode them for any outlet. */
export type SmsPayload = {
  /** The command the message came with (`submit_sm`, `data_sm`, `deliver_sm`, `submit_multi`) or `receipt`. */
  command: string;
  serviceType: string;
  source: Address;
  destination: Address;
  esmClass: number;
  protocolId: number;
  priorityFlag: number;
  registeredDelivery: number;
  replaceIfPresent: number;
  dataCoding: number;
  smDefaultMsgId: number;
  shortMessage: Binary;
  tlvs: Tlv[];
};

export type SmsLock = { owner: string; token: string; until: Date };

export const HistoryOutcome = {
  claimed: 'claimed',
  delivered: 'delivered',
  temporary: 'temporary',
  throttled: 'throttled',
  permanent: 'permanent',
  expired: 'expired',
  released: 'released',
  reset: 'reset',
  cancelled: 'cancelled',
} as const;
export type HistoryOutcome = (typeof HistoryOutcome)[keyof typeof HistoryOutcome];

export type HistoryEntry = {
  /** The attempt number this entry belongs to (attempts counted so far plus one). */
  attempt: number;
  at: Date;
  worker: string;
  outlet?: string;
  outcome: HistoryOutcome;
  error?: string;
};

export type SegmentInfo = { ref: number; total: number; seq: number };

export type ReceiptOf = {
  /** The id the submitting ESME was given: the message's `submitId` when it has one, else its `_id`. */
  messageId: string;
  state: SmsState;
  error?: string;
  submittedAt: Date;
  doneAt: Date;
  attempts: number;
  /**
   * The start of the original user data, so the receipt's `text:` field can show the first 20
   * characters (Appendix B): data_coding and esm_class say how to read it (a UDH when esm_class has
   * 0x40). Absent on receipts queued before schema version 2 had it.
   */
  content?: { dataCoding: number; esmClass: number; head: Binary };
};

export type SmsKind = 'message' | 'receipt';

export type SmsRecord = {
  /** The message id: 10 characters of base36, the SMPP message_id (see message-id.ts). */
  _id: string;
  kind: SmsKind;
  state: SmsState;
  arrivedAt: Date;
  updatedAt: Date;
  /** Normalised destination, the key of the destination lock. */
  destMsisdn: string;
  /** 0 (lowest) to 3 (highest), SMPP priority_flag; higher goes first. */
  priority: number;
  receipt: ReceiptRequest;
  /** Validity period: after this the message expires instead of being attempted. */
  expiresAt: Date;
  nextAttemptAt: Date;
  /** Attempts with an answer from an outlet; throttling answers do not count. */
  attempts: number;
  lock: SmsLock | null;
  /** Bumped by `replace`: a claim made from a stale read of the payload does not apply. */
  rev: number;
  payload: SmsPayload;
  /** Routing decision: which outlet kind takes it (e.g. `smpp:upstream-a`, `http:hook`, `esme:acme`). */
  target: string;
  route?: string;
  accountId: string;
  segment?: SegmentInfo;
  /**
   * The id the submitting ESME was given, where it differs from `_id`: every destination of one
   * submit_multi shares the first destination's id (its submit_multi_resp has room for one), so
   * query_sm, cancel_sm and receipts speak of the id the ESME knows.
   */
  submitId?: string;
  /** Bounded: the newest `historyLimit` entries. */
  history: HistoryEntry[];
  lastError?: string;
  /** A fresh id per conditional write that applied: tells a batch writer which of its writes won. */
  writeId?: string;
  finalAt?: Date;
  /** Set by a final transition of a message that asked for a receipt; cleared once the receipt is queued. */
  receiptPending?: boolean;
  /** For kind `receipt`: what it reports. */
  receiptOf?: ReceiptOf;
  upstreamId?: string;
};

export type SmsEvent = {
  _id: ObjectId;
  type: string;
  at: Date;
  smsId?: string;
  destMsisdn?: string;
  target?: string;
  state?: SmsState;
  /** When the message becomes due (retries, throttling): workers set their timer from it. */
  due?: Date;
  data?: Record<string, unknown>;
};

export type LockRecord = {
  /** The destination MSISDN, or `lease:<name>` for a leader lease. */
  _id: string;
  kind: 'destination' | 'lease';
  owner: string;
  token: string;
  until: Date;
  since: Date;
};

export type CorrelationRecord = {
  /** `<connector>:<upstream message id>`. */
  _id: string;
  smsId: string;
  connector: string;
  createdAt: Date;
  /** TTL index: removed by the server after this time. */
  expiresAt: Date;
};

export const EventType = {
  queued: 'sms.queued',
  delivered: 'sms.delivered',
  retry: 'sms.retry',
  throttled: 'sms.throttled',
  failed: 'sms.failed',
  expired: 'sms.expired',
  cancelled: 'sms.cancelled',
  replaced: 'sms.replaced',
  reset: 'sms.reset',
  released: 'sms.released',
  sentinel: 'events.sentinel',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];
