/** Builds whole PDUs from partial fields, filling every mandatory field with its empty value. */
import { type CommandName, responseCommand } from '../command-ids.ts';
import { type CommandSpec, commands, FieldKind } from '../commands.ts';
import type { Pdu, PduOf } from '../types.ts';

/** What callers give: the command, and any subset of its fields (the rest default to 0 / '' / empty). */
export type PduInput<N extends CommandName> = { command: N } & Partial<Omit<PduOf<N>, 'command'>>;

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

/** A complete PDU of `input.command`: given fields win, the header defaults to status 0, sequence 0. */
export function buildPdu<N extends CommandName>(input: PduInput<N>): PduOf<N> {
  const spec: CommandSpec = commands[input.command];
  const pdu: Record<string, unknown> = { command: input.command, commandStatus: 0, sequenceNumber: 0 };
  for (const field of spec.fields) pdu[field.name] = emptyValue(field.kind);
  for (const [key, value] of Object.entries(input)) if (value !== undefined) pdu[key] = value;
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
