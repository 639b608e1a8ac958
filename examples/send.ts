// Binds as a transceiver, submits one message asking for a delivery receipt, prints the message id,
// waits for the receipt (up to 30 s) and unbinds.
// Usage: node examples/send.ts <destination> <text> [systemId] [password]
//   (defaults: the trial config's acme / acme-pw). Environment: SMSC_HOST, SMSC_PORT.
import {
  CommandStatus,
  commandStatusName,
  connectSmpp,
  decodeText,
  parseReceipt,
  splitMessage,
} from '@smsc/smpp';

const [destination, text, systemId = 'acme', password = 'acme-pw'] = process.argv.slice(2);
if (!destination || text === undefined) {
  console.error('usage: node examples/send.ts <destination> <text> [systemId] [password]');
  process.exit(2);
}
const session = await connectSmpp({
  host: process.env.SMSC_HOST ?? '127.0.0.1',
  port: Number(process.env.SMSC_PORT ?? 2775),
  bind: { command: 'bind_transceiver', systemId, password },
});
const waiting = new Set<string>();
const done = new Promise<void>((resolve) => {
  session.on('pdu', (pdu) => {
    if (pdu.command !== 'deliver_sm') return;
    session.respond(pdu);
    const receipt = parseReceipt(decodeText(pdu.shortMessage, pdu.dataCoding));
    const id = pdu.tlvs?.receiptedMessageId ?? receipt?.id;
    if (!id || !waiting.delete(id)) return;
    console.log(`receipt for ${id}: ${receipt?.stat ?? `message_state ${pdu.tlvs?.messageState}`}`);
    if (waiting.size === 0) resolve();
  });
});
// One segment for a short text, several UDH segments (each with its own id and receipt) for a long one.
const segments = splitMessage(text, { method: 'udh8', reference: Math.floor(Math.random() * 256) });
for (const segment of segments) {
  const resp = await session.request({
    command: 'submit_sm',
    sourceAddr: systemId,
    destAddrTon: 1,
    destAddrNpi: 1,
    destinationAddr: destination,
    esmClass: segment.esmClassFlags,
    dataCoding: segment.dataCoding,
    registeredDelivery: 1,
    shortMessage: segment.shortMessage,
  });
  if (resp.commandStatus !== CommandStatus.ESME_ROK) {
    console.error(`submit_sm refused: ${commandStatusName(resp.commandStatus)}`);
    await session.unbind();
    process.exit(1);
  }
  waiting.add(resp.messageId);
  console.log(`submitted, message_id ${resp.messageId}`);
}
const timeout = new Promise<'timeout'>((r) => setTimeout(r, 30_000, 'timeout').unref());
if ((await Promise.race([done, timeout])) === 'timeout') console.log('no receipt within 30 s');
await session.unbind();
