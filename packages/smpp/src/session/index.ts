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
export { BIND_STATE, type BindCommand, mayIssue, SessionRole, SessionState } from './state.ts';
