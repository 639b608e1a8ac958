import { InvalidMessageError } from './errors.ts';

/**
 * The key destinations are locked by: digits only, without `+` or a `00` international prefix,
 * so that `+4412`, `004412` and `4412` lock the same subscriber. National numbers are kept as they
 * are: turning them international needs the operator's numbering plan, which is routing's job.
 */
export function normaliseMsisdn(address: string): string {
  let digits = address.trim().replace(/[\s\-().]/g, '');
  if (digits.startsWith('+')) digits = digits.slice(1);
  else if (digits.startsWith('00')) digits = digits.slice(2);
  if (digits.length === 0) throw new InvalidMessageError('destination address is empty');
  // Alphanumeric destinations exist (short codes, test peers); keep them, lower-cased, as their own key.
  return /^\d+$/.test(digits) ? digits : digits.toLowerCase();
}
