import { connect, type Socket } from 'node:net';
import { deserialize, serialize } from 'bson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MongoServerHandle, startMongoServer } from '../src/index.ts';
import { encodeMsg, FrameReader, MsgFlags, OpCode } from '../src/wire.ts';

// Raw wire protocol against the in-memory server (OP_MSG spec; OP_QUERY/OP_REPLY legacy opcodes).
function header(length: number, requestId: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

function opMsg(
  requestId: number,
  body: object,
  opts: { flags?: number; sequences?: [string, object[]][]; checksum?: boolean } = {},
): Buffer {
  const parts: Buffer[] = [];
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE((opts.flags ?? 0) | (opts.checksum ? MsgFlags.ChecksumPresent : 0));
  parts.push(flags, Buffer.from([0]), Buffer.from(serialize(body)));
  for (const [id, docs] of opts.sequences ?? []) {
    const payload = Buffer.concat([Buffer.from(`${id}\0`), ...docs.map((d) => Buffer.from(serialize(d)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4);
    parts.push(Buffer.from([1]), size, payload);
  }
  if (opts.checksum) parts.push(Buffer.alloc(4));
  const body2 = Buffer.concat(parts);
  return Buffer.concat([header(16 + body2.length, requestId, OpCode.Msg), body2]);
}

function opQuery(requestId: number, ns: string, query: object): Buffer {
  const flags = Buffer.alloc(4);
  const nums = Buffer.alloc(8);
  nums.writeInt32LE(-1, 4);
  const body = Buffer.concat([flags, Buffer.from(`${ns}\0`), nums, Buffer.from(serialize(query))]);
  return Buffer.concat([header(16 + body.length, requestId, OpCode.Query), body]);
}

class RawClient {
  readonly socket: Socket;
  readonly #reader = new FrameReader();
  readonly #frames: Buffer[] = [];
  #wake: (() => void) | undefined;
  closed = false;
  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (chunk) => {
      this.#frames.push(...this.#reader.push(chunk));
      this.#wake?.();
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.#wake?.();
    });
  }
  async next(timeoutMs = 2000): Promise<Buffer | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.#frames.length === 0 && !this.closed && Date.now() < deadline) {
      await new Promise<void>((r) => {
        this.#wake = r;
        setTimeout(r, Math.max(1, deadline - Date.now()));
      });
    }
    return this.#frames.shift();
  }
  send(buf: Buffer) {
    this.socket.write(buf);
  }
}

function msgBody(frame: Buffer) {
  expect(frame.readInt32LE(12)).toBe(OpCode.Msg);
  expect(frame.readUInt32LE(16)).toBe(0);
  expect(frame[20]).toBe(0);
  return deserialize(frame.subarray(21));
}

describe('wire protocol', () => {
  let server: MongoServerHandle;
  let client: RawClient;
  beforeAll(async () => {
    server = await startMongoServer({ replicaSet: false });
    client = new RawClient(server.port);
  });
  afterAll(async () => {
    client.socket.destroy();
    await server.close();
  });

  it('answers the OP_QUERY handshake with one OP_REPLY document and no topologyVersion', async () => {
    client.send(opQuery(1, 'admin.$cmd', { ismaster: 1, helloOk: true }));
    const frame = (await client.next())!;
    expect(frame.readInt32LE(8)).toBe(1);
    expect(frame.readInt32LE(12)).toBe(OpCode.Reply);
    expect(frame.readInt32LE(32)).toBe(1);
    const doc = deserialize(frame.subarray(36));
    expect(doc).toMatchObject({ ok: 1, isWritablePrimary: true, helloOk: true, maxWireVersion: 21 });
    expect(doc).not.toHaveProperty('topologyVersion');
    expect(doc).not.toHaveProperty('setName');
  });

  it('merges kind-1 document sequences into the command', async () => {
    client.send(
      opMsg(2, { insert: 'seq', $db: 'w' }, { sequences: [['documents', [{ _id: 1 }, { _id: 2 }]]] }),
    );
    const reply = msgBody((await client.next())!);
    expect(reply).toMatchObject({ n: 2, ok: 1 });
  });

  it('accepts a checksum and replies without one', async () => {
    client.send(opMsg(3, { count: 'seq', $db: 'w' }, { checksum: true }));
    const frame = (await client.next())!;
    expect(frame.readInt32LE(8)).toBe(3);
    expect(msgBody(frame)).toMatchObject({ n: 2, ok: 1 });
  });

  it('sends no reply to a moreToCome message but applies it', async () => {
    client.send(
      opMsg(4, { insert: 'seq', documents: [{ _id: 3 }], $db: 'w' }, { flags: MsgFlags.MoreToCome }),
    );
    client.send(opMsg(5, { count: 'seq', $db: 'w' }));
    const frame = (await client.next())!;
    expect(frame.readInt32LE(8)).toBe(5);
    expect(msgBody(frame)).toMatchObject({ n: 3 });
  });

  it('returns cursor ids as int64', async () => {
    client.send(opMsg(6, { find: 'seq', batchSize: 1, $db: 'w' }));
    const frame = (await client.next())!;
    const raw = deserialize(frame.subarray(21), { promoteLongs: false });
    expect(raw.cursor.id._bsontype).toBe('Long');
    expect(raw.cursor.firstBatch).toHaveLength(1);
  });

  it('closes the connection on an opcode it does not speak', async () => {
    const other = new RawClient(server.port);
    other.send(Buffer.concat([header(16 + 4, 9, OpCode.Compressed), Buffer.alloc(4)]));
    expect(await other.next(2000)).toBeUndefined();
    expect(other.closed).toBe(true);
  });
});

describe('encodeMsg', () => {
  it('frames a reply as header, flags 0, section kind 0 and the body, small or beyond its scratch buffer', () => {
    for (const doc of [
      { ok: 1 },
      { ok: 1, big: 'x'.repeat(300 * 1024), n: [1, 2] },
      { ok: 1, after: 'big' },
    ]) {
      const out = encodeMsg(7, 9, doc);
      const body = Buffer.from(serialize(doc));
      const expected = Buffer.concat([header(16 + 5 + body.length, 7, OpCode.Msg), Buffer.alloc(5), body]);
      expected.writeInt32LE(9, 8);
      expect(out.equals(expected)).toBe(true);
    }
    // Each reply owns its bytes: a later one does not overwrite an earlier one not yet written out.
    const first = encodeMsg(1, 1, { a: 'first' });
    const copy = Buffer.from(first);
    encodeMsg(2, 2, { a: 'second, longer than the first' });
    expect(first.equals(copy)).toBe(true);
  });
});
