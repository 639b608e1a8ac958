/** A bare TCP peer for sending what a well-behaved session would refuse to send. */
import { once } from 'node:events';
import net from 'node:net';
import { buildPdu, type CommandName, encodePdu, type Pdu, PduFramer, type PduInput } from '@smsc/smpp';

export interface RawClient {
  send(pdu: PduInput<CommandName> | Buffer): void;
  /** The next PDU from the server (bounded by a timeout). */
  next(): Promise<Pdu>;
  close(): void;
}

export async function rawClient(port: number): Promise<RawClient> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  const framer = new PduFramer();
  const received: Pdu[] = [];
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    for (const item of framer.push(chunk)) if (item.type === 'pdu') received.push(item.pdu);
    wake?.();
  });
  return {
    send(pdu) {
      socket.write(Buffer.isBuffer(pdu) ? pdu : encodePdu(buildPdu(pdu) as Pdu));
    },
    async next() {
      const deadline = Date.now() + 5_000;
      while (received.length === 0) {
        if (Date.now() > deadline) throw new Error('no PDU from the server within 5 s');
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100).unref();
        });
      }
      return received.shift() as Pdu;
    },
    close() {
      socket.destroy();
    },
  };
}
