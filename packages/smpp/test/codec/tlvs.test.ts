import { describe, expect, it } from 'vitest';
import {
  CommandStatus,
  createPdu,
  decodePdu,
  encodePdu,
  SmppDecodeError,
  TlvKind,
  type Tlvs,
  tlvTable,
  tlvTag,
} from '../../src/index.ts';

// SMPP 3.4 §5.3.2, Table 5-3: every standard TLV with its tag, written out independently of src.
const specTags: Record<string, number> = {
  destAddrSubunit: 0x0005,
  destNetworkType: 0x0006,
  destBearerType: 0x0007,
  destTelematicsId: 0x0008,
  sourceAddrSubunit: 0x000d,
  sourceNetworkType: 0x000e,
  sourceBearerType: 0x000f,
  sourceTelematicsId: 0x0010,
  qosTimeToLive: 0x0017,
  payloadType: 0x0019,
  additionalStatusInfoText: 0x001d,
  receiptedMessageId: 0x001e,
  msMsgWaitFacilities: 0x0030,
  privacyIndicator: 0x0201,
  sourceSubaddress: 0x0202,
  destSubaddress: 0x0203,
  userMessageReference: 0x0204,
  userResponseCode: 0x0205,
  sourcePort: 0x020a,
  destinationPort: 0x020b,
  sarMsgRefNum: 0x020c,
  languageIndicator: 0x020d,
  sarTotalSegments: 0x020e,
  sarSegmentSeqnum: 0x020f,
  scInterfaceVersion: 0x0210,
  callbackNumPresInd: 0x0302,
  callbackNumAtag: 0x0303,
  numberOfMessages: 0x0304,
  callbackNum: 0x0381,
  dpfResult: 0x0420,
  setDpf: 0x0421,
  msAvailabilityStatus: 0x0422,
  networkErrorCode: 0x0423,
  messagePayload: 0x0424,
  deliveryFailureReason: 0x0425,
  moreMessagesToSend: 0x0426,
  messageState: 0x0427,
  ussdServiceOp: 0x0501,
  displayTime: 0x1201,
  smsSignal: 0x1203,
  msValidity: 0x1204,
  alertOnMessageDelivery: 0x130c,
  itsReplyType: 0x1380,
  itsSessionInfo: 0x1383,
};

/** A sample value of each kind, with the value octets it must encode to. */
function sample(kind: number, max: number): { value: unknown; octets: number[] } {
  switch (kind) {
    case TlvKind.int1:
      return { value: 0xab, octets: [0xab] };
    case TlvKind.int2:
      return { value: 0xabcd, octets: [0xab, 0xcd] };
    case TlvKind.int4:
      return { value: 0xfedcba98, octets: [0xfe, 0xdc, 0xba, 0x98] };
    case TlvKind.cstring:
      return { value: 'x'.repeat(max - 1), octets: [...Buffer.from('x'.repeat(max - 1)), 0] };
    case TlvKind.octets:
      return { value: Buffer.from([0xa0, 0x01]), octets: [0xa0, 0x01] };
    case TlvKind.flag:
      return { value: true, octets: [] };
    case TlvKind.networkErrorCode:
      return { value: { networkType: 3, errorCode: 0x0102 }, octets: [3, 1, 2] };
    case TlvKind.callbackNum:
      return {
        value: { digitModeIndicator: 1, addrTon: 1, addrNpi: 1, numberDigits: '123' },
        octets: [1, 1, 1, 0x31, 0x32, 0x33],
      };
    case TlvKind.callbackNumAtag:
      return { value: { dataCoding: 0, displayCharacters: Buffer.from('ab') }, octets: [0, 0x61, 0x62] };
  }
  throw new Error(`no sample for kind ${kind}`);
}

describe('alert_on_message_delivery', () => {
  it('also takes the one-octet SMPP 5.0 form, as node-smpp sends it, and gives it back unchanged', () => {
    const bytes = encodePdu(createPdu('submit_sm', { tlvs: { alertOnMessageDelivery: 2 } }));
    expect([...bytes.subarray(bytes.length - 5)]).toEqual([0x13, 0x0c, 0x00, 0x01, 0x02]);
    expect(decodePdu(bytes).tlvs).toEqual({ alertOnMessageDelivery: 2 });
  });
});

describe('TLV table', () => {
  it('has every SMPP 3.4 TLV of §5.3.2 with its tag, and nothing else', () => {
    expect(Object.fromEntries(tlvTable.map((t) => [t.name, t.tag]))).toEqual(specTags);
    expect(tlvTag('messagePayload')).toBe(0x0424);
  });

  for (const spec of tlvTable) {
    describe(spec.name, () => {
      const { value, octets } = sample(spec.kind, spec.max);
      const tlvs = { [spec.name]: value } as Tlvs;
      const bytes = encodePdu(createPdu('data_sm', { sequenceNumber: 1, tlvs }));

      it('encodes to its tag, length and value octets at the end of the PDU', () => {
        const tlv = bytes.subarray(bytes.length - 4 - octets.length);
        expect([...tlv]).toEqual([
          spec.tag >> 8,
          spec.tag & 0xff,
          octets.length >> 8,
          octets.length & 0xff,
          ...octets,
        ]);
      });

      it('decodes back to the same value', () => {
        expect(decodePdu(bytes).tlvs).toEqual(tlvs);
      });

      it('rejects a value one octet longer than allowed with ESME_RINVTLVLEN', () => {
        if (spec.max === 0xffff) return; // message_payload: any length a TLV can carry
        const longer = Buffer.concat([
          bytes.subarray(0, bytes.length - 4 - octets.length),
          tlvBytes(spec.tag, spec.max + 1),
        ]);
        longer.writeUInt32BE(longer.length, 0);
        expect(decodeStatus(longer)).toBe(CommandStatus.ESME_RINVTLVLEN);
      });
    });
  }
});

function tlvBytes(tag: number, length: number): Buffer {
  const out = Buffer.alloc(4 + length, 0x31);
  out.writeUInt16BE(tag, 0);
  out.writeUInt16BE(length, 2);
  return out;
}

function decodeStatus(frame: Buffer): number {
  try {
    decodePdu(frame);
  } catch (error) {
    if (error instanceof SmppDecodeError) return error.commandStatus;
    throw error;
  }
  return -1;
}
