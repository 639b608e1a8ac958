/**
 * A cached view of accounts and routes. The tables are small, so the whole of both is read at
 * start, on `refresh()`, and every `refreshIntervalMs`; a bind from an account not in the cache
 * triggers one immediate refresh, so an account added through the API can bind at once.
 */
import type { Collections } from '@smsc/store';
import type { Collection } from 'mongodb';
import pino, { type Logger } from 'pino';
import { type Account, type AccountRecord, toAccount } from './account.ts';
import { VerifiedPasswords } from './password.ts';
import { type Route, type RouteRecord, RouteTable } from './route.ts';

export interface DirectoryOptions {
  collections: Pick<Collections, 'accounts' | 'routes'>;
  /** How often the cache is re-read; 0 disables the timer. Default 5 000 ms. */
  refreshIntervalMs?: number;
  logger?: Logger;
}

export const AuthOutcome = {
  ok: 'ok',
  unknownSystemId: 'unknown_system_id',
  badPassword: 'bad_password',
  disabled: 'disabled',
} as const;
export type AuthOutcome = (typeof AuthOutcome)[keyof typeof AuthOutcome];

export type AuthResult = { outcome: 'ok'; account: Account } | { outcome: Exclude<AuthOutcome, 'ok'> };

export class Directory {
  private readonly accounts: Collection<AccountRecord>;
  private readonly routes: Collection<RouteRecord>;
  private readonly logger: Logger;
  private readonly intervalMs: number;
  private readonly passwords = new VerifiedPasswords();
  private accountCache = new Map<string, AccountRecord>();
  private table = new RouteTable([]);
  private loading: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: DirectoryOptions) {
    this.accounts = options.collections.accounts as unknown as Collection<AccountRecord>;
    this.routes = options.collections.routes as unknown as Collection<RouteRecord>;
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.intervalMs = options.refreshIntervalMs ?? 5_000;
  }

  /** Loads both tables (throws if the store cannot be read) and starts the refresh timer. */
  async start(): Promise<void> {
    await this.refresh();
    if (this.intervalMs > 0 && !this.closed && !this.timer) {
      this.timer = setInterval(() => {
        // A failed background refresh keeps the previous view; it is logged, not thrown.
        this.refresh().catch((error: unknown) =>
          this.logger.warn({ err: error }, 'directory refresh failed'),
        );
      }, this.intervalMs);
      this.timer.unref();
    }
  }

  /** Re-reads accounts and routes; concurrent calls share one read. */
  refresh(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  account(systemId: string): Account | null {
    const record = this.accountCache.get(systemId);
    return record ? toAccount(record) : null;
  }

  /** Checks a bind's credentials (SMPP 3.4 §4.1). Never logs the password. */
  async authenticate(systemId: string, password: string): Promise<AuthResult> {
    let record = this.accountCache.get(systemId);
    if (!record) {
      await this.refresh();
      record = this.accountCache.get(systemId);
    }
    if (!record) return { outcome: AuthOutcome.unknownSystemId };
    if (!(await this.passwords.verify(password, record.passwordHash)))
      return { outcome: AuthOutcome.badPassword };
    if (!record.enabled) return { outcome: AuthOutcome.disabled };
    return { outcome: AuthOutcome.ok, account: toAccount(record) };
  }

  /** The route for a destination address submitted by `accountId`, or null (no route). */
  route(destination: string, accountId?: string): Route | null {
    return this.table.match(destination, accountId);
  }

  private async load(): Promise<void> {
    const [accounts, routes] = await Promise.all([
      this.accounts.find({}).toArray(),
      this.routes.find({}).toArray(),
    ]);
    this.accountCache = new Map(accounts.map((a) => [a.systemId, a]));
    this.table = new RouteTable(routes);
    this.logger.debug({ accounts: accounts.length, routes: this.table.size }, 'directory loaded');
  }
}
