/** Builds whole PDUs from partial fields, filling every mandatory field with its empty value. */
import { type CommandName, responseCommand } from '../command-ids.ts';
import { type CommandSpec, commands, FieldKind } from '../commands.ts';
import type { Pdu, PduOf } from '../types.ts';

/** What callers give: the command, and any subset of its fields (the rest default to 0 / '' / empty). */
export type PduInput<N extends CommandName> = { command: N } & Partial<Omit<PduOf<N>, 'command'>>;

/** Fields whose empty value is a list: each PDU gets its own (a caller may push to it). */
const LIST_KINDS: ReadonlySet<FieldKind> = new Set([FieldKind.destAddresses, FieldKind.unsuccessSmes]);
const EMPTY_SHORT_MESSAGE = Buffer.alloc(0);

function emptyValue(kind: FieldKind): unknown {
  switch (kind) {
    case FieldKind.int1:
      return 0;
    case FieldKind.cstring:
    case FieldKind.time:
      return '';
    case FieldKind.shortMessage:
      // Zero octets: nothing to write into, so one buffer serves every PDU.
      return EMPTY_SHORT_MESSAGE;
    default:
      return [];
  }
}

type Template = { base: Record<string, unknown>; lists: readonly string[] };

/**
 * Per command, its header and every mandatory field at its empty value, built once: a PDU is a
 * copy of it (one shape per command) instead of a field-by-field build on every send.
 */
const templates = new Map<CommandName, Template>();

function templateOf(command: CommandName): Template {
  let t = templates.get(command);
  if (!t) {
    const spec: CommandSpec = commands[command];
    const base: Record<string, unknown> = { command, commandStatus: 0, sequenceNumber: 0 };
    const lists: string[] = [];
    for (const field of spec.fields) {
      base[field.name] = emptyValue(field.kind);
      if (LIST_KINDS.has(field.kind)) lists.push(field.name);
    }
    t = { base, lists };
    templates.set(command, t);
  }
  return t;
}

/** A complete PDU of `input.command`: given fields win, the header defaults to status 0, sequence 0. */
export function buildPdu<N extends CommandName>(input: PduInput<N>): PduOf<N> {
  const { base, lists } = templateOf(input.command);
  const pdu: Record<string, unknown> = { ...base };
  for (const name of lists) pdu[name] = [];
  const given = input as Record<string, unknown>;
  for (const key in given) {
    const value = given[key];
    if (value !== undefined) pdu[key] = value;
  }
  return pdu as PduOf<N>;
}

/**
 * The response to `request` (same sequence number, §5.1.4), or generic_nack for a request that
 * has no response of its own (outbind, alert_notification, §4.3).
 */
export function buildResponse(request: Pdu, fields: Record<string, unknown> = {}): Pdu {
  const name = responseCommand(request.command) ?? 'generic_nack';
  return buildPdu({
    ...fields,
    command: name,
    sequenceNumber: request.sequenceNumber,
  } as PduInput<CommandName>) as Pdu;
}
