import { buildUdh, CommandStatus, concatElement } from '@smsc/smpp';
import { describe, expect, it } from 'vitest';
import { checkContent } from '../../src/index.ts';

const S = CommandStatus;
const udh = (sequence: number, total = 2) =>
  buildUdh([concatElement({ reference: 0x1234, total, sequence, referenceBits: 16 })]);

describe('checkContent', () => {
  it('reads the segment from a 16-bit concatenation UDH', () => {
    const result = checkContent(Buffer.concat([udh(2), Buffer.from('ab')]), undefined, 0x40, 0, 1000);
    expect(result).toMatchObject({ status: 0, segment: { ref: 0x1234, total: 2, seq: 2 } });
  });

  it('refuses a UDH whose sequence is beyond its total', () => {
    // Built by hand: buildUdh refuses to write it. UDHL 6, IEI 0x08 length 4, ref 0x1234, total 2, seq 3.
    const bad = Buffer.from([6, 0x08, 4, 0x12, 0x34, 2, 3]);
    expect(checkContent(Buffer.concat([bad, Buffer.from('ab')]), undefined, 0x40, 0, 1000).status).toBe(
      S.ESME_RINVMSGLEN,
    );
  });

  it('refuses SAR TLVs together with a UDH', () => {
    const tlvs = { sarMsgRefNum: 1, sarTotalSegments: 2, sarSegmentSeqnum: 1 };
    expect(checkContent(Buffer.concat([udh(1), Buffer.from('ab')]), tlvs, 0x40, 0, 1000).status).toBe(
      S.ESME_ROPTPARNOTALLWD,
    );
  });

  it('counts UCS2 length after the UDH', () => {
    expect(
      checkContent(Buffer.concat([udh(1), Buffer.from([0, 0x41])]), undefined, 0x40, 8, 1000).status,
    ).toBe(0);
    expect(checkContent(Buffer.concat([udh(1), Buffer.from([0])]), undefined, 0x40, 8, 1000).status).toBe(
      S.ESME_RINVMSGLEN,
    );
  });

  it('refuses content beyond the limit', () => {
    expect(checkContent(Buffer.alloc(0), { messagePayload: Buffer.alloc(1001) }, 0, 0, 1000).status).toBe(
      S.ESME_RINVMSGLEN,
    );
  });
});
