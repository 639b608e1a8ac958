import { describe, expect, it } from 'vitest';
import { CommandId, decodePdu, encodePdu } from '../../src/index.ts';
import { fixtures } from '../fixtures/pdus.ts';

describe('golden PDU fixtures', () => {
  for (const { name, bytes, pdu } of fixtures) {
    describe(name, () => {
      it('decodes the octets to the PDU', () => {
        expect(decodePdu(bytes)).toEqual(pdu);
      });
      it('encodes the PDU to the octets', () => {
        expect(encodePdu(pdu).toString('hex')).toBe(bytes.toString('hex'));
      });
      it('round-trips the octets byte-exactly', () => {
        expect(encodePdu(decodePdu(bytes)).equals(bytes)).toBe(true);
      });
    });
  }

  it('covers every SMPP 3.4 command', () => {
    const covered = new Set(fixtures.map((f) => f.pdu.command));
    expect([...Object.keys(CommandId)].filter((c) => !covered.has(c as never))).toEqual([]);
  });
});
