/** The `accounts` and `routes` sections of the config file, validated once with errors naming the field. */
import { InvalidDirectoryConfigError } from './errors.ts';
import { accountTarget } from './route.ts';

export interface AccountConfig {
  systemId: string;
  /** Clear text in the config file only; stored as a scrypt hash. SMPP passwords are at most 8 octets (§5.2.2). */
  password: string;
  /** Default 0 (no limit). */
  maxBinds?: number;
  /** Messages per second; default 0 (no limit). */
  throughput?: number;
  /** May inject MO traffic with deliver_sm. Default false. */
  allowMo?: boolean;
  /** Default true. */
  enabled?: boolean;
}

export interface RouteConfig {
  /** Destination prefix (digits); '' is a default route. */
  prefix: string;
  /** Deliver to this account's receiving binds (target `esme:<account>`). */
  account?: string;
  /** Or any outlet target, e.g. `smpp:upstream-a` (exactly one of account and target). */
  target?: string;
  /** Only for messages submitted by this account. */
  fromAccount?: string;
  /** Tie-break among equal routes, lower first. Default: the position in the list. */
  order?: number;
}

export interface DirectoryConfig {
  accounts: AccountConfig[];
  routes: RouteConfig[];
}

const SYSTEM_ID = /^[\x21-\x7e]{1,15}$/;

function fail(field: string, problem: string): never {
  throw new InvalidDirectoryConfigError(field, problem);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalCount(o: Record<string, unknown>, key: string, field: string): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    fail(`${field}.${key}`, 'must be an integer >= 0');
  return v;
}

function optionalBoolean(o: Record<string, unknown>, key: string, field: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') fail(`${field}.${key}`, 'must be true or false');
  return v;
}

function validateAccount(v: unknown, field: string): AccountConfig {
  if (!isObject(v)) fail(field, 'must be an object');
  const { systemId, password } = v;
  // §5.2.1 system_id: at most 16 octets with the NUL.
  if (typeof systemId !== 'string' || !SYSTEM_ID.test(systemId))
    fail(`${field}.systemId`, 'must be 1-15 printable ASCII characters');
  // §5.2.2 password: at most 9 octets with the NUL.
  if (typeof password !== 'string' || password.length === 0 || Buffer.byteLength(password) > 8)
    fail(`${field}.password`, 'must be 1-8 characters');
  const account: AccountConfig = { systemId, password };
  const maxBinds = optionalCount(v, 'maxBinds', field);
  const throughput = optionalCount(v, 'throughput', field);
  const allowMo = optionalBoolean(v, 'allowMo', field);
  const enabled = optionalBoolean(v, 'enabled', field);
  if (maxBinds !== undefined) account.maxBinds = maxBinds;
  if (throughput !== undefined) account.throughput = throughput;
  if (allowMo !== undefined) account.allowMo = allowMo;
  if (enabled !== undefined) account.enabled = enabled;
  return account;
}

function validateRoute(v: unknown, field: string, systemIds: ReadonlySet<string>): RouteConfig {
  if (!isObject(v)) fail(field, 'must be an object');
  const { prefix, account, target, fromAccount } = v;
  if (typeof prefix !== 'string' || !/^\d{0,20}$/.test(prefix))
    fail(`${field}.prefix`, 'must be 0-20 digits');
  if ((account === undefined) === (target === undefined))
    fail(field, 'needs exactly one of "account" and "target"');
  const route: RouteConfig = { prefix };
  if (account !== undefined) {
    if (typeof account !== 'string' || !systemIds.has(account))
      fail(`${field}.account`, 'must name an account of this config');
    route.account = account;
  }
  if (target !== undefined) {
    if (typeof target !== 'string' || !/^[a-z]+:.+$/.test(target))
      fail(`${field}.target`, 'must look like "<kind>:<name>", e.g. "smpp:upstream"');
    route.target = target;
  }
  if (fromAccount !== undefined) {
    if (typeof fromAccount !== 'string' || !systemIds.has(fromAccount))
      fail(`${field}.fromAccount`, 'must name an account of this config');
    route.fromAccount = fromAccount;
  }
  const order = v.order;
  if (order !== undefined) {
    if (typeof order !== 'number' || !Number.isInteger(order)) fail(`${field}.order`, 'must be an integer');
    route.order = order;
  }
  return route;
}

/** Checks the sections as read from JSON; throws InvalidDirectoryConfigError naming the first bad field. */
export function validateDirectoryConfig(input: { accounts?: unknown; routes?: unknown }): DirectoryConfig {
  const accountsIn = input.accounts ?? [];
  const routesIn = input.routes ?? [];
  if (!Array.isArray(accountsIn)) fail('accounts', 'must be an array');
  if (!Array.isArray(routesIn)) fail('routes', 'must be an array');
  const accounts = accountsIn.map((a, i) => validateAccount(a, `accounts[${i}]`));
  const systemIds = new Set<string>();
  accounts.forEach((a, i) => {
    if (systemIds.has(a.systemId)) fail(`accounts[${i}].systemId`, `duplicate system_id ${a.systemId}`);
    systemIds.add(a.systemId);
  });
  const routes = routesIn.map((r, i) => validateRoute(r, `routes[${i}]`, systemIds));
  return { accounts, routes };
}

/** The target a configured route sends to. */
export function routeConfigTarget(route: RouteConfig): string {
  return route.account !== undefined ? accountTarget(route.account) : (route.target as string);
}

/** The stable id of a configured route: the same prefix and fromAccount always update one record. */
export function routeConfigId(route: RouteConfig): string {
  return `config:${route.prefix}:${route.fromAccount ?? '*'}`;
}
