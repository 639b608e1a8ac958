/** data_sm (SMPP 3.4 §4.7): like submit_sm, with the content in message_payload and fewer fields. */
import type { PduOf } from '@smsc/smpp';
import { acceptOne } from '../accept-one.ts';
import type { Connection, InserterContext } from '../context.ts';
import { type Answer, refuse } from './answer.ts';

export async function handleDataSm(
  ctx: InserterContext,
  conn: Connection,
  pdu: PduOf<'data_sm'>,
): Promise<Answer> {
  // §5.3.2.9 qos_time_to_live: seconds the message stays valid; as a relative validity.
  const ttl = pdu.tlvs?.qosTimeToLive;
  const validityPeriod = ttl ? relativeSeconds(ttl) : '';
  const result = await acceptOne(
    ctx,
    conn,
    {
      command: 'data_sm',
      serviceType: pdu.serviceType,
      sourceAddrTon: pdu.sourceAddrTon,
      sourceAddrNpi: pdu.sourceAddrNpi,
      sourceAddr: pdu.sourceAddr,
      esmClass: pdu.esmClass,
      protocolId: 0,
      priorityFlag: 0,
      scheduleDeliveryTime: '',
      validityPeriod,
      registeredDelivery: pdu.registeredDelivery,
      replaceIfPresentFlag: 0,
      dataCoding: pdu.dataCoding,
      smDefaultMsgId: 0,
      shortMessage: Buffer.alloc(0),
      ...(pdu.tlvs ? { tlvs: pdu.tlvs } : {}),
    },
    { ton: pdu.destAddrTon, npi: pdu.destAddrNpi, addr: pdu.destinationAddr },
  );
  return 'messageId' in result ? { commandStatus: 0, messageId: result.messageId } : refuse(result.status);
}

/** Seconds as an SMPP relative time `YYMMDDhhmmss000R` (§7.1.1.2), days carrying the excess. */
function relativeSeconds(total: number): string {
  const days = Math.min(99, Math.floor(total / 86_400));
  const rest = total - days * 86_400;
  const two = (n: number) => String(n).padStart(2, '0');
  return `0000${two(days)}${two(Math.floor(rest / 3600))}${two(Math.floor((rest % 3600) / 60))}${two(rest % 60)}000R`;
}
