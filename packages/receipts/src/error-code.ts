/**
 * The `err:` value of a receipt and the error code of its network_error_code TLV (SMPP 3.4
 * §5.3.2.31). Outlets record failures as text; an SMPP command_status in that text (`0x00000065`,
 * written by the ESME outlet and connectors) is the most useful number to give back, so it is the
 * one reported. Anything else is 0: Appendix B leaves the codes to the SMSC.
 */
const STATUS_IN_TEXT = /\bcommand_status 0x([0-9a-f]{1,8})\b/i;

export function receiptErrorCode(error: string | undefined): number {
  if (!error) return 0;
  const m = STATUS_IN_TEXT.exec(error);
  if (!m) return 0;
  // network_error_code carries two octets (§5.3.2.31).
  return Math.min(Number.parseInt(m[1]!, 16), 0xffff);
}

/** How outlets write an SMPP status into an error text so that receipts can report it. */
export function describeCommandStatus(status: number, name?: string): string {
  const hex = `0x${status.toString(16).padStart(8, '0')}`;
  return name ? `command_status ${hex} (${name})` : `command_status ${hex}`;
}
