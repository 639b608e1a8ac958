import { CommandStatus } from '@smsc/smpp';
import { describe, expect, it } from 'vitest';
import { validateDestinationAddress, validateSourceAddress } from '../../src/index.ts';

const S = CommandStatus;

describe('address checks', () => {
  it.each([
    [1, 1, '46701234567', S.ESME_ROK],
    [1, 1, '+46701234567', S.ESME_ROK],
    [0, 0, '4670', S.ESME_ROK],
    [1, 1, '', S.ESME_RINVDSTADR],
    [1, 1, '46 70', S.ESME_RINVDSTADR],
    [1, 1, '1'.repeat(21), S.ESME_RINVDSTADR],
    [5, 0, 'ACME', S.ESME_RINVDSTTON],
    [7, 1, '4670', S.ESME_RINVDSTTON],
    [1, 2, '4670', S.ESME_RINVDSTNPI],
  ])('destination ton %i npi %i %j -> %i', (ton, npi, addr, status) => {
    expect(validateDestinationAddress(ton, npi, addr)).toBe(status);
  });

  it.each([
    [1, 1, '4915100000001', S.ESME_ROK],
    [5, 0, 'ACME Ltd', S.ESME_ROK],
    [0, 0, 'ACME', S.ESME_ROK],
    [5, 0, 'ACME Limited', S.ESME_RINVSRCADR],
    [1, 1, 'ACME', S.ESME_RINVSRCADR],
    [0, 0, '   ', S.ESME_RINVSRCADR],
    [1, 1, '', S.ESME_RINVSRCADR],
    [8, 1, '4915', S.ESME_RINVSRCTON],
    [1, 7, '4915', S.ESME_RINVSRCNPI],
  ])('source ton %i npi %i %j -> %i', (ton, npi, addr, status) => {
    expect(validateSourceAddress(ton, npi, addr)).toBe(status);
  });
});
