import { receiptTarget } from '@smsc/store';

/**
 * The routing target of an account's ESME sessions. The same string the store gives receipts, so
 * messages routed to an account and receipts owed to it share one outlet.
 */
export function esmeTarget(accountId: string): string {
  return receiptTarget(accountId);
}
