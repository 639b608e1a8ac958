/** Prefix routes on the destination, optionally only for one submitting account. */
import { normaliseMsisdn } from '@smsc/store';

/** A route as stored in the `routes` collection. */
export interface RouteRecord {
  /** `config:<prefix>:<fromAccount or *>` for routes from the config file. */
  _id: string;
  /** Digits the normalised destination starts with; '' matches every destination (a default route). */
  prefix: string;
  /** Only for messages submitted by this account; absent: for every account. */
  fromAccount?: string;
  /** The outlet target, e.g. `esme:sink` (delivery to that account's receiving binds). */
  target: string;
  /** Among routes of equal prefix length and specificity, the lower order wins. */
  order: number;
  enabled: boolean;
  source: 'config' | 'api';
  updatedAt: Date;
}

export interface Route {
  id: string;
  prefix: string;
  fromAccount?: string;
  target: string;
}

/** The target that delivers to an account's receiving binds (the same form as the store's receipts). */
export function accountTarget(systemId: string): string {
  return `esme:${systemId}`;
}

/**
 * An immutable table: longest prefix wins; at equal length a route for the submitting account beats
 * a route for everyone; then the lower `order`.
 */
export class RouteTable {
  private readonly routes: readonly RouteRecord[];

  constructor(records: readonly RouteRecord[]) {
    this.routes = records
      .filter((r) => r.enabled)
      .toSorted(
        (a, b) =>
          b.prefix.length - a.prefix.length ||
          Number(b.fromAccount !== undefined) - Number(a.fromAccount !== undefined) ||
          a.order - b.order ||
          (a._id < b._id ? -1 : a._id > b._id ? 1 : 0),
      );
  }

  get size(): number {
    return this.routes.length;
  }

  /** The route for `destination` (as received; normalised like the store's destination key), or null. */
  match(destination: string, accountId?: string): Route | null {
    let key: string;
    try {
      key = normaliseMsisdn(destination);
    } catch {
      return null;
    }
    for (const r of this.routes) {
      if (r.fromAccount !== undefined && r.fromAccount !== accountId) continue;
      if (!key.startsWith(r.prefix)) continue;
      const route: Route = { id: r._id, prefix: r.prefix, target: r.target };
      if (r.fromAccount !== undefined) route.fromAccount = r.fromAccount;
      return route;
    }
    return null;
  }
}
