import type { StoreContext } from './context.ts';
import { isDuplicateKeyError } from './errors.ts';

/** Leader leases live in `locks` under `lease:<name>`, apart from destination MSISDNs (digits). */
export function leaseId(name: string): string {
  return `lease:${name}`;
}

/**
 * Takes or renews a named lease (one active cleanup across processes). A CAS that matches our own
 * lease or one that ran out; an insert when there is none (the unique `_id` makes one winner).
 */
export async function acquireLease(
  ctx: StoreContext,
  name: string,
  owner: string,
  leaseMs: number,
): Promise<boolean> {
  const now = ctx.now();
  const until = new Date(now.getTime() + leaseMs);
  const id = leaseId(name);
  const r = await ctx.cols.locks.updateOne(
    { _id: id, $or: [{ owner }, { until: { $lte: now } }] },
    { $set: { owner, token: owner, until, kind: 'lease' } },
  );
  if (r.matchedCount === 1) return true;
  try {
    await ctx.cols.locks.insertOne({ _id: id, kind: 'lease', owner, token: owner, until, since: now });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

export async function releaseLease(ctx: StoreContext, name: string, owner: string): Promise<boolean> {
  const r = await ctx.cols.locks.deleteOne({ _id: leaseId(name), owner });
  return r.deletedCount === 1;
}
