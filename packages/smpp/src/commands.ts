/**
 * The declarative table of SMPP 3.4 commands (§4) and their mandatory fields, in wire order.
 * encode.ts and decode.ts both walk this table; types.ts derives the PDU types from it.
 */
import {
  CommandId,
  type CommandName,
  type RequestName,
  type ResponseNameOf,
  responseCommand,
} from './command-ids.ts';
import { CommandStatus } from './command-status.ts';
import type { PduOf } from './types.ts';

/** How a mandatory field is laid out on the wire. */
export const FieldKind = {
  int1: 1,
  /** C-Octet String (§3.1) bounded by `max` octets, NUL included. */
  cstring: 2,
  /** Absolute or relative time (§7.1): a C-Octet String of exactly 1 or 17 octets. */
  time: 3,
  /** sm_length (1 octet) then short_message (sm_length octets, 0-254, §5.2.21-22). */
  shortMessage: 4,
  /** number_of_dests then that many dest_address entries (§4.5.1.1). */
  destAddresses: 5,
  /** no_unsuccess then that many unsuccess_sme entries (§4.5.2). */
  unsuccessSmes: 6,
} as const;
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];

export type FieldSpec = {
  readonly name: string;
  readonly kind: FieldKind;
  /** Maximum octets for C-strings, NUL included (§5.2). */
  readonly max: number;
  /** The command_status a peer gets when this field is malformed. */
  readonly status: number;
};

export type CommandSpec = {
  readonly name: CommandName;
  readonly id: number;
  readonly fields: readonly FieldSpec[];
  /** False for commands with no body at all (§4): trailing octets are an invalid command_length. */
  readonly tlvs: boolean;
};

const S = CommandStatus;
const K = FieldKind;

function int1<const N extends string>(name: N) {
  return { name, kind: K.int1, max: 1, status: S.ESME_RINVMSGLEN } as const;
}
function cstr<const N extends string>(name: N, max: number, status: number = S.ESME_RINVMSGLEN) {
  return { name, kind: K.cstring, max, status } as const;
}
function time<const N extends string>(name: N, status: number) {
  return { name, kind: K.time, max: 17, status } as const;
}
const shortMessage = {
  name: 'shortMessage',
  kind: K.shortMessage,
  max: 254,
  status: S.ESME_RINVMSGLEN,
} as const;

// Field sets shared by several commands, each cited at its first use.
const serviceType = cstr('serviceType', 6, S.ESME_RINVSERTYP); // §5.2.11
const source21 = [
  int1('sourceAddrTon'), // §5.2.5
  int1('sourceAddrNpi'), // §5.2.6
  cstr('sourceAddr', 21, S.ESME_RINVSRCADR), // §5.2.8
] as const;
const dest21 = [
  int1('destAddrTon'),
  int1('destAddrNpi'),
  cstr('destinationAddr', 21, S.ESME_RINVDSTADR),
] as const;
const messageId = cstr('messageId', 65, S.ESME_RINVMSGID); // §5.2.23
const scheduleDeliveryTime = time('scheduleDeliveryTime', S.ESME_RINVSCHED); // §5.2.15
const validityPeriod = time('validityPeriod', S.ESME_RINVEXPIRY); // §5.2.16
const bindFields = [
  cstr('systemId', 16, S.ESME_RINVSYSID), // §5.2.1
  cstr('password', 9, S.ESME_RINVPASWD), // §5.2.2
  cstr('systemType', 13, S.ESME_RINVSYSTYP), // §5.2.3
  int1('interfaceVersion'), // §5.2.4
  int1('addrTon'),
  int1('addrNpi'),
  cstr('addressRange', 41), // §5.2.7
] as const;
const bindRespFields = [cstr('systemId', 16, S.ESME_RINVSYSID)] as const;
// §4.4.1 submit_sm and §4.6.1 deliver_sm share their layout.
const smFields = [
  serviceType,
  ...source21,
  ...dest21,
  int1('esmClass'), // §5.2.12
  int1('protocolId'), // §5.2.13
  int1('priorityFlag'), // §5.2.14
  scheduleDeliveryTime,
  validityPeriod,
  int1('registeredDelivery'), // §5.2.17
  int1('replaceIfPresentFlag'), // §5.2.18
  int1('dataCoding'), // §5.2.19
  int1('smDefaultMsgId'), // §5.2.20
  shortMessage,
] as const;

function cmd<const N extends CommandName, const F extends readonly FieldSpec[]>(
  name: N,
  fields: F,
  tlvs = true,
): { name: N; id: number; fields: F; tlvs: boolean } {
  return { name, id: CommandId[name], fields, tlvs };
}

const none = [] as const;

/** Every SMPP 3.4 command, keyed by name. */
export const commands = {
  bind_transmitter: cmd('bind_transmitter', bindFields), // §4.1.1
  bind_transmitter_resp: cmd('bind_transmitter_resp', bindRespFields), // §4.1.2
  bind_receiver: cmd('bind_receiver', bindFields), // §4.1.3
  bind_receiver_resp: cmd('bind_receiver_resp', bindRespFields), // §4.1.4
  bind_transceiver: cmd('bind_transceiver', bindFields), // §4.1.5
  bind_transceiver_resp: cmd('bind_transceiver_resp', bindRespFields), // §4.1.6
  outbind: cmd('outbind', [cstr('systemId', 16, S.ESME_RINVSYSID), cstr('password', 9, S.ESME_RINVPASWD)]), // §4.1.7
  unbind: cmd('unbind', none, false), // §4.2.1
  unbind_resp: cmd('unbind_resp', none, false), // §4.2.2
  generic_nack: cmd('generic_nack', none, false), // §4.3.1
  submit_sm: cmd('submit_sm', smFields), // §4.4.1
  submit_sm_resp: cmd('submit_sm_resp', [messageId]), // §4.4.2
  // §4.5.1
  submit_multi: cmd('submit_multi', [
    serviceType,
    ...source21,
    { name: 'destAddresses', kind: K.destAddresses, max: 254, status: S.ESME_RINVNUMDESTS },
    int1('esmClass'),
    int1('protocolId'),
    int1('priorityFlag'),
    scheduleDeliveryTime,
    validityPeriod,
    int1('registeredDelivery'),
    int1('replaceIfPresentFlag'),
    int1('dataCoding'),
    int1('smDefaultMsgId'),
    shortMessage,
  ]),
  // §4.5.2
  submit_multi_resp: cmd('submit_multi_resp', [
    messageId,
    { name: 'unsuccessSmes', kind: K.unsuccessSmes, max: 254, status: S.ESME_RINVMSGLEN },
  ]),
  deliver_sm: cmd('deliver_sm', smFields), // §4.6.1
  deliver_sm_resp: cmd('deliver_sm_resp', [messageId]), // §4.6.2
  // §4.7.1: data_sm addresses are up to 65 octets, unlike submit_sm's 21.
  data_sm: cmd('data_sm', [
    serviceType,
    int1('sourceAddrTon'),
    int1('sourceAddrNpi'),
    cstr('sourceAddr', 65, S.ESME_RINVSRCADR),
    int1('destAddrTon'),
    int1('destAddrNpi'),
    cstr('destinationAddr', 65, S.ESME_RINVDSTADR),
    int1('esmClass'),
    int1('registeredDelivery'),
    int1('dataCoding'),
  ]),
  data_sm_resp: cmd('data_sm_resp', [messageId]), // §4.7.2
  query_sm: cmd('query_sm', [messageId, ...source21]), // §4.8.1
  // §4.8.2
  query_sm_resp: cmd('query_sm_resp', [
    messageId,
    time('finalDate', S.ESME_RINVMSGLEN), // time format of §7.1
    int1('messageState'), // §5.2.28
    int1('errorCode'), // network-specific, §4.8.2
  ]),
  cancel_sm: cmd('cancel_sm', [serviceType, messageId, ...source21, ...dest21]), // §4.9.1
  cancel_sm_resp: cmd('cancel_sm_resp', none, false), // §4.9.2
  // §4.10.1
  replace_sm: cmd('replace_sm', [
    messageId,
    ...source21,
    scheduleDeliveryTime,
    validityPeriod,
    int1('registeredDelivery'),
    int1('smDefaultMsgId'),
    shortMessage,
  ]),
  replace_sm_resp: cmd('replace_sm_resp', none, false), // §4.10.2
  enquire_link: cmd('enquire_link', none, false), // §4.11.1
  enquire_link_resp: cmd('enquire_link_resp', none, false), // §4.11.2
  // §4.12.1
  alert_notification: cmd('alert_notification', [
    int1('sourceAddrTon'),
    int1('sourceAddrNpi'),
    cstr('sourceAddr', 65, S.ESME_RINVSRCADR),
    int1('esmeAddrTon'),
    int1('esmeAddrNpi'),
    cstr('esmeAddr', 65, S.ESME_RINVDSTADR),
  ]),
} as const satisfies { [K in CommandName]: CommandSpec & { name: K } };

export type Commands = typeof commands;

/** Dense-ish lookup by command_id; responses have bit 31 set, so two maps. */
const requestsById: (CommandSpec | undefined)[] = new Array(0x104).fill(undefined);
const responsesById: (CommandSpec | undefined)[] = new Array(0x104).fill(undefined);
for (const spec of Object.values(commands) as CommandSpec[]) {
  if (spec.id & 0x80000000) responsesById[spec.id & 0x7fffffff] = spec;
  else requestsById[spec.id] = spec;
}

/** The command spec of a command_id, or undefined when SMPP 3.4 does not define it. */
export function commandSpecById(commandId: number): CommandSpec | undefined {
  const low = commandId & 0x7fffffff;
  if (low >= 0x104) return undefined;
  return commandId & 0x80000000 ? responsesById[low] : requestsById[low];
}

function emptyValue(kind: FieldKind): unknown {
  switch (kind) {
    case FieldKind.int1:
      return 0;
    case FieldKind.cstring:
    case FieldKind.time:
      return '';
    case FieldKind.shortMessage:
      return Buffer.alloc(0);
    default:
      return [];
  }
}

/**
 * A PDU of `command` with every mandatory field at its empty value (0, '', an empty Buffer, []),
 * then `fields` on top. Handy for building requests and responses without listing every field.
 */
export function createPdu<N extends CommandName>(
  command: N,
  fields: Partial<Omit<PduOf<N>, 'command'>> = {},
): PduOf<N> {
  const spec = commands[command] as CommandSpec;
  const pdu: Record<string, unknown> = { command, commandStatus: 0, sequenceNumber: 0 };
  for (const f of spec.fields) pdu[f.name] = emptyValue(f.kind);
  return Object.assign(pdu, fields, { command }) as PduOf<N>;
}

/**
 * The response to a request, with its sequence_number (§5.1.4: copied from the request) and
 * command_status ESME_ROK unless `fields` says otherwise.
 */
export function createResponse<R extends RequestName>(
  request: { command: R; sequenceNumber: number },
  fields: Partial<Omit<PduOf<ResponseNameOf<R>>, 'command' | 'sequenceNumber'>> = {},
): PduOf<ResponseNameOf<R>> {
  const name = responseCommand(request.command);
  return createPdu(name, { ...fields, sequenceNumber: request.sequenceNumber } as never);
}

/**
 * The generic_nack for a PDU that could not be decoded (§4.3): its command_status, and the
 * sequence number when the header was readable (0 otherwise).
 */
export function createGenericNack(error: {
  commandStatus: number;
  sequenceNumber: number;
}): PduOf<'generic_nack'> {
  return {
    command: 'generic_nack',
    commandStatus: error.commandStatus,
    sequenceNumber: error.sequenceNumber,
  };
}
