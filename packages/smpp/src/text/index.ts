export type { ConcatMethod, SplitMethod } from './concat-method.ts';
export { concatUdhLength } from './concat-method.ts';
export type { DataCodingInfo, DescribeOptions, TextEncoding } from './data-coding.ts';
export { DataCoding, dataCodingFor, describeDataCoding } from './data-coding.ts';
export { SmppEncodingError, SmppSplitError, SmppTimeError, SmppUdhError, TextErrorCode } from './errors.ts';
export type { EncodeOptions, Gsm7Padding, UnpackOptions } from './gsm7.ts';
export {
  decodeGsm7,
  decodeGsm7Packed,
  encodeGsm7,
  encodeGsm7Packed,
  GSM7_BASIC_TABLE,
  GSM7_ESCAPE,
  GSM7_EXTENSION_TABLE,
  gsm7CharSeptets,
  gsm7FillBits,
  gsm7Length,
  isGsm7,
  packedLength,
  packGsm7,
  septetsInOctets,
  unpackGsm7,
} from './gsm7.ts';
export { decodeAscii, decodeLatin1, encodeAscii, encodeLatin1 } from './latin1.ts';
export type { MessageCount, PickEncodingOptions, SegmentCount } from './pick-encoding.ts';
export { countMessage, countUnits, pickEncoding } from './pick-encoding.ts';
export type {
  ConcatKind,
  EvictedSet,
  ReassembledMessage,
  ReassemblerOptions,
  ReassemblyResult,
  ReceivedPart,
} from './reassemble.ts';
export { Reassembler } from './reassemble.ts';
export type { MessageStateValue, ParsedReceipt, ReceiptFields, ReceiptStatWord } from './receipt.ts';
export {
  formatReceipt,
  formatReceiptDate,
  MessageState,
  messageStateForStat,
  parseReceipt,
  ReceiptStat,
  statForMessageState,
} from './receipt.ts';
export { MAX_USER_DATA_OCTETS, segmentCapacity, segmentEnds } from './segment-capacity.ts';
export type { AbsoluteSmppTime, RelativeSmppTime, SmppTime } from './smpp-time.ts';
export {
  addRelativeTime,
  formatSmppAbsoluteTime,
  formatSmppRelativeTime,
  formatSmppTime,
  parseSmppTime,
  resolveSmppTime,
} from './smpp-time.ts';
export type { Segment, SegmentTlvs, SplitOptions } from './split.ts';
export { ESM_CLASS_UDHI, splitMessage } from './split.ts';
export type { DecodeTextOptions } from './text-codec.ts';
export { decodeText, encodeText } from './text-codec.ts';
export type { DecodeUcs2Options } from './ucs2.ts';
export { decodeUcs2, encodeUcs2, isHighSurrogateAt } from './ucs2.ts';
export type { ConcatInfo, InformationElement, ParsedUserData, PortInfo, Udh } from './udh.ts';
export {
  buildUdh,
  concatElement,
  Iei,
  interpretElements,
  parseUdh,
  portElement,
  udhLength,
} from './udh.ts';
