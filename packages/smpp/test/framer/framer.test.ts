import { describe, expect, it } from 'vitest';
import { CommandStatus, type FramerItem, PduFramer, type SmppDecodeError } from '../../src/index.ts';
import { hex } from '../fixtures/hex.ts';
import { fixtures } from '../fixtures/pdus.ts';
import { randomInt, seededRandom } from '../fixtures/random.ts';

const stream = Buffer.concat(fixtures.map((f) => f.bytes));

function feed(framer: PduFramer, chunks: Buffer[]): FramerItem[] {
  const items: FramerItem[] = [];
  for (const chunk of chunks) {
    items.push(...framer.push(chunk));
    expect(framer.bufferedBytes).toBeLessThanOrEqual(framer.maxCommandLength);
  }
  return items;
}

function expectAllFixtures(items: FramerItem[]): void {
  expect(items.map((i) => i.type)).toEqual(fixtures.map(() => 'pdu'));
  items.forEach((item, n) => {
    if (item.type !== 'pdu') throw new Error('unreachable');
    expect(item.pdu).toEqual(fixtures[n]!.pdu);
    expect(item.frame.equals(fixtures[n]!.bytes)).toBe(true);
  });
}

function errorOf(items: FramerItem[]): SmppDecodeError {
  const item = items.find((i) => i.type === 'error');
  if (item?.type !== 'error') throw new Error('expected an error item');
  return item.error;
}

describe('PduFramer', () => {
  it('yields every PDU of a stream pushed in one chunk, in order', () => {
    const framer = new PduFramer();
    expectAllFixtures(feed(framer, [stream]));
    expect(framer.bufferedBytes).toBe(0);
  });

  it('yields the same PDUs when the stream arrives one byte at a time', () => {
    const framer = new PduFramer();
    const chunks = [...stream].map((b) => Buffer.from([b]));
    expectAllFixtures(feed(framer, chunks));
    expect(framer.bufferedBytes).toBe(0);
  });

  it('yields the same PDUs for 200 random chunkings of the stream', () => {
    const random = seededRandom(42);
    for (let round = 0; round < 200; round++) {
      const chunks: Buffer[] = [];
      for (let off = 0; off < stream.length; ) {
        const size = 1 + randomInt(random, round % 2 === 0 ? 8 : 150);
        chunks.push(stream.subarray(off, off + size));
        off += size;
      }
      const framer = new PduFramer();
      expectAllFixtures(feed(framer, chunks));
      expect(framer.bufferedBytes).toBe(0);
    }
  });

  it('holds a partial PDU until its last byte arrives', () => {
    const framer = new PduFramer();
    const bytes = fixtures[0]!.bytes;
    expect(framer.push(bytes.subarray(0, 2))).toEqual([]);
    expect(framer.bufferedBytes).toBe(2);
    expect(framer.push(bytes.subarray(2, bytes.length - 1))).toEqual([]);
    expect(framer.bufferedBytes).toBe(bytes.length - 1);
    expect(framer.push(bytes.subarray(bytes.length - 1))).toHaveLength(1);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('fails fatally on a command_length above the maximum without buffering it', () => {
    const framer = new PduFramer({ maxCommandLength: 1024 });
    const items = framer.push(hex`
      00000401   # command_length 1025, one over the maximum
      00000004   # command_id submit_sm
      00000000   # command_status
      0000002a   # sequence_number 42
    `);
    const error = errorOf(items);
    expect(error.commandStatus).toBe(CommandStatus.ESME_RINVCMDLEN);
    expect(error.fatal).toBe(true);
    expect(error.sequenceNumber).toBe(42);
    expect(error.commandId).toBe(4);
    expect(framer.failed).toBe(true);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('fails fatally when an HTTP request hits the port ("HTTP" as a length)', () => {
    const framer = new PduFramer();
    const error = errorOf(framer.push(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')));
    expect(error.commandStatus).toBe(CommandStatus.ESME_RINVCMDLEN);
    expect(error.fatal).toBe(true);
    expect(error.message).toContain('1195725856');
  });

  it('fails fatally on a command_length below 16, also when it arrives split', () => {
    const framer = new PduFramer();
    expect(framer.push(Buffer.from([0, 0]))).toEqual([]);
    const error = errorOf(framer.push(Buffer.from([0, 8, 0, 0, 0, 0])));
    expect(error.commandStatus).toBe(CommandStatus.ESME_RINVCMDLEN);
    expect(error.fatal).toBe(true);
    expect(error.sequenceNumber).toBe(0);
  });

  it('reports the header of a too-long PDU whose command_length arrived split', () => {
    const framer = new PduFramer({ maxCommandLength: 100 });
    expect(framer.push(Buffer.from([0, 0]))).toEqual([]);
    const error = errorOf(
      framer.push(hex`
      0100       # command_length, last two octets: 256 in all, over the maximum
      00000004   # command_id submit_sm
      00000000   # command_status
      00000063   # sequence_number 99
    `),
    );
    expect(error).toMatchObject({
      commandStatus: CommandStatus.ESME_RINVCMDLEN,
      sequenceNumber: 99,
      fatal: true,
    });
  });

  it('keeps bad PDUs in their place among good ones under random chunking', () => {
    const bad = hex`
      00000014   # command_length 20
      00000015   # command_id enquire_link
      00000000   # command_status
      00000063   # sequence_number 99
      00000000   # a body enquire_link cannot have
    `;
    const mixed = Buffer.concat(fixtures.flatMap((f, i) => (i % 5 === 0 ? [bad, f.bytes] : [f.bytes])));
    const expected = fixtures.flatMap((_, i) => (i % 5 === 0 ? ['error', 'pdu'] : ['pdu']));
    const random = seededRandom(7);
    for (let round = 0; round < 50; round++) {
      const framer = new PduFramer();
      const chunks: Buffer[] = [];
      for (let off = 0; off < mixed.length; ) {
        const size = 1 + randomInt(random, 40);
        chunks.push(mixed.subarray(off, off + size));
        off += size;
      }
      const items = feed(framer, chunks);
      expect(items.map((i) => i.type)).toEqual(expected);
      expect(errorOf(items)).toMatchObject({
        commandStatus: CommandStatus.ESME_RINVCMDLEN,
        sequenceNumber: 99,
      });
      expect(framer.failed).toBe(false);
    }
  });

  it('returns nothing more after a fatal error', () => {
    const framer = new PduFramer();
    framer.push(Buffer.from([0, 0, 0, 1]));
    expect(framer.push(stream)).toEqual([]);
  });

  it('reports a bad PDU and carries on with the next one', () => {
    const framer = new PduFramer();
    const unknown = hex`
      00000010   # command_length 16
      00000999   # command_id 0x999, not defined by SMPP 3.4
      00000000   # command_status
      00000007   # sequence_number 7
    `;
    const items = framer.push(Buffer.concat([unknown, fixtures[0]!.bytes]));
    expect(items.map((i) => i.type)).toEqual(['error', 'pdu']);
    const error = errorOf(items);
    expect(error.commandStatus).toBe(CommandStatus.ESME_RINVCMDID);
    expect(error.sequenceNumber).toBe(7);
    expect(error.fatal).toBe(false);
    expect(framer.failed).toBe(false);
  });

  it('rejects a maximum below the header size', () => {
    expect(() => new PduFramer({ maxCommandLength: 15 })).toThrow(RangeError);
  });
});
