export { BoundSessions } from './bound-sessions.ts';
export {
  InserterError,
  InserterErrorCode,
  InvalidInserterOptionError,
  InvalidInserterStateError,
  inserterErrorClasses,
} from './errors.ts';
export { GroupWriter, type GroupWriterOptions, type WriteMany } from './group-writer.ts';
export { messageStateOf } from './handlers/query-sm.ts';
export { Inserter, InserterState, type InserterStats } from './inserter.ts';
export {
  type InserterConfig,
  type InserterOptions,
  type InserterSessionOptions,
  resolveInserterConfig,
} from './options.ts';
export type {
  ReceiverChange,
  SessionRegistry,
  SessionRegistryEvent,
  SessionRegistryEvents,
} from './session-registry.ts';
export { Throttles, TokenBucket } from './throttle.ts';
export { type RawTlv, rawToTlvs, tlvsToRaw } from './tlv-bytes.ts';
export { validateDestinationAddress, validateSourceAddress } from './validate/address.ts';
export { checkContent, type SegmentInfo } from './validate/content.ts';
export { checkMessage, type MessageFields, type MessageLimits } from './validate/message.ts';
export { checkTimes, type TimeLimits } from './validate/times.ts';
