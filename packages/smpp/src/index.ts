export {
  CommandId,
  type CommandName,
  commandName,
  isResponse,
  type RequestName,
  type ResponseNameOf,
  responseCommand,
} from './command-ids.ts';
export { CommandStatus, type CommandStatusName, commandStatusName } from './command-status.ts';
export {
  type CommandSpec,
  commandSpecById,
  commands,
  createGenericNack,
  createPdu,
  createResponse,
  FieldKind,
  type FieldSpec,
} from './commands.ts';
export { decodePdu } from './decode.ts';
export { encodePdu } from './encode.ts';
export { SmppDecodeError, SmppEncodeError, SmppError, smppErrorClasses } from './errors.ts';
export { type FramerItem, PduFramer, type PduFramerOptions } from './framer.ts';
export * from './session/index.ts';
export * from './text/index.ts';
export { TlvKind, type TlvSpec, tlvByName, tlvByTag, tlvTable, tlvTag } from './tlvs.ts';
export * from './types.ts';
