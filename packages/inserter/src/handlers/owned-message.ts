/** query_sm, cancel_sm and replace_sm act only on messages of the bound account. */
import type { SmsRecord } from '@smsc/store';
import type { Connection, InserterContext } from '../context.ts';

// Our ids are 10 base36 characters (store message-id.ts); anything else cannot be ours.
const MESSAGE_ID = /^[0-9a-z]{1,65}$/;

export function isMessageId(id: string): boolean {
  return MESSAGE_ID.test(id);
}

/** The message with this id submitted by this session's account, or null. */
export async function ownedMessage(
  ctx: InserterContext,
  conn: Connection,
  id: string,
): Promise<SmsRecord | null> {
  const message = await ctx.store.get(id);
  if (!message || message.accountId !== conn.account?.systemId) return null;
  return message;
}
