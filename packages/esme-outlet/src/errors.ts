/** Errors of @smsc/esme-outlet, each with a stable `code`. */
export const EsmeOutletErrorCode = {
  invalidOption: 'SMSC_ESME_OUTLET_INVALID_OPTION',
  closed: 'SMSC_ESME_OUTLET_CLOSED',
} as const;
export type EsmeOutletErrorCode = (typeof EsmeOutletErrorCode)[keyof typeof EsmeOutletErrorCode];

export class EsmeOutletError extends Error {
  readonly code: EsmeOutletErrorCode;

  constructor(code: EsmeOutletErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'EsmeOutletError';
    this.code = code;
  }
}

export class InvalidEsmeOutletOptionError extends EsmeOutletError {
  constructor(message: string) {
    super(EsmeOutletErrorCode.invalidOption, message);
    this.name = 'InvalidEsmeOutletOptionError';
  }
}

/** start() after close(). */
export class EsmeDeliveryClosedError extends EsmeOutletError {
  constructor() {
    super(EsmeOutletErrorCode.closed, 'ESME delivery is closed');
    this.name = 'EsmeDeliveryClosedError';
  }
}
