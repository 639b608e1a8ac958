/** submit_sm (SMPP 3.4 §4.4): store, then answer with the message id. */
import type { PduOf } from '@smsc/smpp';
import { acceptOne } from '../accept-one.ts';
import type { Connection, InserterContext } from '../context.ts';
import { type Answer, refuse } from './answer.ts';

export async function handleSubmitSm(
  ctx: InserterContext,
  conn: Connection,
  pdu: PduOf<'submit_sm'>,
): Promise<Answer> {
  const result = await acceptOne(ctx, conn, pdu, {
    ton: pdu.destAddrTon,
    npi: pdu.destAddrNpi,
    addr: pdu.destinationAddr,
  });
  return 'messageId' in result ? { commandStatus: 0, messageId: result.messageId } : refuse(result.status);
}
