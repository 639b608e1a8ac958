import type { StoreContext } from './context.ts';
import type { CorrelationRecord } from './records.ts';

/** Remembers which of our messages an upstream id belongs to, until `ttlMs` (a TTL index removes it). */
export async function correlate(
  ctx: StoreContext,
  connector: string,
  upstreamId: string,
  smsId: string,
  ttlMs: number,
): Promise<void> {
  const now = ctx.now();
  const doc: CorrelationRecord = {
    _id: `${connector}:${upstreamId}`,
    smsId,
    connector,
    createdAt: now,
    expiresAt: new Date(now.getTime() + ttlMs),
  };
  await ctx.cols.correlations.replaceOne({ _id: doc._id }, doc, { upsert: true });
}

export async function findCorrelation(
  ctx: StoreContext,
  connector: string,
  upstreamId: string,
): Promise<CorrelationRecord | null> {
  return ctx.cols.correlations.findOne({ _id: `${connector}:${upstreamId}` });
}
