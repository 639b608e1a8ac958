/**
 * Bind authentication (SMPP 3.4 §4.1): unknown system_id ESME_RINVSYSID, wrong password
 * ESME_RINVPASWD, disabled account or no free bind slot ESME_RBINDFAIL.
 */

import { AuthOutcome } from '@smsc/directory';
import { type BindRequest, CommandStatus } from '@smsc/smpp';
import type { Connection, InserterContext } from '../context.ts';

const S = CommandStatus;

export async function handleBind(
  ctx: InserterContext,
  conn: Connection,
  request: BindRequest,
  accepting: () => boolean,
): Promise<void> {
  const { systemId, password } = request.pdu;
  const log = conn.log.child({ systemId, bind: request.pdu.command });
  if (!accepting()) {
    request.reject(S.ESME_RBINDFAIL);
    return;
  }
  let auth: Awaited<ReturnType<typeof ctx.directory.authenticate>>;
  try {
    auth = await ctx.directory.authenticate(systemId, password);
  } catch (error) {
    log.error({ err: error }, 'bind: account lookup failed');
    request.reject(S.ESME_RSYSERR);
    return;
  }
  if (auth.outcome !== AuthOutcome.ok) {
    const status =
      auth.outcome === AuthOutcome.unknownSystemId
        ? S.ESME_RINVSYSID
        : auth.outcome === AuthOutcome.badPassword
          ? S.ESME_RINVPASWD
          : S.ESME_RBINDFAIL;
    log.info({ outcome: auth.outcome }, 'bind refused');
    request.reject(status);
    return;
  }
  const account = auth.account;
  if (!accepting() || !ctx.registry.reserve(account.systemId, account.maxBinds)) {
    log.info({ maxBinds: account.maxBinds }, 'bind refused: no free bind slot');
    request.reject(S.ESME_RBINDFAIL);
    return;
  }
  if (conn.session.state !== 'open') {
    ctx.registry.unreserve(account.systemId);
    return;
  }
  conn.account = account;
  conn.log = log;
  request.accept({ systemId: ctx.config.systemId });
  ctx.registry.add(account.systemId, conn.session);
  log.info({ state: conn.session.state }, 'bound');
}
