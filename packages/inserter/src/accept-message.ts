/**
 * The path of one message from a PDU to a stored record: checks, destination, route, throughput,
 * replace_if_present, grouped write. Answers are built by the handlers from what this returns.
 */
import { CommandStatus } from '@smsc/smpp';
import type { QueueInput, SmsRecord } from '@smsc/store';
import { type Connection, currentAccount, type InserterContext } from './context.ts';
import { statusForStoreError } from './store-status.ts';
import { validateDestinationAddress } from './validate/address.ts';
import type { CheckedMessage } from './validate/message.ts';

const S = CommandStatus;

export interface Destination {
  ton: number;
  npi: number;
  addr: string;
}

export type Accepted = { status: 0; messageId: string } | { status: number };

/** The QueueInput for one destination, or the status refusing it (bad address, no route). */
export function inputFor(
  ctx: InserterContext,
  conn: Connection,
  message: CheckedMessage,
  destination: Destination,
): QueueInput | { status: number } {
  const status = validateDestinationAddress(destination.ton, destination.npi, destination.addr);
  if (status !== 0) return { status };
  const accountId = (conn.account?.systemId ?? '') as string;
  const route = ctx.directory.route(destination.addr, accountId);
  // No route: refused, not stored (an accepted message nobody can deliver would only expire).
  if (!route) return { status: S.ESME_RINVDSTADR };
  const input: QueueInput = {
    payload: { ...message.payload, destination },
    target: route.target,
    route: route.id,
    accountId,
  };
  if (message.expiresAt) input.expiresAt = message.expiresAt;
  if (message.scheduledAt) input.scheduledAt = message.scheduledAt;
  if (message.segment) input.segment = message.segment;
  return input;
}

/** Takes `count` messages of the account's throughput; false means ESME_RTHROTTLED. */
export function takeThroughput(ctx: InserterContext, conn: Connection, count: number): boolean {
  const account = currentAccount(ctx, conn);
  return ctx.throttles.take(account.systemId, account.throughput, count);
}

/**
 * §5.2.18 replace_if_present_flag: a queued message of this account with the same source,
 * destination and service_type gets the new content instead of a second message being stored.
 * Returns the replaced message's id, or null when there was none to replace.
 */
async function replaceIfPresent(ctx: InserterContext, input: QueueInput): Promise<string | null> {
  const p = input.payload;
  const [existing] = await ctx.store.find(
    {
      accountId: input.accountId,
      state: 'queued',
      'payload.source.addr': p.source.addr,
      'payload.destination.addr': p.destination.addr,
      'payload.serviceType': p.serviceType ?? '',
    },
    { limit: 1 },
  );
  if (!existing) return null;
  const changes: Parameters<typeof ctx.store.replace>[1] = { shortMessage: p.shortMessage };
  if (p.registeredDelivery !== undefined) changes.registeredDelivery = p.registeredDelivery;
  if (input.scheduledAt) changes.scheduledAt = input.scheduledAt;
  if (input.expiresAt) changes.expiresAt = input.expiresAt;
  const result = await ctx.store.replace(existing._id, changes);
  return result.applied ? existing._id : null;
}

/** Stores one message (after its checks) and returns its id, or the status to answer with. */
export async function storeOne(ctx: InserterContext, conn: Connection, input: QueueInput): Promise<Accepted> {
  if (input.payload.replaceIfPresent === 1) {
    try {
      const replaced = await replaceIfPresent(ctx, input);
      if (replaced) {
        conn.log.debug({ messageId: replaced }, 'message replaced (replace_if_present_flag)');
        return { status: 0, messageId: replaced };
      }
    } catch (error) {
      conn.log.error({ err: error }, 'replace_if_present lookup failed');
      return { status: statusForStoreError(error) };
    }
  }
  const [result] = await ctx.writer.submit([input]);
  return answerFor(conn, result);
}

export function answerFor(
  conn: Connection,
  result: { ok: true; record: SmsRecord } | { ok: false; error: unknown } | undefined,
): Accepted {
  if (result?.ok) {
    logStored(conn, result.record);
    return { status: 0, messageId: result.record._id };
  }
  const error = result?.error;
  const status = statusForStoreError(error);
  if (status === S.ESME_RSYSERR) conn.log.error({ err: error }, 'storing a message failed');
  else conn.log.info({ err: error }, 'store refused a message');
  return { status };
}

function logStored(conn: Connection, record: SmsRecord): void {
  conn.log.debug(
    { messageId: record._id, destMsisdn: record.destMsisdn, target: record.target, segment: record.segment },
    'message stored',
  );
}
