/**
 * deliver_sm from an ESME (SMPP 3.4 §4.6): mobile-originated traffic injected by a gateway account.
 * Only accounts allowed to (allowMo) may; it is then stored and routed like a submit.
 */
import { CommandStatus, type PduOf } from '@smsc/smpp';
import { acceptOne } from '../accept-one.ts';
import { type Connection, currentAccount, type InserterContext } from '../context.ts';
import { type Answer, refuse } from './answer.ts';

export async function handleDeliverSm(
  ctx: InserterContext,
  conn: Connection,
  pdu: PduOf<'deliver_sm'>,
): Promise<Answer> {
  if (!currentAccount(ctx, conn).allowMo) return refuse(CommandStatus.ESME_RINVBNDSTS);
  const result = await acceptOne(ctx, conn, pdu, {
    ton: pdu.destAddrTon,
    npi: pdu.destAddrNpi,
    addr: pdu.destinationAddr,
  });
  // §4.6.2: deliver_sm_resp's message_id is unused (NULL); the id goes to our log only.
  return 'messageId' in result ? { commandStatus: 0, messageId: '' } : refuse(result.status);
}
