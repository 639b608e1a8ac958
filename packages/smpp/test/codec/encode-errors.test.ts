import { describe, expect, it } from 'vitest';
import { createPdu, encodePdu, type Pdu, SmppEncodeError } from '../../src/index.ts';

function encodeError(pdu: Pdu): SmppEncodeError {
  try {
    encodePdu(pdu);
  } catch (error) {
    if (error instanceof SmppEncodeError) return error;
    throw error;
  }
  throw new Error('expected encodePdu to throw');
}

describe('encodePdu errors name the field that does not fit', () => {
  it('rejects a source_addr of 21 characters (§5.2.8: 21 octets with the NUL)', () => {
    const error = encodeError(createPdu('submit_sm', { sourceAddr: '1'.repeat(21) }));
    expect(error.field).toBe('sourceAddr');
    expect(error.code).toBe('SMPP_ENCODE');
  });

  it('accepts a source_addr of 20 characters', () => {
    expect(encodePdu(createPdu('submit_sm', { sourceAddr: '1'.repeat(20) })).length).toBe(16 + 17 + 20);
  });

  it('rejects a short_message over 254 octets', () => {
    expect(encodeError(createPdu('submit_sm', { shortMessage: Buffer.alloc(255) })).field).toBe(
      'shortMessage',
    );
  });

  it('rejects a time that is not 16 characters', () => {
    expect(encodeError(createPdu('submit_sm', { validityPeriod: '1h' })).field).toBe('validityPeriod');
  });

  it('rejects an integer field out of range', () => {
    expect(encodeError(createPdu('submit_sm', { dataCoding: 256 })).field).toBe('dataCoding');
    expect(encodeError(createPdu('submit_sm', { esmClass: -1 })).field).toBe('esmClass');
    expect(encodeError(createPdu('enquire_link', { sequenceNumber: 2 ** 32 })).field).toBe('sequenceNumber');
  });

  it('rejects characters that are not single non-NUL octets in C-strings', () => {
    expect(encodeError(createPdu('submit_sm_resp', { messageId: 'a\u20acb' })).field).toBe('messageId');
    expect(encodeError(createPdu('submit_sm_resp', { messageId: 'a\u0000b' })).field).toBe('messageId');
  });

  it('rejects an unknown TLV name and an out-of-range TLV value', () => {
    const unknownName = createPdu('submit_sm', { tlvs: { nope: 1 } as never });
    expect(encodeError(unknownName).field).toBe('nope');
    expect(encodeError(createPdu('submit_sm', { tlvs: { sarTotalSegments: 300 } })).field).toBe(
      'sarTotalSegments',
    );
    const longId = createPdu('deliver_sm', { tlvs: { receiptedMessageId: 'x'.repeat(65) } });
    expect(encodeError(longId).field).toBe('receiptedMessageId');
  });

  it('rejects more than 254 destinations in submit_multi', () => {
    const destAddresses = Array.from({ length: 255 }, () => ({ destFlag: 2 as const, dlName: 'x' }));
    expect(encodeError(createPdu('submit_multi', { destAddresses })).field).toBe('destAddresses');
  });

  it('rejects optional parameters on a command without a body', () => {
    expect(encodeError(createPdu('enquire_link', { tlvs: { userMessageReference: 1 } })).field).toBe('tlvs');
  });

  it('encodes an error response without a body', () => {
    const bytes = encodePdu(createPdu('submit_sm_resp', { commandStatus: 0x45, messageId: 'ignored' }));
    expect(bytes.length).toBe(16);
  });
});

describe('encodePdu rejects malformed structured TLVs', () => {
  it('rejects a network_error_code that is not an object', () => {
    const pdu = createPdu('deliver_sm', { tlvs: { networkErrorCode: 3 as never } });
    expect(encodeError(pdu).field).toBe('networkErrorCode');
  });

  it('rejects unknown TLVs that are not a list', () => {
    const pdu = createPdu('deliver_sm', { tlvs: { unknown: { tag: 1 } as never } });
    expect(encodeError(pdu).field).toBe('unknown');
  });
});
