/**
 * submit_multi (SMPP 3.4 §4.5): one record per destination, written together; destinations that
 * fail are listed in the resp's unsuccess_sme with their own status (§4.5.2).
 */
import { CommandStatus, type PduOf, type UnsuccessSme } from '@smsc/smpp';
import type { QueueInput } from '@smsc/store';
import { answerFor, inputFor, takeThroughput } from '../accept-message.ts';
import type { Connection, InserterContext } from '../context.ts';
import { checkMessage } from '../validate/message.ts';
import { type Answer, refuse } from './answer.ts';

const S = CommandStatus;

export async function handleSubmitMulti(
  ctx: InserterContext,
  conn: Connection,
  pdu: PduOf<'submit_multi'>,
): Promise<Answer> {
  if (pdu.destAddresses.length === 0) return refuse(S.ESME_RINVNUMDESTS);
  const checked = checkMessage({ ...pdu, command: 'submit_multi' }, ctx.now(), ctx.limits);
  if (!('message' in checked)) return refuse(checked.status);
  const unsuccess: UnsuccessSme[] = [];
  const inputs: { input: QueueInput; ton: number; npi: number; addr: string }[] = [];
  for (const d of pdu.destAddresses) {
    if (d.destFlag !== 1) {
      // Distribution lists are not kept by this SMSC.
      unsuccess.push({
        destAddrTon: 0,
        destAddrNpi: 0,
        destinationAddr: d.dlName,
        errorStatusCode: S.ESME_RINVDLNAME,
      });
      continue;
    }
    const destination = { ton: d.destAddrTon, npi: d.destAddrNpi, addr: d.destinationAddr };
    const input = inputFor(ctx, conn, checked.message, destination);
    if ('status' in input) {
      unsuccess.push({
        destAddrTon: d.destAddrTon,
        destAddrNpi: d.destAddrNpi,
        destinationAddr: d.destinationAddr,
        errorStatusCode: input.status,
      });
    } else {
      inputs.push({ input, ...destination });
    }
  }
  if (inputs.length === 0) return refuse(unsuccess[0]?.errorStatusCode ?? S.ESME_RSUBMITFAIL);
  if (!takeThroughput(ctx, conn, inputs.length)) return refuse(S.ESME_RTHROTTLED);
  const results = await ctx.writer.submit(inputs.map((i) => i.input));
  const ids: string[] = [];
  for (const [i, result] of results.entries()) {
    const answer = answerFor(conn, result);
    const d = inputs[i]!;
    if ('messageId' in answer) ids.push(answer.messageId);
    else
      unsuccess.push({
        destAddrTon: d.ton,
        destAddrNpi: d.npi,
        destinationAddr: d.addr,
        errorStatusCode: answer.status,
      });
  }
  if (ids.length === 0) return refuse(S.ESME_RSYSERR);
  // The resp has room for one id: the first destination's; each record keeps its own.
  return { commandStatus: 0, messageId: ids[0], unsuccessSmes: unsuccess };
}
