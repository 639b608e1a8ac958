import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { decodePdu, encodePdu, isResponse, PduFramer, SmppDecodeError } from '../../src/index.ts';
import { fixtures } from '../fixtures/pdus.ts';
import { randomInt, seededRandom } from '../fixtures/random.ts';

const INPUTS = 120_000;
const MAX_COMMAND_LENGTH = 4096;

function exposeGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** One malformed (or occasionally still valid) PDU derived from a fixture or from nothing. */
function mutate(random: () => number): Buffer {
  const base = fixtures[randomInt(random, fixtures.length)]!.bytes;
  const out = Buffer.from(base);
  switch (randomInt(random, 8)) {
    case 0: {
      // Flip a few bytes anywhere, header included.
      const flips = 1 + randomInt(random, 4);
      for (let i = 0; i < flips; i++) out[randomInt(random, out.length)] = randomInt(random, 256);
      return out;
    }
    case 1: {
      // Flip a few body bytes and keep the header honest, to reach the field and TLV checks.
      const flips = 1 + randomInt(random, 3);
      for (let i = 0; i < flips && out.length > 16; i++)
        out[16 + randomInt(random, out.length - 16)] = randomInt(random, 256);
      return out;
    }
    case 2: {
      // Truncate, with command_length either stale or corrected.
      const cut = out.subarray(0, randomInt(random, out.length + 1));
      if (cut.length >= 4 && random() < 0.5) cut.writeUInt32BE(cut.length, 0);
      return Buffer.from(cut);
    }
    case 3: {
      // command_length off by a little or wildly wrong.
      const value = random() < 0.5 ? out.length + randomInt(random, 9) - 4 : Math.floor(random() * 2 ** 32);
      out.writeUInt32BE(value >>> 0, 0);
      return out;
    }
    case 4: {
      // Trailing garbage counted in command_length: a broken TLV stream.
      const extra = Buffer.alloc(randomInt(random, 12));
      for (let i = 0; i < extra.length; i++) extra[i] = randomInt(random, 256);
      const joined = Buffer.concat([out, extra]);
      joined.writeUInt32BE(joined.length, 0);
      return joined;
    }
    case 5: {
      // A random command_id on a valid body.
      out.writeUInt32BE(random() < 0.5 ? randomInt(random, 0x110) : Math.floor(random() * 2 ** 32), 4);
      return out;
    }
    case 6: {
      // Pure garbage with a plausible length prefix half of the time.
      const garbage = Buffer.alloc(randomInt(random, 300));
      for (let i = 0; i < garbage.length; i++) garbage[i] = randomInt(random, 256);
      if (garbage.length >= 16 && random() < 0.5) garbage.writeUInt32BE(garbage.length, 0);
      return garbage;
    }
    default: {
      // Splice the head of one fixture onto the tail of another.
      const other = fixtures[randomInt(random, fixtures.length)]!.bytes;
      const joined = Buffer.concat([
        out.subarray(0, randomInt(random, out.length)),
        other.subarray(randomInt(random, other.length)),
      ]);
      if (joined.length >= 4 && random() < 0.7) joined.writeUInt32BE(joined.length, 0);
      return joined;
    }
  }
}

describe('malformed input', () => {
  it(`survives ${INPUTS} random and mutated PDUs with bounded memory`, () => {
    const gc = exposeGc();
    const random = seededRandom(0x5eed);
    gc();
    const heapBefore = process.memoryUsage().heapUsed;

    let decoded = 0;
    let exactRoundTrips = 0;
    let rejected = 0;
    let framed = 0;
    let framerErrors = 0;
    let maxBuffered = 0;
    let framer = new PduFramer({ maxCommandLength: MAX_COMMAND_LENGTH });

    for (let n = 0; n < INPUTS; n++) {
      const input = mutate(random);

      try {
        const pdu = decodePdu(input);
        decoded++;
        // Whatever decodes must encode again: to the very same octets, except error responses,
        // whose body we drop (§4.4.2), where the encoding must at least be a fixed point.
        const once = encodePdu(pdu);
        const exact = pdu.commandStatus === 0 || !isResponse(input.readUInt32BE(4));
        const reference = exact ? input : encodePdu(decodePdu(once));
        if (!once.equals(reference)) throw new Error(`re-encoding differs for ${input.toString('hex')}`);
        if (exact) exactRoundTrips++;
      } catch (error) {
        if (!(error instanceof SmppDecodeError)) throw error;
        rejected++;
      }

      // The same bytes through a long-lived framer, in random chunks; a fresh one after a fatal error.
      for (let off = 0; off < input.length; ) {
        const size = 1 + randomInt(random, 64);
        for (const item of framer.push(input.subarray(off, off + size))) {
          if (item.type === 'pdu') framed++;
          else framerErrors++;
        }
        if (framer.bufferedBytes > maxBuffered) maxBuffered = framer.bufferedBytes;
        off += size;
      }
      if (framer.failed) framer = new PduFramer({ maxCommandLength: MAX_COMMAND_LENGTH });
    }

    // Both outcomes are exercised, so the run is not trivially all-valid or all-rejected.
    expect(decoded).toBeGreaterThan(INPUTS / 20);
    expect(exactRoundTrips).toBeGreaterThan(decoded / 2);
    expect(rejected).toBeGreaterThan(INPUTS / 4);
    expect(framed).toBeGreaterThan(0);
    expect(framerErrors).toBeGreaterThan(0);
    expect(maxBuffered).toBeLessThanOrEqual(MAX_COMMAND_LENGTH);

    framer = new PduFramer();
    gc();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    expect(growth).toBeLessThan(16 * 1024 * 1024);
  });

  it('never holds more than maxCommandLength while a peer trickles a huge PDU', () => {
    const framer = new PduFramer({ maxCommandLength: 1024 });
    const header = Buffer.from([0, 0, 0x04, 0x00, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1]);
    framer.push(header);
    const chunk = Buffer.alloc(100, 0x41);
    let items = 0;
    for (let i = 0; i < 20; i++) {
      items += framer.push(chunk).length;
      expect(framer.bufferedBytes).toBeLessThanOrEqual(1024);
    }
    // 1024 octets complete one PDU (an invalid one); the rest starts a new frame, still bounded.
    expect(items).toBeGreaterThan(0);
  });
});
