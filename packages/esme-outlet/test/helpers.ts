import { EventEmitter } from 'node:events';
import type { SessionRegistry, SessionRegistryEvents } from '@smsc/inserter';
import {
  type BindCommand,
  connectSmpp,
  createDuplexPair,
  listenSmpp,
  type PduOf,
  type SmppServer,
  SmppSession,
} from '@smsc/smpp';
import { type QueueInput, type SmsRecord, SmsState } from '@smsc/store';
import { Binary } from 'mongodb';

/** A registry the tests drive by hand, with the inserter's semantics (receiving binds by account). */
export class TestRegistry extends EventEmitter<SessionRegistryEvents> implements SessionRegistry {
  readonly #by = new Map<string, SmppSession[]>();

  add(accountId: string, session: SmppSession): void {
    const list = [...(this.#by.get(accountId) ?? []), session];
    this.#by.set(accountId, list);
    this.emit('receiverOpened', { accountId, session, count: list.length });
  }

  remove(accountId: string, session: SmppSession): void {
    const before = this.#by.get(accountId) ?? [];
    if (!before.includes(session)) return;
    const list = before.filter((s) => s !== session);
    if (list.length > 0) this.#by.set(accountId, list);
    else this.#by.delete(accountId);
    this.emit('receiverClosed', { accountId, session, count: list.length });
  }

  receivers(accountId: string): SmppSession[] {
    return [...(this.#by.get(accountId) ?? [])];
  }

  receivingAccounts(): string[] {
    return [...this.#by.keys()];
  }
}

/** An SMSC-side listener on 127.0.0.1:0 that accepts every bind and registers receiving ones. */
export async function testServer(registry: TestRegistry): Promise<SmppServer> {
  return listenSmpp({ port: 0, enquireLinkIntervalMs: 0 }, (session) => {
    session.on('bind', (request) => request.accept());
    session.on('bound', (info) => {
      if (info.command === 'bind_transmitter') return;
      registry.add(info.systemId, session);
      const gone = () => registry.remove(info.systemId, session);
      session.once('unbinding', gone);
      session.once('close', gone);
    });
  });
}

export type Received = PduOf<'deliver_sm'>[];

/** An ESME bound as receiver (or transceiver) that answers each deliver_sm with `answer(pdu)`. */
export async function testEsme(
  port: number,
  systemId: string,
  answer: (pdu: PduOf<'deliver_sm'>, index: number) => number = () => 0,
  command: BindCommand = 'bind_receiver',
): Promise<{ session: SmppSession; received: Received }> {
  const session = await connectSmpp({
    host: '127.0.0.1',
    port,
    enquireLinkIntervalMs: 0,
    bind: { command, systemId, password: 'pw' },
  });
  const received: Received = [];
  session.on('pdu', (pdu) => {
    if (pdu.command !== 'deliver_sm') return;
    received.push(pdu);
    session.respond(pdu, { commandStatus: answer(pdu, received.length - 1) });
  });
  return { session, received };
}

/** Both ends of an in-memory SMPP session, the ESME end bound as receiver. */
export async function boundPair(
  systemId = 'sink',
): Promise<{ smsc: SmppSession; esme: SmppSession; close(): Promise<void> }> {
  const [a, b] = createDuplexPair();
  const smsc = new SmppSession(a, { role: 'smsc', enquireLinkIntervalMs: 0 });
  const esme = new SmppSession(b, { role: 'esme', enquireLinkIntervalMs: 0 });
  smsc.on('bind', (request) => request.accept());
  await esme.bind('bind_receiver', { systemId, password: 'pw' });
  return {
    smsc,
    esme,
    async close() {
      await Promise.all([esme.close(), smsc.close()]);
    },
  };
}

let seq = 0;

/** A stored record as a worker would hand it over (no database needed). */
export function record(overrides: Partial<SmsRecord> = {}, text = 'hello'): SmsRecord {
  const at = new Date('2026-01-01T00:00:00Z');
  seq += 1;
  return {
    _id: `m${String(seq).padStart(9, '0')}`,
    kind: 'message',
    state: SmsState.delivering,
    arrivedAt: at,
    updatedAt: at,
    destMsisdn: '46700000001',
    priority: 0,
    receipt: 'none',
    expiresAt: new Date(at.getTime() + 3600_000),
    nextAttemptAt: at,
    attempts: 0,
    lock: null,
    rev: 0,
    payload: {
      command: 'submit_sm',
      serviceType: '',
      source: { ton: 5, npi: 0, addr: 'ACME' },
      destination: { ton: 1, npi: 1, addr: '46700000001' },
      esmClass: 0,
      protocolId: 0,
      priorityFlag: 0,
      registeredDelivery: 1,
      replaceIfPresent: 0,
      dataCoding: 0,
      smDefaultMsgId: 0,
      shortMessage: new Binary(Buffer.from(text)),
      tlvs: [],
    },
    target: 'esme:sink',
    accountId: 'acme',
    history: [],
    ...overrides,
  };
}

/** Queue input for a message from `acme` to `dest`, routed to the `sink` account. */
export function submit(dest: string, text: string, overrides: Partial<QueueInput> = {}): QueueInput {
  return {
    payload: {
      source: { ton: 1, npi: 1, addr: '4915100000001' },
      destination: { ton: 1, npi: 1, addr: dest },
      registeredDelivery: 1,
      shortMessage: Buffer.from(text),
    },
    target: 'esme:sink',
    accountId: 'acme',
    ...overrides,
  };
}

/** Polls `check` until it holds, every 10 ms, at most `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
