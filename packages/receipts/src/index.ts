export { describeCommandStatus, receiptErrorCode } from './error-code.ts';
export { NotAReceiptError, ReceiptsError, ReceiptsErrorCode } from './errors.ts';
export {
  ESM_CLASS_DELIVERY_RECEIPT,
  isReceipt,
  RECEIPT_NETWORK_TYPE_GSM,
  type ReceiptContent,
  type ReceiptPduOptions,
  receiptContent,
  receiptDeliverSm,
} from './receipt-pdu.ts';
export { type ReceiptStatus, receiptStatus } from './receipt-status.ts';
