import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { bindNodeSmpp, type NsEsme, type NsPdu, nodeSmpp, nsCall } from './support/node-smpp.ts';
import { ACCOUNTS, ROUTES } from './support/scenario.ts';
import { killAllSmscProcesses, type SmscProcess, startSmscProcess } from './support/smsc-process.ts';

// SMPP 3.4 §5.1.3 command_status values, spelled out here rather than imported from our own library.
const ESME_RINVCMDLEN = 0x02;
const ESME_RINVCMDID = 0x03;
const ESME_RINVBNDSTS = 0x04;
const ESME_RALYBND = 0x05;
const ESME_RINVSRCADR = 0x0a;
const ESME_RINVDSTADR = 0x0b;
const ESME_RBINDFAIL = 0x0d;
const ESME_RINVPASWD = 0x0e;
const ESME_RINVSYSID = 0x0f;
const ESME_RINVDSTTON = 0x50;
const ESME_RTHROTTLED = 0x58;
const GENERIC_NACK = 0x80000000;
const SUBMIT_SM_RESP = 0x80000004;

/** A TCP client that writes raw octets and reads whole PDUs back, for what no SMPP library sends. */
async function rawClient(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let buffered = Buffer.alloc(0);
  const pdus: { commandId: number; status: number; sequence: number }[] = [];
  let closed = false;
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 16 && buffered.length >= buffered.readUInt32BE(0)) {
      const length = buffered.readUInt32BE(0);
      pdus.push({
        commandId: buffered.readUInt32BE(4),
        status: buffered.readUInt32BE(8),
        sequence: buffered.readUInt32BE(12),
      });
      buffered = buffered.subarray(length);
    }
  });
  socket.on('close', () => {
    closed = true;
  });
  const waitFor = async (check: () => boolean, what: string) => {
    const end = Date.now() + 5000;
    while (!check()) {
      if (Date.now() > end)
        throw new Error(`raw client: ${what} not within 5 s (got ${JSON.stringify(pdus)})`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return {
    pdus,
    isClosed: () => closed,
    write: (bytes: Buffer) => socket.write(bytes),
    nextPdu: async (index: number) => {
      await waitFor(() => pdus.length > index, `PDU #${index + 1}`);
      return pdus[index]!;
    },
    waitClosed: () => waitFor(() => closed, 'close'),
    destroy: () => socket.destroy(),
  };
}

/** A PDU from its header fields and body (SMPP 3.4 §3.2). */
function rawPdu(commandId: number, sequence: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(16 + body.length, 0);
  header.writeUInt32BE(commandId, 4);
  header.writeUInt32BE(0, 8);
  header.writeUInt32BE(sequence, 12);
  return Buffer.concat([header, body]);
}

const cstring = (s: string) => Buffer.from(`${s}\0`, 'latin1');

/** submit_sm body (§4.4.1) with a 2-octet GSM text. */
function submitSmBody(to: string): Buffer {
  return Buffer.concat([
    cstring(''), // service_type
    Buffer.from([1, 1]),
    cstring('4915100000001'),
    Buffer.from([1, 1]),
    cstring(to),
    Buffer.from([0, 0, 0]), // esm_class, protocol_id, priority_flag
    cstring(''), // schedule_delivery_time
    cstring(''), // validity_period
    Buffer.from([0, 0, 0, 0, 2]), // registered_delivery, replace_if_present, data_coding, sm_default_msg_id, sm_length
    Buffer.from('hi'),
  ]);
}

// Every refusal an ESME can meet at the door or on submit, through the real `smsc all` process and
// node-smpp (or raw octets, for what no library sends), each with its exact command_status.
describe('command_status of refused binds, submits and PDUs', () => {
  let smsc: SmscProcess;
  let port: number;
  const esmes: NsEsme[] = [];
  const sockets: { destroy(): void }[] = [];
  beforeAll(async () => {
    smsc = await startSmscProcess({
      role: 'all',
      config: {
        smpp: { enquireLinkIntervalMs: 0 },
        accounts: [
          ...ACCOUNTS,
          { systemId: 'single', password: 'single', maxBinds: 1 },
          { systemId: 'slow', password: 'slow-pw', throughput: 2 },
        ],
        routes: ROUTES,
        shutdown: { drainMs: 1000 },
      },
    });
    port = smsc.smpp!.port;
  }, 30_000);
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await Promise.all(esmes.map((e) => e.close()));
    await killAllSmscProcesses();
  });
  const dumpLogsOnFailure = () => onTestFailed(() => console.error(smsc.logs()));

  const bindStatus = async (
    command: 'bind_transmitter' | 'bind_receiver',
    systemId: string,
    password: string,
  ) => {
    const session = nodeSmpp.connect({ host: '127.0.0.1', port });
    session.on('error', () => {});
    sockets.push(session);
    await new Promise((r) => session.once('connect', r));
    return (await nsCall(session, command, { system_id: systemId, password })).command_status;
  };

  const submit = (esme: NsEsme, fields: Record<string, unknown>): Promise<NsPdu> =>
    nsCall(esme.session, 'submit_sm', {
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '4915100000001',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '46700000001',
      short_message: Buffer.from('hi'),
      ...fields,
    });

  it('refuses a wrong password with ESME_RINVPASWD and an unknown system_id with ESME_RINVSYSID', async () => {
    dumpLogsOnFailure();
    expect(await bindStatus('bind_transmitter', 'acme', 'wrong')).toBe(ESME_RINVPASWD);
    expect(await bindStatus('bind_transmitter', 'nobody', 'acme-pw')).toBe(ESME_RINVSYSID);
  });

  it('refuses a bind beyond maxBinds with ESME_RBINDFAIL, and a second bind on a bound session with ESME_RALYBND', async () => {
    dumpLogsOnFailure();
    const first = await bindNodeSmpp(port, 'bind_transmitter', 'single', 'single');
    esmes.push(first);
    expect(await bindStatus('bind_receiver', 'single', 'single')).toBe(ESME_RBINDFAIL);
    const again = await nsCall(first.session, 'bind_transmitter', {
      system_id: 'single',
      password: 'single',
    });
    expect(again.command_status).toBe(ESME_RALYBND);
    // The first bind still works.
    expect((await submit(first, {})).command_status).toBe(0);
  });

  it('refuses submit_sm on a receiver bind with ESME_RINVBNDSTS', async () => {
    dumpLogsOnFailure();
    const rx = await bindNodeSmpp(port, 'bind_receiver', 'acme', 'acme-pw');
    esmes.push(rx);
    expect((await submit(rx, {})).command_status).toBe(ESME_RINVBNDSTS);
  });

  it('refuses unroutable and malformed addresses with ESME_RINVDSTADR, ESME_RINVDSTTON and ESME_RINVSRCADR', async () => {
    dumpLogsOnFailure();
    const tx = await bindNodeSmpp(port, 'bind_transmitter', 'acme', 'acme-pw');
    esmes.push(tx);
    // No route for 4999...: refused, not stored.
    expect((await submit(tx, { destination_addr: '49990000001' })).command_status).toBe(ESME_RINVDSTADR);
    expect((await submit(tx, { destination_addr: '4670abc' })).command_status).toBe(ESME_RINVDSTADR);
    expect((await submit(tx, { destination_addr: '' })).command_status).toBe(ESME_RINVDSTADR);
    // An alphanumeric destination cannot be delivered to (§5.2.5 TON 5).
    expect((await submit(tx, { dest_addr_ton: 5 })).command_status).toBe(ESME_RINVDSTTON);
    expect((await submit(tx, { source_addr: '49-151 000' })).command_status).toBe(ESME_RINVSRCADR);
    // The same session still submits fine.
    expect((await submit(tx, {})).command_status).toBe(0);
  });

  it('answers submits beyond the account throughput with ESME_RTHROTTLED', async () => {
    dumpLogsOnFailure();
    const tx = await bindNodeSmpp(port, 'bind_transmitter', 'slow', 'slow-pw');
    esmes.push(tx);
    // Six at once against 2 per second: the bucket holds two, the rest are throttled (a stalled
    // machine may refill one more in between, hence "at least three").
    const statuses = (await Promise.all(Array.from({ length: 6 }, () => submit(tx, {})))).map(
      (p) => p.command_status,
    );
    expect(statuses[0]).toBe(0);
    for (const s of statuses) expect([0, ESME_RTHROTTLED]).toContain(s);
    expect(statuses.filter((s) => s === ESME_RTHROTTLED).length).toBeGreaterThanOrEqual(3);
  });

  it('answers an unknown command_id with generic_nack ESME_RINVCMDID and a submit before bind with ESME_RINVBNDSTS, keeping the connection', async () => {
    dumpLogsOnFailure();
    const raw = await rawClient(port);
    sockets.push(raw);
    raw.write(rawPdu(0x00000777, 41));
    expect(await raw.nextPdu(0)).toEqual({ commandId: GENERIC_NACK, status: ESME_RINVCMDID, sequence: 41 });
    raw.write(rawPdu(0x00000004, 42, submitSmBody('46700000001')));
    expect(await raw.nextPdu(1)).toEqual({
      commandId: SUBMIT_SM_RESP,
      status: ESME_RINVBNDSTS,
      sequence: 42,
    });
    expect(raw.isClosed()).toBe(false);
  });

  it('answers an HTTP request on the SMPP port with generic_nack ESME_RINVCMDLEN and closes', async () => {
    dumpLogsOnFailure();
    const raw = await rawClient(port);
    sockets.push(raw);
    // "GET " read as command_length is 1195725856: far beyond any PDU.
    raw.write(Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
    expect(await raw.nextPdu(0)).toMatchObject({ commandId: GENERIC_NACK, status: ESME_RINVCMDLEN });
    await raw.waitClosed();
  });
});
