/** Address checks for submitted messages; each returns a command_status (ESME_ROK when fine). */
import { CommandStatus } from '@smsc/smpp';

const S = CommandStatus;

/** SMPP 3.4 §5.2.5: TON 0-6 are defined, the rest reserved. */
export function isValidTon(ton: number): boolean {
  return ton >= 0 && ton <= 6;
}

/** SMPP 3.4 §5.2.6: the defined NPI values. */
const NPI = new Set([0, 1, 3, 4, 6, 8, 9, 10, 14, 18]);
export function isValidNpi(npi: number): boolean {
  return NPI.has(npi);
}

export const TON_ALPHANUMERIC = 5;
// 3GPP TS 23.040 §9.1.2.5: an alphanumeric originator is at most 11 characters.
const ALPHANUMERIC = /^[\x20-\x7e]{1,11}$/;
// E.164 allows 15 digits; short codes and national numbers are shorter; 20 leaves room for prefixes.
const NUMBER = /^\+?\d{1,20}$/;

/** source_addr of submit_sm, data_sm, submit_multi and MO deliver_sm. */
export function validateSourceAddress(ton: number, npi: number, addr: string): number {
  if (!isValidTon(ton)) return S.ESME_RINVSRCTON;
  if (!isValidNpi(npi)) return S.ESME_RINVSRCNPI;
  if (ton === TON_ALPHANUMERIC) return ALPHANUMERIC.test(addr) ? S.ESME_ROK : S.ESME_RINVSRCADR;
  // The receipt goes back to this address, so it must be one we can deliver to later.
  if (NUMBER.test(addr)) return S.ESME_ROK;
  // TON unknown (0) is what many ESMEs send with a sender name.
  if (ton === 0 && ALPHANUMERIC.test(addr) && addr.trim() !== '') return S.ESME_ROK;
  return S.ESME_RINVSRCADR;
}

/** destination_addr (or one dest_address of submit_multi): a number we can route and lock on. */
export function validateDestinationAddress(ton: number, npi: number, addr: string): number {
  if (!isValidTon(ton) || ton === TON_ALPHANUMERIC) return S.ESME_RINVDSTTON;
  if (!isValidNpi(npi)) return S.ESME_RINVDSTNPI;
  return NUMBER.test(addr) ? S.ESME_ROK : S.ESME_RINVDSTADR;
}
