/**
 * submit_multi (SMPP 3.4 §4.5): one record per destination; destinations that fail are listed in
 * the resp's unsuccess_sme with their own status (§4.5.2). The resp has room for one message_id, so
 * the first stored destination's id names them all: the others are written after it with that id as
 * their `submitId`, which their receipts carry and query_sm / cancel_sm find them by.
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
  let submitId: string | undefined;
  let rest = inputs;
  // Until one destination is stored there is no id to share: write them one at a time until then.
  while (submitId === undefined && rest.length > 0) {
    const [head, ...tail] = rest;
    rest = tail;
    const [result] = await ctx.writer.submit([head!.input]);
    const answer = answerFor(conn, result!);
    if ('messageId' in answer) submitId = answer.messageId;
    else unsuccess.push(unsuccessful(head!, answer.status));
  }
  if (submitId === undefined) return refuse(S.ESME_RSYSERR);
  if (rest.length > 0) {
    const results = await ctx.writer.submit(rest.map((i) => ({ ...i.input, submitId })));
    for (const [i, result] of results.entries()) {
      const answer = answerFor(conn, result);
      if (!('messageId' in answer)) unsuccess.push(unsuccessful(rest[i]!, answer.status));
    }
  }
  return { commandStatus: 0, messageId: submitId, unsuccessSmes: unsuccess };
}

function unsuccessful(d: { ton: number; npi: number; addr: string }, status: number): UnsuccessSme {
  return { destAddrTon: d.ton, destAddrNpi: d.npi, destinationAddr: d.addr, errorStatusCode: status };
}
