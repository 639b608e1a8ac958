/**
 * Test helper: the far end of a session, driven by hand: writes PDUs or raw bytes, and reads what
 * the session sends, one PDU at a time.
 */
import type { Duplex } from 'node:stream';
import type { CommandName } from '../../src/command-ids.ts';
import { encodePdu } from '../../src/encode.ts';
import { PduFramer } from '../../src/framer.ts';
import { buildPdu, type PduInput } from '../../src/session/build.ts';
import { createDuplexPair, type DuplexPairOptions } from '../../src/session/duplex-pair.ts';
import type { SessionOptions } from '../../src/session/options.ts';
import { SmppSession } from '../../src/session/session.ts';
import type { Pdu, PduOf } from '../../src/types.ts';

export class RawPeer {
  readonly stream: Duplex;
  private readonly framer = new PduFramer();
  private readonly received: Pdu[] = [];
  private waiter: (() => void) | undefined;
  ended = false;

  constructor(stream: Duplex, read = true) {
    this.stream = stream;
    stream.on('end', () => {
      this.ended = true;
      this.waiter?.();
    });
    stream.on('error', () => {});
    if (read) this.startReading();
  }

  startReading(): void {
    this.stream.on('data', (chunk: Buffer) => {
      for (const item of this.framer.push(chunk)) {
        if (item.type === 'pdu') this.received.push(item.pdu);
        else throw item.error;
      }
      this.waiter?.();
    });
  }

  send<N extends CommandName>(input: PduInput<N>): void {
    this.stream.write(encodePdu(buildPdu(input) as Pdu));
  }

  sendBytes(bytes: Buffer): void {
    this.stream.write(bytes);
  }

  /**
   * The next PDU the session sent; fails after `ms` of real time (default 2 s) so a broken test
   * cannot hang. Polls with setImmediate, which fake timers leave alone.
   */
  async next(ms = 2000): Promise<Pdu> {
    const deadline = performance.now() + ms;
    while (this.received.length === 0) {
      if (this.ended) throw new Error('stream ended while waiting for a PDU');
      if (performance.now() > deadline) throw new Error('no PDU within the time limit');
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        setImmediate(resolve);
      });
    }
    return this.received.shift()!;
  }

  async nextOf<N extends CommandName>(command: N, ms?: number): Promise<PduOf<N>> {
    const pdu = await this.next(ms);
    if (pdu.command !== command)
      throw new Error(`expected ${command}, got ${pdu.command} (${JSON.stringify(pdu)})`);
    return pdu as PduOf<N>;
  }

  /** PDUs received so far and not taken by next(). */
  get pending(): readonly Pdu[] {
    return this.received;
  }

  /** Resolves once the session has closed the connection. */
  async waitEnd(ms = 2000): Promise<void> {
    const deadline = performance.now() + ms;
    while (!this.ended && !this.stream.destroyed) {
      if (performance.now() > deadline) throw new Error('stream did not end');
      await new Promise((r) => setImmediate(r));
    }
  }

  destroy(): void {
    this.stream.destroy();
  }
}

/** A session on one end of an in-memory pair and a RawPeer on the other. */
export function sessionWithRawPeer(
  options: SessionOptions,
  pairOptions?: DuplexPairOptions & { peerReads?: boolean },
): { session: SmppSession; peer: RawPeer } {
  const [a, b] = createDuplexPair(pairOptions);
  const session = new SmppSession(a, { enquireLinkIntervalMs: 0, inactivityTimeoutMs: 0, ...options });
  return { session, peer: new RawPeer(b, pairOptions?.peerReads ?? true) };
}

/** Binds a RawPeer ESME to an SMSC session that accepts every bind. */
export async function bindRawEsme(
  session: SmppSession,
  peer: RawPeer,
  command: 'bind_transmitter' | 'bind_receiver' | 'bind_transceiver',
  sequenceNumber = 1,
): Promise<Pdu> {
  session.once('bind', (req) => req.accept());
  peer.send({ command, systemId: 'esme1', password: 'pw', interfaceVersion: 0x34, sequenceNumber });
  return peer.next();
}

/** Binds an ESME session against a RawPeer SMSC that answers ROK. */
export async function bindEsmeSession(
  session: SmppSession,
  peer: RawPeer,
  command: 'bind_transmitter' | 'bind_receiver' | 'bind_transceiver',
): Promise<void> {
  const bound = session.bind(command, { systemId: 'esme1', password: 'pw' });
  const req = await peer.next();
  peer.send({ command: `${command}_resp`, sequenceNumber: req.sequenceNumber, systemId: 'smsc' });
  await bound;
}
