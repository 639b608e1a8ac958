/**
 * @smsc/smpp: SMPP 3.4 without I/O in the codec.
 * - encodePdu(pdu) / decodePdu(frame): one whole PDU to and from octets, driven by the command
 *   table (commands.ts) and the TLV table (tlvs.ts); errors are SmppEncodeError / SmppDecodeError,
 *   the latter carrying the command_status the peer should get.
 * - PduFramer: a byte stream to PDUs, bounded by maxCommandLength, never throwing.
 * - createPdu / createResponse / createGenericNack: PDUs without listing every field.
 * - text/: character sets, splitting and reassembly; session/: sessions over any Duplex stream.
 */
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
