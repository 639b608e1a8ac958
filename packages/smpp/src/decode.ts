/**
 * decodePdu: walks the command table over one whole frame. Failures are plain return values
 * inside (no try/catch on the hot path); the exported function throws them, the framer hands them on.
 */
import { isResponse } from './command-ids.ts';
import { CommandStatus } from './command-status.ts';
import { type CommandSpec, commandSpecById, commands, FieldKind, type FieldSpec } from './commands.ts';
import { SmppDecodeError } from './errors.ts';
import { TlvKind, type TlvSpec, tlvByTag, type UnknownTlv } from './tlvs.ts';
import type { DestAddress, Pdu, UnsuccessSme } from './types.ts';

type Loose = Record<string, unknown>;
/** Node's Buffer has these undocumented fast paths; SMPP C-strings are ASCII, so latin1 is exact. */
type FastBuffer = Buffer & { latin1Slice(start: number, end: number): string };

const S = CommandStatus;
const HEADER = 16;
const EMPTY = Buffer.alloc(0);

// The failure of the current decode (decoding is synchronous and not re-entrant).
let failStatus = 0;
let failMessage = '';

/** Records a failure and returns -1, the "no offset" marker every reader propagates. */
function failAt(status: number, message: string): number {
  failStatus = status;
  failMessage = message;
  return -1;
}

function truncated(field: string): number {
  return failAt(S.ESME_RINVCMDLEN, `body ends inside mandatory field ${field}`);
}

// Parsed values leave the readers through these, to avoid allocating result tuples.
let outString = '';

/** Reads a C-Octet String of at most `max` octets (NUL included, §5.2) into outString. */
function readCstring(
  buf: FastBuffer,
  off: number,
  end: number,
  max: number,
  status: number,
  field: string,
): number {
  const limit = Math.min(off + max, end);
  let nul = off;
  while (nul < limit && buf[nul] !== 0) nul++;
  if (nul === limit) {
    if (limit === end && off + max > end) return truncated(field);
    return failAt(status, `${field} is longer than ${max - 1} characters`);
  }
  outString = nul === off ? '' : buf.latin1Slice(off, nul);
  return nul + 1;
}

function readFields(
  buf: FastBuffer,
  off: number,
  end: number,
  fields: readonly FieldSpec[],
  pdu: Loose,
): number {
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    switch (f.kind) {
      case FieldKind.int1:
        if (off >= end) return truncated(f.name);
        pdu[f.name] = buf[off++];
        break;
      case FieldKind.cstring:
        off = readCstring(buf, off, end, f.max, f.status, f.name);
        if (off < 0) return off;
        pdu[f.name] = outString;
        break;
      case FieldKind.time: {
        const start = off;
        off = readCstring(buf, off, end, f.max, f.status, f.name);
        if (off < 0) return off;
        // §7.1: a time is absent (NUL only) or exactly 16 characters.
        if (off - start !== 1 && off - start !== 17)
          return failAt(f.status, `${f.name} must be 0 or 16 characters`);
        pdu[f.name] = outString;
        break;
      }
      case FieldKind.shortMessage: {
        if (off >= end) return truncated('smLength');
        const len = buf[off++]!;
        // §5.2.21: sm_length is 0-254 and must match the octets that follow.
        if (len > f.max) return failAt(S.ESME_RINVMSGLEN, `sm_length ${len} exceeds 254`);
        if (off + len > end) return failAt(S.ESME_RINVMSGLEN, `sm_length ${len} runs past the body`);
        pdu[f.name] = len === 0 ? EMPTY : buf.subarray(off, off + len);
        off += len;
        break;
      }
      case FieldKind.destAddresses:
        off = readDestAddresses(buf, off, end, pdu, f);
        if (off < 0) return off;
        break;
      case FieldKind.unsuccessSmes:
        off = readUnsuccessSmes(buf, off, end, pdu, f);
        if (off < 0) return off;
        break;
    }
  }
  return off;
}

// §4.5.1.1: each dest_address is a dest_flag, then an SME address or a distribution list name.
function readDestAddresses(buf: FastBuffer, off: number, end: number, pdu: Loose, f: FieldSpec): number {
  if (off >= end) return truncated('numberOfDests');
  const count = buf[off++]!;
  if (count > f.max) return failAt(S.ESME_RINVNUMDESTS, `number_of_dests ${count} exceeds 254`);
  const list: DestAddress[] = [];
  for (let i = 0; i < count; i++) {
    if (off >= end) return truncated('destFlag');
    const flag = buf[off++];
    if (flag === 1) {
      if (off + 2 > end) return truncated('destAddrTon');
      const destAddrTon = buf[off]!;
      const destAddrNpi = buf[off + 1]!;
      off = readCstring(buf, off + 2, end, 21, S.ESME_RINVDSTADR, 'destinationAddr');
      if (off < 0) return off;
      list.push({ destFlag: 1, destAddrTon, destAddrNpi, destinationAddr: outString });
    } else if (flag === 2) {
      off = readCstring(buf, off, end, 21, S.ESME_RINVDLNAME, 'dlName');
      if (off < 0) return off;
      list.push({ destFlag: 2, dlName: outString });
    } else {
      return failAt(S.ESME_RINVDESTFLAG, `dest_flag ${flag} is neither 1 nor 2`);
    }
  }
  pdu[f.name] = list;
  return off;
}

// §4.5.2.1: each unsuccess_sme is an address and the error_status_code it got.
function readUnsuccessSmes(buf: FastBuffer, off: number, end: number, pdu: Loose, f: FieldSpec): number {
  if (off >= end) return truncated('noUnsuccess');
  const count = buf[off++]!;
  if (count > f.max) return failAt(S.ESME_RINVMSGLEN, `no_unsuccess ${count} exceeds 254`);
  const list: UnsuccessSme[] = [];
  for (let i = 0; i < count; i++) {
    if (off + 2 > end) return truncated('destAddrTon');
    const destAddrTon = buf[off]!;
    const destAddrNpi = buf[off + 1]!;
    off = readCstring(buf, off + 2, end, 21, S.ESME_RINVDSTADR, 'destinationAddr');
    if (off < 0) return off;
    if (off + 4 > end) return truncated('errorStatusCode');
    list.push({
      destAddrTon,
      destAddrNpi,
      destinationAddr: outString,
      errorStatusCode: buf.readUInt32BE(off),
    });
    off += 4;
  }
  pdu[f.name] = list;
  return off;
}

function readTlvValue(buf: FastBuffer, off: number, len: number, spec: TlvSpec): unknown {
  switch (spec.kind) {
    case TlvKind.int1:
      return buf[off];
    case TlvKind.int2:
      return (buf[off]! << 8) | buf[off + 1]!;
    case TlvKind.int4:
      return buf.readUInt32BE(off);
    case TlvKind.cstring: {
      // §5.3.2.11-12: the NUL is part of the value and must be its last octet, and the only one.
      const nul = buf.indexOf(0, off);
      if (nul !== off + len - 1) return undefined;
      return nul === off ? '' : buf.latin1Slice(off, nul);
    }
    case TlvKind.octets:
      return buf.subarray(off, off + len);
    case TlvKind.flag:
      return true;
    case TlvKind.networkErrorCode:
      return { networkType: buf[off]!, errorCode: (buf[off + 1]! << 8) | buf[off + 2]! };
    case TlvKind.callbackNum:
      return {
        digitModeIndicator: buf[off]!,
        addrTon: buf[off + 1]!,
        addrNpi: buf[off + 2]!,
        numberDigits: buf.latin1Slice(off + 3, off + len),
      };
    case TlvKind.callbackNumAtag:
      return { dataCoding: buf[off]!, displayCharacters: buf.subarray(off + 1, off + len) };
  }
  return undefined;
}

let outTlvs: Loose | undefined;

/** Reads the TLV stream (§3.2.4 / §5.3.1) from off to end into outTlvs. */
function readTlvs(buf: FastBuffer, off: number, end: number): number {
  let tlvs: Loose | undefined;
  let unknown: UnknownTlv[] | undefined;
  while (off < end) {
    if (end - off < 4) return failAt(S.ESME_RINVOPTPARSTREAM, `${end - off} stray octets after the last TLV`);
    const tag = (buf[off]! << 8) | buf[off + 1]!;
    const len = (buf[off + 2]! << 8) | buf[off + 3]!;
    off += 4;
    if (off + len > end) {
      return failAt(S.ESME_RINVOPTPARSTREAM, `TLV 0x${tag.toString(16)} length ${len} runs past the body`);
    }
    const spec = tlvByTag[tag];
    if (spec === undefined) {
      // Unknown tags are kept byte-exactly (§5.3: receivers ignore what they do not support).
      unknown ??= [];
      unknown.push({ tag, value: buf.subarray(off, off + len) });
    } else {
      if (len < spec.min || len > spec.max) {
        return failAt(S.ESME_RINVPARLEN, `TLV ${spec.name} length ${len}, allowed ${spec.min}..${spec.max}`);
      }
      tlvs ??= {};
      if (tlvs[spec.name] !== undefined)
        return failAt(S.ESME_RINVOPTPARSTREAM, `TLV ${spec.name} appears twice`);
      const value = readTlvValue(buf, off, len, spec);
      if (value === undefined)
        return failAt(S.ESME_RINVOPTPARAMVAL, `TLV ${spec.name} is not a valid C-string`);
      tlvs[spec.name] = value;
    }
    off += len;
  }
  if (unknown !== undefined) {
    tlvs ??= {};
    tlvs.unknown = unknown;
  }
  outTlvs = tlvs;
  return off;
}

type PduFactory = (command: string, commandStatus: number, sequenceNumber: number, empty: Buffer) => Loose;

/**
 * Per command, a function returning the PDU object with every field already present (defaults:
 * 0, '', an empty Buffer, []). The readers then only overwrite existing properties: V8 keeps one
 * stable shape per command instead of growing the object field by field, which made decoding about
 * four times slower. The source is generated once from the command table at load time.
 */
function compileFactory(spec: CommandSpec): PduFactory {
  const props = ['command', 'commandStatus', 'sequenceNumber'];
  for (const f of spec.fields) {
    if (!/^[a-zA-Z]+$/.test(f.name)) throw new Error(`bad field name ${f.name}`);
    const value =
      f.kind === FieldKind.int1
        ? '0'
        : f.kind === FieldKind.cstring || f.kind === FieldKind.time
          ? "''"
          : f.kind === FieldKind.shortMessage
            ? 'empty'
            : '[]';
    props.push(`${f.name}: ${value}`);
  }
  return new Function(
    'command',
    'commandStatus',
    'sequenceNumber',
    'empty',
    `return { ${props.join(', ')} };`,
  ) as PduFactory;
}

const factories = new Map<CommandSpec, PduFactory>();
for (const spec of Object.values(commands) as CommandSpec[]) factories.set(spec, compileFactory(spec));

function decodeBody(buf: FastBuffer, end: number, spec: CommandSpec, pdu: Loose): number {
  let off = readFields(buf, HEADER, end, spec.fields, pdu);
  if (off < 0) return off;
  if (off < end) {
    if (!spec.tlvs)
      return failAt(S.ESME_RINVCMDLEN, `${spec.name} has ${end - off} octets of unexpected body`);
    off = readTlvs(buf, off, end);
    if (off < 0) return off;
    if (outTlvs !== undefined) pdu.tlvs = outTlvs;
  }
  return off;
}

/** Internal: decodes a whole frame, returning the error instead of throwing it. */
export function decodeFrame(frame: Buffer): Pdu | SmppDecodeError {
  const buf = frame as FastBuffer;
  const size = buf.length;
  if (size < HEADER) {
    return new SmppDecodeError(
      `frame of ${size} octets is shorter than the header`,
      S.ESME_RINVCMDLEN,
      0,
      0,
      true,
    );
  }
  const length = buf.readUInt32BE(0);
  const commandId = buf.readUInt32BE(4);
  const commandStatus = buf.readUInt32BE(8);
  const sequenceNumber = buf.readUInt32BE(12);
  if (length !== size) {
    // §3.2: command_length covers the whole PDU; a mismatch means the stream is out of step.
    return new SmppDecodeError(
      `command_length ${length} but the frame has ${size} octets`,
      S.ESME_RINVCMDLEN,
      commandId,
      sequenceNumber,
      true,
    );
  }
  const spec = commandSpecById(commandId);
  if (spec === undefined) {
    return new SmppDecodeError(
      `unknown command_id 0x${commandId.toString(16).padStart(8, '0')}`,
      S.ESME_RINVCMDID,
      commandId,
      sequenceNumber,
      false,
    );
  }
  const factory = factories.get(spec)!;
  const pdu = factory(spec.name, commandStatus, sequenceNumber, EMPTY);
  outTlvs = undefined;
  if (commandStatus !== 0 && isResponse(commandId)) {
    // §4.4.2 and siblings: an error response normally has no body; when a peer sends one anyway we
    // keep what parses and otherwise fall back to empty fields rather than reject the response.
    if (size === HEADER || decodeBody(buf, size, spec, pdu) >= 0) return pdu as unknown as Pdu;
    return factory(spec.name, commandStatus, sequenceNumber, EMPTY) as unknown as Pdu;
  }
  if (decodeBody(buf, size, spec, pdu) < 0) {
    return new SmppDecodeError(`${spec.name}: ${failMessage}`, failStatus, commandId, sequenceNumber, false);
  }
  return pdu as unknown as Pdu;
}

/**
 * Decodes exactly one whole PDU (header included). Throws SmppDecodeError carrying the
 * command_status the peer should get, the command_id and sequence_number when readable, and
 * `fatal` when command_length is wrong. Octet-string fields (shortMessage, messagePayload...) are
 * views into `frame`, not copies.
 */
export function decodePdu(frame: Buffer): Pdu {
  const result = decodeFrame(frame);
  if (result instanceof SmppDecodeError) throw result;
  return result;
}
