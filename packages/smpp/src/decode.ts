/**
 * decodePdu: reads one whole frame as the command table describes it. Failures are plain return
 * values inside (no try/catch on the hot path); the exported function throws them, the framer
 * hands them on as items.
 */
import { isResponse } from './command-ids.ts';
import { CommandStatus } from './command-status.ts';
import { type CommandSpec, commandSpecById, commands, FieldKind } from './commands.ts';
import { SmppDecodeError } from './errors.ts';
import { TlvKind, type TlvSpec, tlvByTag, type UnknownTlv } from './tlvs.ts';
import type { DestAddress, Pdu, UnsuccessSme } from './types.ts';

type Loose = Record<string, unknown>;
/** Node's Buffer has this undocumented fast path; SMPP C-strings are ASCII, so latin1 is exact. */
type FastBuffer = Buffer & { latin1Slice(start: number, end: number): string };

const S = CommandStatus;
const HEADER = 16;
const EMPTY = Buffer.alloc(0);

/**
 * Shared state of the current decode (decoding is synchronous and not re-entrant): readers return
 * the next offset, or -1 after recording why in `failStatus`/`failMessage`, and leave the value
 * they read in `value`, so no result tuple is allocated per field.
 */
const st = { value: undefined as unknown, off: 0, failStatus: 0, failMessage: '' };

function failAt(status: number, message: string): number {
  st.failStatus = status;
  st.failMessage = message;
  return -1;
}

function truncated(field: string): number {
  return failAt(S.ESME_RINVCMDLEN, `body ends inside mandatory field ${field}`);
}

/** A C-Octet String of at most `max` octets, NUL included (§3.1, §5.2). */
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
  st.value = nul === off ? '' : buf.latin1Slice(off, nul);
  return nul + 1;
}

/** §7.1: a time is absent (NUL only) or exactly 16 characters. */
function readTime(buf: FastBuffer, off: number, end: number, status: number, field: string): number {
  const next = readCstring(buf, off, end, 17, status, field);
  if (next < 0 || next - off === 1 || next - off === 17) return next;
  return failAt(status, `${field} must be 0 or 16 characters`);
}

/** §5.2.21-22: sm_length is 0-254 and must match the octets that follow. */
function readShortMessage(buf: FastBuffer, off: number, end: number): number {
  if (off >= end) return truncated('smLength');
  const len = buf[off++]!;
  if (len > 254) return failAt(S.ESME_RINVMSGLEN, `sm_length ${len} exceeds 254`);
  if (off + len > end) return failAt(S.ESME_RINVMSGLEN, `sm_length ${len} runs past the body`);
  st.value = len === 0 ? EMPTY : buf.subarray(off, off + len);
  return off + len;
}

/** §4.5.1.1: number_of_dests, then each a dest_flag and an SME address or a distribution list. */
function readDestAddresses(buf: FastBuffer, off: number, end: number): number {
  if (off >= end) return truncated('numberOfDests');
  const count = buf[off++]!;
  if (count > 254) return failAt(S.ESME_RINVNUMDESTS, `number_of_dests ${count} exceeds 254`);
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
      list.push({ destFlag: 1, destAddrTon, destAddrNpi, destinationAddr: st.value as string });
    } else if (flag === 2) {
      off = readCstring(buf, off, end, 21, S.ESME_RINVDLNAME, 'dlName');
      if (off < 0) return off;
      list.push({ destFlag: 2, dlName: st.value as string });
    } else {
      return failAt(S.ESME_RINVDESTFLAG, `dest_flag ${flag} is neither 1 nor 2`);
    }
  }
  st.value = list;
  return off;
}

/** §4.5.2.1: no_unsuccess, then each an address and the error_status_code it got. */
function readUnsuccessSmes(buf: FastBuffer, off: number, end: number): number {
  if (off >= end) return truncated('noUnsuccess');
  const count = buf[off++]!;
  if (count > 254) return failAt(S.ESME_RINVMSGLEN, `no_unsuccess ${count} exceeds 254`);
  const list: UnsuccessSme[] = [];
  for (let i = 0; i < count; i++) {
    if (off + 2 > end) return truncated('destAddrTon');
    const destAddrTon = buf[off]!;
    const destAddrNpi = buf[off + 1]!;
    off = readCstring(buf, off + 2, end, 21, S.ESME_RINVDSTADR, 'destinationAddr');
    if (off < 0) return off;
    if (off + 4 > end) return truncated('errorStatusCode');
    const destinationAddr = st.value as string;
    list.push({ destAddrTon, destAddrNpi, destinationAddr, errorStatusCode: buf.readUInt32BE(off) });
    off += 4;
  }
  st.value = list;
  return off;
}

type FieldReader = (
  buf: FastBuffer,
  end: number,
  command: string,
  commandStatus: number,
  sequenceNumber: number,
) => Loose | null;

const readerHelpers = {
  st,
  truncated,
  readCstring,
  readTime,
  readShortMessage,
  readDestAddresses,
  readUnsuccessSmes,
};

/**
 * Compiles, from the command table, one reader per command: straight-line code that reads each
 * field in order and returns the PDU as a single object literal. V8 then gives every command one
 * stable object shape and monomorphic property stores; the interpreted loop it replaces, growing
 * the object field by field, decoded about three times slower. Returns null on failure (see st),
 * else the PDU, with st.off where the mandatory fields end.
 */
function compileReader(spec: CommandSpec): FieldReader {
  const lines: string[] = [];
  const props = ['command', 'commandStatus', 'sequenceNumber'];
  spec.fields.forEach((f, i) => {
    if (!/^[a-zA-Z]+$/.test(f.name)) throw new Error(`bad field name ${f.name}`);
    const name = JSON.stringify(f.name);
    const v = `v${i}`;
    switch (f.kind) {
      case FieldKind.int1:
        lines.push(`if (off >= end) { truncated(${name}); return null; }`, `const ${v} = buf[off++];`);
        break;
      case FieldKind.cstring:
        lines.push(`off = readCstring(buf, off, end, ${f.max}, ${f.status}, ${name});`);
        break;
      case FieldKind.time:
        lines.push(`off = readTime(buf, off, end, ${f.status}, ${name});`);
        break;
      case FieldKind.shortMessage:
        lines.push('off = readShortMessage(buf, off, end);');
        break;
      case FieldKind.destAddresses:
        lines.push('off = readDestAddresses(buf, off, end);');
        break;
      case FieldKind.unsuccessSmes:
        lines.push('off = readUnsuccessSmes(buf, off, end);');
        break;
    }
    if (f.kind !== FieldKind.int1) lines.push('if (off < 0) return null;', `const ${v} = st.value;`);
    props.push(`${f.name}: ${v}`);
  });
  const source = [
    `const { ${Object.keys(readerHelpers).join(', ')} } = h;`,
    'return function read(buf, end, command, commandStatus, sequenceNumber) {',
    `  let off = ${HEADER};`,
    ...lines.map((l) => `  ${l}`),
    '  st.off = off;',
    `  return { ${props.join(', ')} };`,
    '};',
    `//# sourceURL=smpp-decode-${spec.name}.js`,
  ].join('\n');
  return new Function('h', source)(readerHelpers) as FieldReader;
}

/** A PDU with every mandatory field empty: what an error response without a body decodes to. */
function emptyPdu(spec: CommandSpec, commandStatus: number, sequenceNumber: number): Loose {
  const pdu: Loose = { command: spec.name, commandStatus, sequenceNumber };
  for (const f of spec.fields) {
    pdu[f.name] =
      f.kind === FieldKind.int1
        ? 0
        : f.kind === FieldKind.cstring || f.kind === FieldKind.time
          ? ''
          : f.kind === FieldKind.shortMessage
            ? EMPTY
            : [];
  }
  return pdu;
}

const readers = new Map<CommandSpec, FieldReader>();
for (const spec of Object.values(commands) as CommandSpec[]) readers.set(spec, compileReader(spec));

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
      return len === 0 ? true : buf[off];
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

/** Reads the TLV stream (§5.3.1: tag, length, value) from off to end into st.value (undefined if empty). */
function readTlvs(buf: FastBuffer, off: number, end: number): number {
  let tlvs: Loose | undefined;
  let unknown: UnknownTlv[] | undefined;
  let unknownPositions: number[] | undefined;
  let count = 0; // TLVs read so far
  let lastKnown = -1; // position of the last known TLV
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
      // Unknown tags are kept byte-exactly: SMPP 3.4 asks receivers to ignore, not reject, them.
      unknown ??= [];
      unknownPositions ??= [];
      unknown.push({ tag, value: buf.subarray(off, off + len) });
      unknownPositions.push(count);
    } else {
      lastKnown = count;
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
    count++;
  }
  if (unknown !== undefined) {
    // Positions matter only for unknown TLVs that known ones follow; the rest simply go last.
    for (let i = 0; i < unknown.length; i++) {
      if (unknownPositions![i]! < lastKnown) unknown[i]!.position = unknownPositions![i]!;
    }
    tlvs ??= {};
    tlvs.unknown = unknown;
  }
  st.value = tlvs;
  return off;
}

/** The PDU of a frame whose header is valid, or null with the reason in st. */
function decodeBody(
  buf: FastBuffer,
  size: number,
  spec: CommandSpec,
  status: number,
  seq: number,
): Loose | null {
  const pdu = readers.get(spec)!(buf, size, spec.name, status, seq);
  if (pdu === null) return null;
  const off = st.off;
  if (off < size) {
    if (!spec.tlvs) {
      failAt(S.ESME_RINVCMDLEN, `${spec.name} has ${size - off} octets of unexpected body`);
      return null;
    }
    if (readTlvs(buf, off, size) < 0) return null;
    if (st.value !== undefined) pdu.tlvs = st.value;
  }
  return pdu;
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
    const message = `command_length ${length} but the frame has ${size} octets`;
    return new SmppDecodeError(message, S.ESME_RINVCMDLEN, commandId, sequenceNumber, true);
  }
  const spec = commandSpecById(commandId);
  if (spec === undefined) {
    const message = `unknown command_id 0x${commandId.toString(16).padStart(8, '0')}`;
    return new SmppDecodeError(message, S.ESME_RINVCMDID, commandId, sequenceNumber, false);
  }
  if (commandStatus !== 0 && isResponse(commandId)) {
    // §4.4.2 and siblings: an error response normally has no body; when a peer sends one anyway we
    // keep what parses and otherwise fall back to empty fields rather than reject the response.
    const pdu = size === HEADER ? null : decodeBody(buf, size, spec, commandStatus, sequenceNumber);
    return (pdu ?? emptyPdu(spec, commandStatus, sequenceNumber)) as unknown as Pdu;
  }
  const pdu = decodeBody(buf, size, spec, commandStatus, sequenceNumber);
  if (pdu === null) {
    return new SmppDecodeError(
      `${spec.name}: ${st.failMessage}`,
      st.failStatus,
      commandId,
      sequenceNumber,
      false,
    );
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
