/**
 * The one place requests meet their handlers. Every request is first admitted against the session
 * window and the process-wide in-flight cap (ESME_RMSGQFUL beyond either, §5.1.3), then handled;
 * exactly one response goes back, ESME_RSYSERR when a handler fails unexpectedly.
 */
import { type ApplicationRequest, CommandStatus, type PduOf } from '@smsc/smpp';
import type { Connection, InserterContext } from './context.ts';
import type { Answer } from './handlers/answer.ts';
import { handleCancelSm } from './handlers/cancel-sm.ts';
import { handleDataSm } from './handlers/data-sm.ts';
import { handleDeliverSm } from './handlers/deliver-sm.ts';
import { handleQuerySm } from './handlers/query-sm.ts';
import { handleReplaceSm } from './handlers/replace-sm.ts';
import { handleSubmitMulti } from './handlers/submit-multi.ts';
import { handleSubmitSm } from './handlers/submit-sm.ts';

type Answerable = Exclude<ApplicationRequest, { command: 'alert_notification' }>;
type Handler = (ctx: InserterContext, conn: Connection, pdu: Answerable) => Promise<Answer>;

const handlers: Record<Answerable['command'], Handler> = {
  submit_sm: (ctx, conn, pdu) => handleSubmitSm(ctx, conn, pdu as PduOf<'submit_sm'>),
  submit_multi: (ctx, conn, pdu) => handleSubmitMulti(ctx, conn, pdu as PduOf<'submit_multi'>),
  data_sm: (ctx, conn, pdu) => handleDataSm(ctx, conn, pdu as PduOf<'data_sm'>),
  deliver_sm: (ctx, conn, pdu) => handleDeliverSm(ctx, conn, pdu as PduOf<'deliver_sm'>),
  query_sm: (ctx, conn, pdu) => handleQuerySm(ctx, conn, pdu as PduOf<'query_sm'>),
  cancel_sm: (ctx, conn, pdu) => handleCancelSm(ctx, conn, pdu as PduOf<'cancel_sm'>),
  replace_sm: (ctx, conn, pdu) => handleReplaceSm(ctx, conn, pdu as PduOf<'replace_sm'>),
};

export function dispatch(ctx: InserterContext, conn: Connection, pdu: ApplicationRequest): void {
  // §4.12: alert_notification has no response, and an ESME has no reason to send us one.
  if (pdu.command === 'alert_notification') return;
  if (conn.inFlight >= ctx.config.sessionWindow || ctx.inFlight >= ctx.config.maxInFlight) {
    conn.log.info(
      { command: pdu.command, sessionInFlight: conn.inFlight, inFlight: ctx.inFlight },
      'refused: window full',
    );
    conn.session.respond(pdu, { commandStatus: CommandStatus.ESME_RMSGQFUL });
    return;
  }
  conn.inFlight += 1;
  ctx.inFlight += 1;
  const handler = handlers[pdu.command];
  handler(ctx, conn, pdu)
    .catch((error: unknown): Answer => {
      conn.log.error({ err: error, command: pdu.command }, 'request failed');
      return { commandStatus: CommandStatus.ESME_RSYSERR };
    })
    .then((answer) => {
      conn.inFlight -= 1;
      ctx.inFlight -= 1;
      try {
        conn.session.respond(pdu, answer as never);
      } catch (error) {
        conn.log.error({ err: error, command: pdu.command }, 'could not send the response');
      }
    });
}
