import { describe, expect, it } from 'vitest';
import { NotAReceiptError, ReceiptsError, ReceiptsErrorCode } from '../src/index.ts';

describe('receipts errors', () => {
  it('carry a stable code listed in ReceiptsErrorCode', () => {
    const error = new NotAReceiptError('x');
    expect(error).toBeInstanceOf(ReceiptsError);
    expect(error.name).toBe('NotAReceiptError');
    expect(Object.values(ReceiptsErrorCode)).toContain(error.code);
    expect(new Set(Object.values(ReceiptsErrorCode)).size).toBe(Object.keys(ReceiptsErrorCode).length);
  });
});
