/** Checks of the one-octet flags of a message; each returns a command_status. */
import { CommandStatus } from '@smsc/smpp';

const S = CommandStatus;

/** esm_class bits 2-5, the message type (§5.2.12). */
const MESSAGE_TYPE_MASK = 0x3c;
// From an ESME: default, ESME delivery acknowledgement, ESME manual/user acknowledgement.
const SUBMIT_TYPES = new Set([0x00, 0x08, 0x10]);
// In an MO deliver_sm also: SMSC delivery receipt, conversation abort, intermediate notification.
const DELIVER_TYPES = new Set([0x00, 0x04, 0x08, 0x10, 0x18, 0x20]);

export function validateEsmClass(esmClass: number, command: string): number {
  const allowed = command === 'deliver_sm' ? DELIVER_TYPES : SUBMIT_TYPES;
  return allowed.has(esmClass & MESSAGE_TYPE_MASK) ? S.ESME_ROK : S.ESME_RINVESMCLASS;
}

/** §5.2.17: bits 1-0 value 3 and bits 7-5 are reserved. */
export function validateRegisteredDelivery(value: number): number {
  return (value & 0x03) === 0x03 || (value & 0xe0) !== 0 ? S.ESME_RINVREGDLVFLG : S.ESME_ROK;
}

/** §5.2.14: priority 0-3. */
export function validatePriority(value: number): number {
  return value > 3 ? S.ESME_RINVPRTFLG : S.ESME_ROK;
}

/** §5.2.18: 0 don't replace, 1 replace. */
export function validateReplaceIfPresent(value: number): number {
  return value > 1 ? S.ESME_RINVREPFLAG : S.ESME_ROK;
}

/**
 * §5.2.19: values 0x0B, 0x0C, 0x0F and the 3GPP TS 23.038 coding groups 0x80-0xBF are reserved;
 * SMPP 3.4 has no status of its own for them, so they get ESME_RSUBMITFAIL.
 */
export function validateDataCoding(value: number): number {
  const reserved = value === 0x0b || value === 0x0c || value === 0x0f || (value >= 0x80 && value <= 0xbf);
  return reserved ? S.ESME_RSUBMITFAIL : S.ESME_ROK;
}
