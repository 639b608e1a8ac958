/**
 * node-smpp (devDependency `smpp` 0.5.1) as an independent oracle for the golden fixtures: its
 * decoder must read each fixture as the same command and its encoder must give back the very same
 * octets. The exclusions are node-smpp behaviours, each named, not faults of the fixtures.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../fixtures/pdus.ts';

type NodeSmpp = { PDU: { fromBuffer(buffer: Buffer): { command: string; toBuffer(): Buffer } } };
const smpp = createRequire(import.meta.url)('smpp') as NodeSmpp;

const notComparable: Record<string, string> = {
  'submit_sm with times, message_payload and known and unknown TLVs':
    'node-smpp turns times into Dates (relative ones become absolute) and drops unknown TLVs',
  'replace_sm with a relative validity period':
    'node-smpp turns the relative validity_period into an absolute one',
  'data_sm_resp with an error keeps its failure TLVs': 'node-smpp drops the whole body of an error response',
  'deliver_sm with the structured TLVs (callback_num, subaddress, flags)':
    'node-smpp gives alert_on_message_delivery a value octet (SMPP 5.0) and reads the UDHI text as a header',
};

describe('golden fixtures against node-smpp', () => {
  for (const { name, bytes, pdu } of fixtures) {
    if (name in notComparable) continue;
    it(`node-smpp decodes and re-encodes "${name}" to the same octets`, () => {
      const theirs = smpp.PDU.fromBuffer(Buffer.from(bytes));
      expect(theirs.command).toBe(pdu.command);
      expect(theirs.toBuffer().toString('hex')).toBe(bytes.toString('hex'));
    });
  }

  it('leaves only the documented exclusions out', () => {
    const names = new Set(fixtures.map((f) => f.name));
    expect(Object.keys(notComparable).filter((n) => !names.has(n))).toEqual([]);
    expect(fixtures.length - Object.keys(notComparable).length).toBeGreaterThanOrEqual(27);
  });
});
