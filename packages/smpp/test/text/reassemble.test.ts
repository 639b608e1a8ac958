import { describe, expect, it } from 'vitest';
import {
  decodeText,
  type EvictedSet,
  portElement,
  Reassembler,
  type ReceivedPart,
  type Segment,
  type SplitMethod,
  splitMessage,
  type TextEncoding,
} from '../../src/text/index.ts';

function toParts(segments: Segment[], source = '111', destination = '222'): ReceivedPart[] {
  return segments.map((s) => ({
    source,
    destination,
    esmClass: s.esmClassFlags,
    dataCoding: s.dataCoding,
    shortMessage: s.shortMessage,
    tlvs: s.tlvs,
  }));
}

/** Every order of n items would be n!; these cover forward, backward and interleaved. */
const ORDERS = [
  [0, 1, 2],
  [2, 1, 0],
  [1, 2, 0],
  [2, 0, 1],
];

class FakeClock {
  t = 1_000_000;
  now = () => this.t;
}

describe('Reassembler: joining parts', () => {
  const text = `${'Long message with £ and {braces} '.repeat(9)}end`;
  const cases: [SplitMethod, TextEncoding][] = [
    ['udh8', 'gsm7'],
    ['udh16', 'gsm7'],
    ['sar', 'gsm7'],
    ['udh8', 'ucs2'],
    ['sar', 'ucs2'],
    ['udh16', 'latin1'],
  ];
  it.each(cases)('joins %s %s parts in any order', (method, encoding) => {
    const segments = splitMessage(text, { method, encoding, reference: 200 });
    expect(segments.length).toBeGreaterThanOrEqual(3);
    for (const order of ORDERS) {
      const r = new Reassembler();
      const parts = toParts(segments);
      const sequence = [...order, ...parts.keys()].filter((v, i, a) => a.indexOf(v) === i);
      for (let i = 0; i < sequence.length - 1; i++) {
        expect(r.accept(parts[sequence[i]!]!)).toEqual({
          status: 'pending',
          received: i + 1,
          total: parts.length,
        });
      }
      const last = r.accept(parts[sequence[sequence.length - 1]!]!);
      expect(last.status).toBe('complete');
      if (last.status !== 'complete') return;
      expect(decodeText(last.message.payload, last.message.dataCoding)).toBe(text);
      expect(last.message).toMatchObject({
        kind: method,
        reference: 200,
        total: parts.length,
        source: '111',
      });
      expect(r.size).toBe(0);
      expect(r.bytes).toBe(0);
    }
  });

  it('passes a message that is not concatenated straight through', () => {
    const r = new Reassembler();
    const result = r.accept({
      source: 'a',
      destination: 'b',
      esmClass: 0,
      dataCoding: 0,
      shortMessage: Buffer.from('hi'),
    });
    expect(result).toMatchObject({ status: 'complete', message: { kind: 'none', total: 1 } });
    if (result.status === 'complete') expect(result.message.reference).toBeUndefined();
  });

  it('reads the content from message_payload when short_message is empty', () => {
    const r = new Reassembler();
    const result = r.accept({
      source: 'a',
      destination: 'b',
      esmClass: 0,
      dataCoding: 0,
      shortMessage: Buffer.alloc(0),
      tlvs: { messagePayload: Buffer.from('from payload') },
    });
    expect(result.status === 'complete' && result.message.payload.toString()).toBe('from payload');
  });

  it('completes a one-part concatenated message at once', () => {
    const r = new Reassembler();
    const result = r.accept({
      source: 'a',
      destination: 'b',
      esmClass: 0x40,
      dataCoding: 0,
      shortMessage: Buffer.from('05000309010168', 'hex'),
    });
    expect(result).toMatchObject({ status: 'complete', message: { kind: 'udh8', reference: 9, total: 1 } });
  });

  it('treats a part with a void concatenation element as a whole message', () => {
    const r = new Reassembler();
    const result = r.accept({
      source: 'a',
      destination: 'b',
      esmClass: 0x40,
      dataCoding: 0,
      shortMessage: Buffer.from('05000309020368', 'hex'),
    });
    expect(result).toMatchObject({ status: 'complete', message: { kind: 'none' } });
    expect(result.status === 'complete' && result.message.payload.toString('hex')).toBe('68');
  });

  it('reports a malformed UDH as invalid instead of throwing', () => {
    const r = new Reassembler();
    const result = r.accept({
      source: 'a',
      destination: 'b',
      esmClass: 0x40,
      dataCoding: 0,
      shortMessage: Buffer.from('09', 'hex'),
    });
    expect(result.status).toBe('invalid');
    expect(result.status === 'invalid' && result.error.code).toBe('SMPP_UDH');
  });

  it('keeps port addressing and unknown elements of the first part', () => {
    const ports = portElement({ destination: 2948, source: 9200, bits: 16 });
    const segments = splitMessage(Buffer.alloc(300, 7), { method: 'udh8', reference: 5, elements: [ports] });
    const r = new Reassembler();
    const parts = toParts(segments);
    r.accept(parts[2]!);
    r.accept(parts[1]!);
    const result = r.accept(parts[0]!);
    expect(result.status).toBe('complete');
    if (result.status !== 'complete') return;
    expect(result.message.ports).toEqual({ destination: 2948, source: 9200, bits: 16 });
    expect(result.message.elements).toEqual([ports]);
    expect(result.message.payload).toEqual(Buffer.alloc(300, 7));
    expect(result.message.dataCoding).toBe(4);
  });

  it('unpacks packed GSM parts when told they are packed', () => {
    const text = `${'packed septets '.repeat(20)}€`;
    const segments = splitMessage(text, { method: 'udh8', reference: 3, encoding: 'gsm7-packed' });
    const r = new Reassembler({ gsm7Packed: true });
    let result = r.accept(toParts(segments)[1]!);
    result = r.accept(toParts(segments)[0]!);
    expect(result.status === 'complete' && decodeText(result.message.payload, 0)).toBe(text);
  });
});

describe('Reassembler: duplicates and keys', () => {
  const segments = splitMessage('z'.repeat(400), { method: 'udh8', reference: 1 });

  it('ignores a part it already has', () => {
    const r = new Reassembler();
    const parts = toParts(segments);
    expect(r.accept(parts[0]!)).toMatchObject({ status: 'pending', received: 1 });
    expect(r.accept(parts[0]!)).toEqual({ status: 'duplicate', received: 1, total: 3 });
    expect(r.accept(parts[1]!)).toMatchObject({ status: 'pending', received: 2 });
    expect(r.accept(parts[1]!)).toMatchObject({ status: 'duplicate' });
    const done = r.accept(parts[2]!);
    expect(done.status === 'complete' && done.message.payload.toString()).toBe('z'.repeat(400));
  });

  it('does not mix parts of different senders, recipients or references', () => {
    const r = new Reassembler();
    const other = splitMessage('y'.repeat(400), { method: 'udh8', reference: 2 });
    const a = toParts(segments, '1', '2');
    const b = toParts(segments, '9', '2');
    const c = toParts(segments, '1', '8');
    const d = toParts(other, '1', '2');
    for (const parts of [a, b, c, d]) {
      r.accept(parts[0]!);
      r.accept(parts[1]!);
    }
    expect(r.size).toBe(4);
    const done = r.accept(d[2]!);
    expect(done.status === 'complete' && done.message.payload.toString()).toBe('y'.repeat(400));
    expect(r.size).toBe(3);
  });

  it('does not let a peer keep a view into its frame', () => {
    const r = new Reassembler();
    const parts = toParts(segments);
    const frame = Buffer.from(parts[0]!.shortMessage);
    r.accept({ ...parts[0]!, shortMessage: frame });
    frame.fill(0);
    r.accept(parts[1]!);
    const done = r.accept(parts[2]!);
    expect(done.status === 'complete' && done.message.payload.toString()).toBe('z'.repeat(400));
  });
});

describe('Reassembler: bounded memory', () => {
  const partsOf = (reference: number, source = 's') =>
    toParts(splitMessage('q'.repeat(400), { method: 'udh8', reference }), source, 'd');

  it('drops an incomplete set after the timeout, measured from its first part', () => {
    const clock = new FakeClock();
    const evicted: EvictedSet[] = [];
    const r = new Reassembler({ timeoutMs: 60_000, now: clock.now, onEvict: (e) => evicted.push(e) });
    const parts = partsOf(1);
    r.accept(parts[0]!);
    clock.t += 30_000;
    r.accept(parts[1]!);
    clock.t += 29_999;
    expect(r.evictExpired()).toEqual([]);
    clock.t += 1;
    expect(r.accept(parts[2]!)).toMatchObject({ status: 'pending', received: 1 });
    expect(evicted).toEqual([
      {
        source: 's',
        destination: 'd',
        kind: 'udh8',
        reference: 1,
        total: 3,
        received: [1, 2],
        reason: 'expired',
      },
    ]);
  });

  it('returns expired sets from evictExpired and leaves younger ones', () => {
    const clock = new FakeClock();
    const r = new Reassembler({ timeoutMs: 1000, now: clock.now });
    r.accept(partsOf(1)[0]!);
    clock.t += 500;
    r.accept(partsOf(2)[1]!);
    clock.t += 500;
    expect(r.evictExpired().map((e) => [e.reference, e.received])).toEqual([[1, [1]]]);
    expect(r.size).toBe(1);
  });

  it('drops the oldest set when there are more than maxSets', () => {
    const evicted: EvictedSet[] = [];
    const r = new Reassembler({ maxSets: 2, onEvict: (e) => evicted.push(e) });
    r.accept(partsOf(1)[0]!);
    r.accept(partsOf(2)[0]!);
    r.accept(partsOf(3)[0]!);
    expect(r.size).toBe(2);
    expect(evicted.map((e) => [e.reference, e.reason])).toEqual([[1, 'overflow']]);
    expect(r.accept(partsOf(1)[1]!)).toMatchObject({ status: 'pending', received: 1 });
  });

  it('drops the oldest sets when their content exceeds maxBytes, but never the set just added to', () => {
    const evicted: EvictedSet[] = [];
    const r = new Reassembler({ maxBytes: 200, onEvict: (e) => evicted.push(e) });
    r.accept(partsOf(1)[0]!); // 153 octets
    expect(r.bytes).toBe(153);
    r.accept(partsOf(2)[0]!);
    expect(evicted.map((e) => e.reference)).toEqual([1]);
    r.accept(partsOf(2)[1]!);
    expect(r.size).toBe(1);
    expect(r.bytes).toBe(306);
    expect(r.accept(partsOf(2)[2]!).status).toBe('complete');
    expect(r.bytes).toBe(0);
  });

  it('forgets everything on clear', () => {
    const r = new Reassembler();
    r.accept(partsOf(1)[0]!);
    r.clear();
    expect(r.size).toBe(0);
    expect(r.bytes).toBe(0);
  });
});
