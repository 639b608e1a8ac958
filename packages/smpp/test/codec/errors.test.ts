import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.ts';
import {
  CommandStatus,
  commandStatusName,
  SmppDecodeError,
  SmppEncodeError,
  SmppError,
} from '../../src/index.ts';

/** Every error class the package exports (codec, text and session), with the code an instance carries. */
function exportedErrorCodes(): Map<string, unknown> {
  const codes = new Map<string, unknown>();
  for (const [name, value] of Object.entries(api)) {
    if (typeof value !== 'function' || !(value.prototype instanceof Error)) continue;
    const Class = value as new (...args: unknown[]) => { code?: unknown };
    // Constructors differ; try no arguments, then the PDU-carrying shape of protocol errors.
    for (const args of [[], [{ command: 'generic_nack', commandStatus: 0, sequenceNumber: 0 }]]) {
      try {
        codes.set(name, new Class(...args).code);
        break;
      } catch {}
    }
  }
  return codes;
}

describe('error classes', () => {
  it('carry stable codes, unique across the whole package', () => {
    const codes = exportedErrorCodes();
    const values = [...codes.values()];
    expect(values.every((c) => typeof c === 'string' && /^SMPP_[A-Z0-9_]+$/.test(c))).toBe(true);
    expect(new Set(values).size).toBe(values.length);
    expect(codes.get('SmppDecodeError')).toBe('SMPP_DECODE');
    expect(codes.get('SmppEncodeError')).toBe('SMPP_ENCODE');
    expect(codes.get('SmppError')).toBe('SMPP_ERROR');
  });

  it('are SmppErrors with their class name', () => {
    const decode = new SmppDecodeError('bad', CommandStatus.ESME_RINVCMDID, 0x22, 7, false);
    const encode = new SmppEncodeError('too long', 'sourceAddr');
    expect(decode).toBeInstanceOf(SmppError);
    expect(encode).toBeInstanceOf(SmppError);
    expect(decode.name).toBe('SmppDecodeError');
    expect(encode.name).toBe('SmppEncodeError');
    expect(encode.field).toBe('sourceAddr');
  });
});

describe('command_status names', () => {
  it('names values by their SMPP 3.4 name, and others in hex', () => {
    expect(commandStatusName(CommandStatus.ESME_RTHROTTLED)).toBe('ESME_RTHROTTLED');
    expect(commandStatusName(0xc2)).toBe('ESME_RINVPARLEN');
    expect(commandStatusName(0x400)).toBe('0x00000400');
  });
});
