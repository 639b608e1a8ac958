import { describe, expect, it } from 'vitest';
import { rawToTlvs, tlvsToRaw } from '../src/index.ts';

describe('TLVs as stored', () => {
  it('round-trips known and unknown TLVs through the raw form', () => {
    const tlvs = {
      messagePayload: Buffer.from('hello'),
      sarMsgRefNum: 0x0102,
      receiptedMessageId: 'abc',
      unknown: [{ tag: 0x1400, value: Buffer.from([7]) }],
    };
    const raw = tlvsToRaw(tlvs);
    expect(raw.map((t) => t.tag)).toEqual([0x0424, 0x020c, 0x001e, 0x1400]);
    expect(raw[1]?.value).toEqual(Buffer.from([1, 2]));
    expect(rawToTlvs(raw)).toEqual(tlvs);
  });

  it('maps nothing to nothing', () => {
    expect(tlvsToRaw(undefined)).toEqual([]);
    expect(rawToTlvs([])).toEqual({});
  });
});
