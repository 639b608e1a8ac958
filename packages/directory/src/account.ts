/** An ESME account as stored in the `accounts` collection (one per system_id). */
export interface AccountRecord {
  /** The system_id: the account's id everywhere (sms.accountId, route targets `esme:<systemId>`). */
  _id: string;
  systemId: string;
  /** `scrypt$...` (see password.ts); the clear password is never stored or logged. */
  passwordHash: string;
  /** Simultaneous binds of this account on one inserter process; 0 means no limit. */
  maxBinds: number;
  /** Messages per second accepted from this account on one inserter process; 0 means no limit. */
  throughput: number;
  /** May inject mobile-originated traffic with deliver_sm. */
  allowMo: boolean;
  enabled: boolean;
  /** Where the record came from: `config` records are rewritten at start from the config file. */
  source: 'config' | 'api';
  updatedAt: Date;
}

/** The account as the inserter sees it: no hash. */
export interface Account {
  systemId: string;
  maxBinds: number;
  throughput: number;
  allowMo: boolean;
  enabled: boolean;
}

export function toAccount(record: AccountRecord): Account {
  return {
    systemId: record.systemId,
    maxBinds: record.maxBinds,
    throughput: record.throughput,
    allowMo: record.allowMo,
    enabled: record.enabled,
  };
}
