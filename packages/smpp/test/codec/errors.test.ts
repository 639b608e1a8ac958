import { describe, expect, it } from 'vitest';
import { CommandStatus, commandStatusName, smppErrorClasses } from '../../src/index.ts';

describe('error classes', () => {
  it('have unique stable codes', () => {
    const codes = smppErrorClasses.map((C) => new C('x' as never, 0 as never, 0, 0, false).code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toContain('SMPP_DECODE');
    expect(codes).toContain('SMPP_ENCODE');
  });
});

describe('command_status names', () => {
  it('names every value by its SMPP 3.4 name, and unknown values in hex', () => {
    expect(commandStatusName(CommandStatus.ESME_RTHROTTLED)).toBe('ESME_RTHROTTLED');
    expect(commandStatusName(0xc2)).toBe('ESME_RINVPARLEN');
    expect(commandStatusName(0x400)).toBe('0x00000400');
  });
});
