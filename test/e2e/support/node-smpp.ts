/**
 * node-smpp 0.5.1 (npm `smpp`, CommonJS, untyped): an SMPP client nobody on this project wrote, with
 * just the types the e2e suites use. Its PDUs use snake_case field names; it decodes short_message to
 * `{ message, udh? }` with its own GSM 03.38 and UCS2 coders, which is what makes it a useful oracle.
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type net from 'node:net';

export interface NsPdu {
  command: string;
  command_status: number;
  sequence_number: number;
  message_id?: string;
  source_addr?: string;
  destination_addr?: string;
  data_coding?: number;
  esm_class?: number;
  short_message?: { message: string | Buffer; udh?: Buffer[] };
  receipted_message_id?: string;
  message_state?: number;
  final_date?: Date | string | null;
  error_code?: number;
  message_payload?: { message: string | Buffer; udh?: Buffer[] };
  sar_msg_ref_num?: number;
  sar_total_segments?: number;
  sar_segment_seqnum?: number;
  unsuccess_sme?: {
    dest_addr_ton: number;
    dest_addr_npi: number;
    destination_addr: string;
    error_status_code: number;
  }[];
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
  unbind(fields: Record<string, unknown>, callback: Callback): boolean;
  query_sm(fields: Record<string, unknown>, callback: Callback): boolean;
  submit_multi(fields: Record<string, unknown>, callback: Callback): boolean;
  cancel_sm(fields: Record<string, unknown>, callback: Callback): boolean;
  replace_sm(fields: Record<string, unknown>, callback: Callback): boolean;
}

interface NodeSmpp {
  connect(options: { host: string; port: number }): NsSession;
}

type NsCoder = { encode(value: string): Buffer; decode(value: Buffer): string };
interface NodeSmppDefs {
  encodings: { ASCII: NsCoder; UCS2: NsCoder };
}

const require = createRequire(import.meta.url);
export const nodeSmpp = require('smpp') as NodeSmpp;
/** node-smpp's own text coders: ASCII is its GSM 03.38 default alphabet (unpacked, with escapes). */
export const nodeSmppCoders = (require('smpp/lib/defs.js') as NodeSmppDefs).encodings;

type BindCommand = 'bind_transceiver' | 'bind_transmitter' | 'bind_receiver';

/** Calls a node-smpp request method and resolves with its response PDU, or rejects after `timeoutMs`. */
export function nsCall(
  session: NsSession,
  method: BindCommand | 'submit_sm' | 'submit_multi' | 'query_sm' | 'cancel_sm' | 'replace_sm' | 'unbind',
  fields: Record<string, unknown>,
  timeoutMs = 5000,
): Promise<NsPdu> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`node-smpp: no ${method}_resp within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const sent = session[method](fields, (pdu) => {
      clearTimeout(timer);
      resolve(pdu);
    });
    if (!sent) {
      clearTimeout(timer);
      reject(new Error(`node-smpp could not send ${method}`));
    }
  });
}

export type NsEsme = {
  session: NsSession;
  /** Every deliver_sm received, in arrival order (each answered with ESME_ROK). */
  delivered: NsPdu[];
  /** The most deliver_sm this ESME held unanswered at once (the SMSC's window toward it). */
  maxUnanswered(): number;
  /** True once the SMSC sent unbind (answered with unbind_resp, then the socket closed). */
  unboundBySmsc(): boolean;
  /** Unbinds (bounded) and closes the socket; safe to call twice. */
  close(): Promise<void>;
};

export type BindOptions = {
  /**
   * The command_status to answer the `index`-th deliver_sm with (from 0), or null to never answer
   * it (a lost response); default ESME_ROK.
   */
  answer?: (pdu: NsPdu, index: number) => number | null;
  /** Answer each deliver_sm this long after it arrived (a slow ESME); default at once. */
  answerDelayMs?: number;
};

/**
 * Connects node-smpp to 127.0.0.1:`port`, binds, answers every deliver_sm (with ESME_ROK unless
 * `answer` says otherwise) and every enquire_link, and keeps the deliver_sm it got. Rejects if the
 * bind is refused.
 */
export async function bindNodeSmpp(
  port: number,
  command: BindCommand,
  systemId: string,
  password: string,
  options: BindOptions = {},
): Promise<NsEsme> {
  const session = nodeSmpp.connect({ host: '127.0.0.1', port });
  // Errors after the test (ECONNRESET on a closed SMSC) must not crash the worker.
  session.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('node-smpp: no connection within 5 s')), 5000);
    session.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const delivered: NsPdu[] = [];
  let unanswered = 0;
  let maxUnanswered = 0;
  session.on('deliver_sm', (pdu: NsPdu) => {
    const status = options.answer ? options.answer(pdu, delivered.length) : 0;
    delivered.push(pdu);
    if (status === null) return;
    unanswered += 1;
    maxUnanswered = Math.max(maxUnanswered, unanswered);
    const respond = () => {
      unanswered -= 1;
      session.send(pdu.response({ command_status: status }));
    };
    if (options.answerDelayMs) setTimeout(respond, options.answerDelayMs);
    else respond();
  });
  session.on('enquire_link', (pdu: NsPdu) => session.send(pdu.response()));
  let unbound = false;
  // SMPP 3.4 §4.2: the SMSC may unbind (e.g. when it shuts down); answer, then close our side.
  session.on('unbind', (pdu: NsPdu) => {
    unbound = true;
    session.send(pdu.response(), () => session.close());
  });
  const resp = await nsCall(session, command, { system_id: systemId, password });
  if (resp.command_status !== 0) {
    session.destroy();
    throw new Error(`node-smpp ${command} as ${systemId}: command_status ${resp.command_status}`);
  }
  let closing: Promise<void> | undefined;
  return {
    session,
    delivered,
    unboundBySmsc: () => unbound,
    maxUnanswered: () => maxUnanswered,
    close() {
      closing ??= (async () => {
        if (!session.socket.destroyed) await nsCall(session, 'unbind', {}, 2000).catch(() => {});
        session.destroy();
      })();
      return closing;
    },
  };
}
