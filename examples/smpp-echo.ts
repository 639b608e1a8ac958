// A minimal SMSC and ESME in one file with @smsc/smpp: the server accepts any bind and answers each
// submit_sm with a message id; the client binds, sends a long GSM text split into UDH segments, and
// unbinds. Run: node examples/smpp-echo.ts
import { CommandStatus, connectSmpp, listenSmpp, splitMessage } from '@smsc/smpp';

let nextId = 1;
const server = await listenSmpp({ host: '127.0.0.1', port: 0 }, (session) => {
  session.on('bind', (bind) => bind.accept());
  session.on('pdu', (pdu) => {
    // alert_notification is the one request that has no response (SMPP 3.4 §4.12).
    if (pdu.command === 'alert_notification') return;
    if (pdu.command === 'submit_sm') session.respond(pdu, { messageId: String(nextId++) });
    else session.respond(pdu, { commandStatus: CommandStatus.ESME_RINVCMDID });
  });
});

const client = await connectSmpp({
  host: '127.0.0.1',
  port: server.port,
  bind: { command: 'bind_transceiver', systemId: 'acme', password: 'acme-pw' },
});
const text = 'A long message: '.padEnd(200, 'x');
for (const segment of splitMessage(text, { method: 'udh8', reference: 7 })) {
  const resp = await client.request({
    command: 'submit_sm',
    sourceAddr: 'acme',
    destinationAddr: '46701234567',
    esmClass: segment.esmClassFlags,
    dataCoding: segment.dataCoding,
    registeredDelivery: 1,
    shortMessage: segment.shortMessage,
  });
  console.log(`segment ${segment.sequence}/${segment.total}: message_id ${resp.messageId}`);
}
await client.unbind();
await server.close();
