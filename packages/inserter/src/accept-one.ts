/** One message to one destination (submit_sm, data_sm, deliver_sm): checks through storing. */
import { CommandStatus } from '@smsc/smpp';
import { type Accepted, type Destination, inputFor, storeOne, takeThroughput } from './accept-message.ts';
import type { Connection, InserterContext } from './context.ts';
import { checkMessage, type MessageFields } from './validate/message.ts';

export async function acceptOne(
  ctx: InserterContext,
  conn: Connection,
  fields: MessageFields,
  destination: Destination,
): Promise<Accepted> {
  const checked = checkMessage(fields, ctx.now(), ctx.limits);
  if (!('message' in checked)) return { status: checked.status };
  const input = inputFor(ctx, conn, checked.message, destination);
  if ('status' in input) return input;
  // Counted only for messages we would store, so refused PDUs do not eat the account's rate.
  if (!takeThroughput(ctx, conn, 1)) return { status: CommandStatus.ESME_RTHROTTLED };
  return storeOne(ctx, conn, input);
}
