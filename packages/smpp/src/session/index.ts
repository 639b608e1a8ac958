/**
 * SMPP 3.4 sessions over any duplex stream, ESME or SMSC side.
 *
 * ESME:
 *   const session = await connectSmpp({ host, port, bind: { command: 'bind_transceiver', systemId, password } });
 *   const resp = await session.request({ command: 'submit_sm', destinationAddr, shortMessage });
 *   session.on('pdu', (pdu) => { if (pdu.command === 'deliver_sm') session.respond(pdu); });
 *   await session.unbind();
 *
 * SMSC:
 *   const server = await listenSmpp({ port: 2775 }, (session) => {
 *     session.on('bind', (req) => (checkPassword(req.pdu) ? req.accept() : req.reject(CommandStatus.ESME_RINVPASWD)));
 *     session.on('pdu', (pdu) => { if (pdu.command === 'submit_sm') session.respond(pdu, { messageId }); });
 *   });
 *
 * In tests, `createDuplexPair()` connects two sessions (or a session and a hand-driven peer) in memory.
 */
export { buildPdu, buildResponse, type PduInput } from './build.ts';
export {
  type ConnectSmppOptions,
  connectSmpp,
  type ListenSmppOptions,
  listenSmpp,
  type SmppServer,
} from './connect.ts';
export { createDuplexPair, type DuplexPairOptions } from './duplex-pair.ts';
export {
  SmppBindError,
  SmppDrainTimeoutError,
  SmppGenericNackError,
  SmppInvalidStateError,
  SmppProtocolError,
  SmppQueueTimeoutError,
  SmppSessionClosedError,
  SmppTimeoutError,
  SmppWindowFullError,
  sessionErrorClasses,
} from './errors.ts';
export {
  type ApplicationCommand,
  type ApplicationRequest,
  type BindDecision,
  type BindRequest,
  type BoundInfo,
  type CloseInfo,
  CloseReason,
  type ResponseFields,
  type SmppSessionEvents,
} from './events.ts';
export { type ResolvedSessionOptions, resolveSessionOptions, type SessionOptions } from './options.ts';
export { MAX_SEQUENCE_NUMBER, SequenceCounter } from './sequence.ts';
export {
  type BindParams,
  type RequestCommand,
  type RequestOptions,
  type ResponseOf,
  SmppSession,
} from './session.ts';
export {
  BIND_STATE,
  type BindCommand,
  type IssueExtensions,
  mayIssue,
  SessionRole,
  SessionState,
} from './state.ts';
