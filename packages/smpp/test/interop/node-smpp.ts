/**
 * node-smpp 0.5.1 (npm `smpp`, CommonJS, untyped) with just the types the interop tests use.
 * Its PDUs use snake_case field names; short_message decodes to `{ message, udh? }`.
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type net from 'node:net';

export interface NsPdu {
  command: string;
  command_status: number;
  sequence_number: number;
  system_id?: string;
  password?: string;
  message_id?: string;
  source_addr?: string;
  destination_addr?: string;
  data_coding?: number;
  esm_class?: number;
  short_message?: { message: string | Buffer; udh?: Buffer[] };
  response(fields?: Record<string, unknown>): NsPdu;
}

type Callback = (pdu: NsPdu) => void;

export interface NsSession extends EventEmitter {
  socket: net.Socket;
  send(pdu: NsPdu, callback?: Callback): boolean;
  close(callback?: () => void): void;
  destroy(callback?: () => void): void;
  bind_transceiver(fields: Record<string, unknown>, callback: Callback): boolean;
  bind_transmitter(fields: Record<string, unknown>, callback: Callback): boolean;
  bind_receiver(fields: Record<string, unknown>, callback: Callback): boolean;
  submit_sm(fields: Record<string, unknown>, callback: Callback): boolean;
  deliver_sm(fields: Record<string, unknown>, callback: Callback): boolean;
  unbind(callback: Callback): boolean;
}

export type NsServer = net.Server;

interface NodeSmpp {
  createServer(listener: (session: NsSession) => void): NsServer;
  connect(options: { host: string; port: number }): NsSession;
}

export const nodeSmpp = createRequire(import.meta.url)('smpp') as NodeSmpp;

/** Calls a node-smpp request method and resolves with its response PDU. */
export function nsCall(
  session: NsSession,
  method: 'bind_transceiver' | 'bind_transmitter' | 'bind_receiver' | 'submit_sm' | 'deliver_sm',
  fields: Record<string, unknown>,
): Promise<NsPdu> {
  return new Promise((resolve, reject) => {
    if (!session[method](fields, resolve)) reject(new Error(`node-smpp could not send ${method}`));
  });
}

/** The concatenation element of a node-smpp decoded short_message: [iei, len, ref, total, seq]. */
export function nsConcat(pdu: NsPdu): { reference: number; total: number; sequence: number } | undefined {
  const element = pdu.short_message?.udh?.find((e) => e[0] === 0x00);
  if (!element) return undefined;
  return { reference: element[2]!, total: element[3]!, sequence: element[4]! };
}
