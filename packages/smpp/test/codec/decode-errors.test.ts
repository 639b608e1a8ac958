import { describe, expect, it } from 'vitest';
import { CommandId, CommandStatus, decodePdu, encodePdu, SmppDecodeError } from '../../src/index.ts';
import { hex } from '../fixtures/hex.ts';

/** A PDU with a correct header around `body`, so only the body is at fault. */
function pdu(
  command: keyof typeof CommandId,
  sequenceNumber: number,
  body: Buffer,
  commandStatus = 0,
): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(16 + body.length, 0);
  header.writeUInt32BE(CommandId[command], 4);
  header.writeUInt32BE(commandStatus, 8);
  header.writeUInt32BE(sequenceNumber, 12);
  return Buffer.concat([header, body]);
}

function decodeError(frame: Buffer): SmppDecodeError {
  try {
    decodePdu(frame);
  } catch (error) {
    if (error instanceof SmppDecodeError) return error;
    throw error;
  }
  throw new Error('expected decodePdu to throw');
}

// submit_sm mandatory fields up to (not including) sm_length, all valid.
const submitHead = hex`
  00                 # service_type ""
  01 01 31323300     # source ton, npi, "123"
  01 01 34353600     # dest ton, npi, "456"
  00 00 00           # esm_class, protocol_id, priority_flag
  00 00              # schedule_delivery_time "", validity_period ""
  01 00 00 00        # registered_delivery, replace_if_present_flag, data_coding, sm_default_msg_id
`;
const submitWith = (rest: Buffer) => Buffer.concat([submitHead, rest]);
const S = CommandStatus;

describe('decodePdu errors', () => {
  it('rejects a frame shorter than the header as fatal, with no readable sequence number', () => {
    const error = decodeError(Buffer.from([0, 0, 0, 12, 0, 0, 0, 21, 0, 0, 0, 0]));
    expect(error).toMatchObject({
      commandStatus: S.ESME_RINVCMDLEN,
      sequenceNumber: 0,
      commandId: 0,
      fatal: true,
    });
    expect(error.code).toBe('SMPP_DECODE');
  });

  it('rejects a command_length that differs from the frame as fatal, keeping the header', () => {
    const frame = pdu('enquire_link', 77, Buffer.alloc(0));
    frame.writeUInt32BE(20, 0);
    expect(decodeError(frame)).toMatchObject({
      commandStatus: S.ESME_RINVCMDLEN,
      commandId: CommandId.enquire_link,
      sequenceNumber: 77,
      fatal: true,
    });
  });

  it('answers an unknown command_id with ESME_RINVCMDID and its sequence number', () => {
    const frame = pdu('enquire_link', 9, Buffer.alloc(0));
    frame.writeUInt32BE(0x00000022, 4);
    expect(decodeError(frame)).toMatchObject({
      commandStatus: S.ESME_RINVCMDID,
      commandId: 0x22,
      sequenceNumber: 9,
      fatal: false,
    });
  });

  it('rejects a body shorter than the mandatory fields with ESME_RINVCMDLEN', () => {
    const error = decodeError(pdu('submit_sm', 3, submitHead.subarray(0, 9)));
    expect(error).toMatchObject({ commandStatus: S.ESME_RINVCMDLEN, sequenceNumber: 3, fatal: false });
  });

  it('rejects a body on a command that has none with ESME_RINVCMDLEN', () => {
    expect(decodeError(pdu('enquire_link', 4, Buffer.from([0, 0, 0, 0])))).toMatchObject({
      commandStatus: S.ESME_RINVCMDLEN,
      sequenceNumber: 4,
    });
  });

  it('rejects an sm_length that runs past the body with ESME_RINVMSGLEN', () => {
    const error = decodeError(pdu('submit_sm', 5, submitWith(hex`05 6869`)));
    expect(error).toMatchObject({ commandStatus: S.ESME_RINVMSGLEN, sequenceNumber: 5 });
  });

  it('rejects an sm_length of 255 with ESME_RINVMSGLEN', () => {
    const error = decodeError(
      pdu('deliver_sm', 6, submitWith(Buffer.concat([hex`ff`, Buffer.alloc(255, 0x41)]))),
    );
    expect(error).toMatchObject({ commandStatus: S.ESME_RINVMSGLEN, sequenceNumber: 6 });
  });

  it('rejects a source_addr of 21 characters with ESME_RINVSRCADR', () => {
    const body = Buffer.concat([hex`00 01 01`, Buffer.alloc(21, 0x31), Buffer.alloc(40, 0)]);
    expect(decodeError(pdu('submit_sm', 7, body))).toMatchObject({
      commandStatus: S.ESME_RINVSRCADR,
      sequenceNumber: 7,
    });
  });

  it('rejects a destination_addr of 21 characters with ESME_RINVDSTADR', () => {
    const body = Buffer.concat([hex`00 01 01 3100 01 01`, Buffer.alloc(21, 0x31), Buffer.alloc(40, 0)]);
    expect(decodeError(pdu('submit_sm', 8, body))).toMatchObject({ commandStatus: S.ESME_RINVDSTADR });
  });

  it('rejects a system_id of 16 characters with ESME_RINVSYSID and a password of 9 with ESME_RINVPASWD', () => {
    const longId = Buffer.concat([Buffer.alloc(16, 0x61), Buffer.alloc(20, 0)]);
    expect(decodeError(pdu('bind_transceiver', 1, longId))).toMatchObject({
      commandStatus: S.ESME_RINVSYSID,
    });
    const longPassword = Buffer.concat([hex`6100`, Buffer.alloc(9, 0x61), Buffer.alloc(20, 0)]);
    expect(decodeError(pdu('bind_transmitter', 2, longPassword))).toMatchObject({
      commandStatus: S.ESME_RINVPASWD,
    });
  });

  it('rejects a schedule_delivery_time that is not 16 characters with ESME_RINVSCHED', () => {
    const body = Buffer.concat([
      hex`00 0101 3100 0101 3200 000000`,
      Buffer.from('2501011200\0'),
      hex`00 00000000 00`,
    ]);
    expect(decodeError(pdu('submit_sm', 10, body))).toMatchObject({ commandStatus: S.ESME_RINVSCHED });
  });

  it('rejects a validity_period that is not 16 characters with ESME_RINVEXPIRY', () => {
    const body = Buffer.concat([
      hex`00 0101 3100 0101 3200 000000 00`,
      Buffer.from('1R\0'),
      hex`00000000 00`,
    ]);
    expect(decodeError(pdu('submit_sm', 11, body))).toMatchObject({ commandStatus: S.ESME_RINVEXPIRY });
  });

  it('rejects stray octets after the last TLV with ESME_RINVTLVSTREAM', () => {
    const error = decodeError(pdu('submit_sm', 12, submitWith(hex`00 0204 00`)));
    expect(error).toMatchObject({ commandStatus: S.ESME_RINVTLVSTREAM, sequenceNumber: 12 });
    expect(S.ESME_RINVTLVSTREAM).toBe(S.ESME_RINVOPTPARSTREAM);
  });

  it('rejects a TLV whose length runs past the body with ESME_RINVTLVSTREAM', () => {
    const error = decodeError(pdu('submit_sm', 13, submitWith(hex`00 0424 0010 0102`)));
    expect(error).toMatchObject({ commandStatus: S.ESME_RINVTLVSTREAM, sequenceNumber: 13 });
  });

  it('rejects an integer TLV of the wrong length with ESME_RINVTLVLEN', () => {
    const error = decodeError(pdu('submit_sm', 14, submitWith(hex`00 0204 0001 01`)));
    expect(error).toMatchObject({ commandStatus: S.ESME_RINVTLVLEN, sequenceNumber: 14 });
  });

  it('rejects a receipted_message_id longer than 65 octets with ESME_RINVTLVLEN', () => {
    const tlv = Buffer.concat([hex`001e 0042`, Buffer.alloc(65, 0x31), hex`00`]);
    const error = decodeError(pdu('deliver_sm', 15, submitWith(Buffer.concat([hex`00`, tlv]))));
    expect(error).toMatchObject({ commandStatus: S.ESME_RINVTLVLEN, sequenceNumber: 15 });
  });

  it('rejects a C-string TLV without its NUL with ESME_RINVTLVVAL', () => {
    const error = decodeError(pdu('deliver_sm', 16, submitWith(hex`00 001e 0002 3737`)));
    expect(error).toMatchObject({ commandStatus: S.ESME_RINVTLVVAL, sequenceNumber: 16 });
  });

  it('rejects a network_error_code that is not 3 octets with ESME_RINVTLVLEN', () => {
    const error = decodeError(pdu('deliver_sm', 17, submitWith(hex`00 0423 0002 0300`)));
    expect(error).toMatchObject({ commandStatus: S.ESME_RINVTLVLEN });
  });

  it('rejects the same known TLV twice with ESME_RINVTLVSTREAM', () => {
    const error = decodeError(pdu('submit_sm', 18, submitWith(hex`00 0204 0002 0001 0204 0002 0002`)));
    expect(error).toMatchObject({ commandStatus: S.ESME_RINVTLVSTREAM });
  });

  it('rejects a submit_multi dest_flag other than 1 or 2 with ESME_RINVDESTFLAG', () => {
    const body = hex`00 0101 3100 01 03 3200 000000 00 00 01000000 00`;
    expect(decodeError(pdu('submit_multi', 19, body))).toMatchObject({ commandStatus: S.ESME_RINVDESTFLAG });
  });

  it('rejects a submit_multi number_of_dests of 255 with ESME_RINVNUMDESTS', () => {
    const body = hex`00 0101 3100 ff 02 3200`;
    expect(decodeError(pdu('submit_multi', 20, body))).toMatchObject({ commandStatus: S.ESME_RINVNUMDESTS });
  });

  it('rejects a distribution list name of 21 characters with ESME_RINVDLNAME', () => {
    const body = Buffer.concat([hex`00 0101 3100 01 02`, Buffer.alloc(21, 0x61), Buffer.alloc(12, 0)]);
    expect(decodeError(pdu('submit_multi', 21, body))).toMatchObject({ commandStatus: S.ESME_RINVDLNAME });
  });
});

describe('decodePdu leniency', () => {
  it('decodes an error response with an unparsable body to empty fields', () => {
    const decoded = decodePdu(pdu('submit_sm_resp', 30, hex`3131 3131`, S.ESME_RSYSERR));
    expect(decoded).toEqual({
      command: 'submit_sm_resp',
      commandStatus: S.ESME_RSYSERR,
      sequenceNumber: 30,
      messageId: '',
    });
  });

  it('keeps the body of an error response that parses', () => {
    const decoded = decodePdu(pdu('submit_sm_resp', 31, hex`313200`, S.ESME_RSUBMITFAIL));
    expect(decoded).toMatchObject({ messageId: '12', commandStatus: S.ESME_RSUBMITFAIL });
  });

  it('keeps unknown TLVs byte-exactly, and where they sat among known ones', () => {
    const frame = pdu(
      'submit_sm',
      32,
      submitWith(hex`00 1501 0001 aa 0204 0002 0007 1500 0000 1502 0002 bbcc`),
    );
    const decoded = decodePdu(frame);
    expect(decoded.tlvs).toEqual({
      userMessageReference: 7,
      unknown: [
        { tag: 0x1501, value: Buffer.from([0xaa]), position: 0 },
        { tag: 0x1500, value: Buffer.alloc(0) },
        { tag: 0x1502, value: Buffer.from([0xbb, 0xcc]) },
      ],
    });
    expect(encodePdu(decoded).equals(frame)).toBe(true);
  });

  it('encodes unknown TLVs without a position after the known ones', () => {
    const decoded = decodePdu(pdu('submit_sm', 34, submitWith(hex`00 1501 0001 aa 0204 0002 0007`)));
    delete decoded.tlvs?.unknown?.[0]?.position;
    const reordered = encodePdu(decoded);
    expect(reordered.subarray(reordered.length - 11).toString('hex')).toBe(
      '020400020007' + '150100' + '01aa',
    );
  });

  it('keeps octets 0x80-0xFF of C-strings as latin1 characters', () => {
    const decoded = decodePdu(pdu('submit_sm_resp', 33, hex`e9ff00`));
    expect(decoded).toMatchObject({ messageId: '\u00e9\u00ff' });
  });
});
