// Binds to the SMSC as a receiver and prints every message and receipt it gets, until Ctrl-C.
// Usage: node examples/sink.ts [systemId] [password]   (defaults: the trial config's sink / sink-pw)
// Environment: SMSC_HOST (127.0.0.1), SMSC_PORT (2775).
import { connectSmpp, decodeText, parseReceipt } from '@smsc/smpp';

const [systemId = 'sink', password = 'sink-pw'] = process.argv.slice(2);
const session = await connectSmpp({
  host: process.env.SMSC_HOST ?? '127.0.0.1',
  port: Number(process.env.SMSC_PORT ?? 2775),
  bind: { command: 'bind_receiver', systemId, password },
});
console.log(`bound as ${systemId} (receiver); waiting for messages, Ctrl-C to stop`);
session.on('pdu', (pdu) => {
  if (pdu.command !== 'deliver_sm') return;
  const text = decodeText(pdu.shortMessage, pdu.dataCoding);
  // esm_class bits 2-5 = 0b0001: an SMSC delivery receipt (SMPP 3.4 §5.2.12).
  const receipt = (pdu.esmClass & 0x3c) === 0x04 ? parseReceipt(text) : null;
  if (receipt) console.log(`receipt for ${receipt.id}: ${receipt.stat} (from ${pdu.sourceAddr})`);
  else console.log(`message from ${pdu.sourceAddr} to ${pdu.destinationAddr}: ${text}`);
  session.respond(pdu);
});
process.once('SIGINT', () => {
  session.unbind().then(() => process.exit(0));
});
