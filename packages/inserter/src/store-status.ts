/** The command_status an ESME gets when storing failed. */
import { CommandStatus } from '@smsc/smpp';
import { InvalidMessageError, MessageTooLargeError } from '@smsc/store';

/**
 * A message the store refuses as such is the ESME's problem (its length, a field); anything else
 * (database down, timeout, closed client) is ours and temporary: ESME_RSYSERR, which ESMEs retry.
 */
export function statusForStoreError(error: unknown): number {
  if (error instanceof MessageTooLargeError) return CommandStatus.ESME_RINVMSGLEN;
  if (error instanceof InvalidMessageError) return CommandStatus.ESME_RSUBMITFAIL;
  return CommandStatus.ESME_RSYSERR;
}
