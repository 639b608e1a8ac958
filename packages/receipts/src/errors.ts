/** Errors of @smsc/receipts, each with a stable `code`. */
export const ReceiptsErrorCode = {
  notAReceipt: 'SMSC_RECEIPTS_NOT_A_RECEIPT',
} as const;
export type ReceiptsErrorCode = (typeof ReceiptsErrorCode)[keyof typeof ReceiptsErrorCode];

export class ReceiptsError extends Error {
  readonly code: ReceiptsErrorCode;

  constructor(code: ReceiptsErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ReceiptsError';
    this.code = code;
  }
}

/** The record handed over is not a receipt the store queued (kind `receipt` with `receiptOf`). */
export class NotAReceiptError extends ReceiptsError {
  constructor(id: string) {
    super(ReceiptsErrorCode.notAReceipt, `sms ${id} is not a queued receipt (kind receipt with receiptOf)`);
    this.name = 'NotAReceiptError';
  }
}
