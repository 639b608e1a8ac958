export { DELIVER_SM_TLV_TAGS, toDeliverSm } from './deliver-sm.ts';
export {
  EsmeDeliveryClosedError,
  EsmeOutletError,
  EsmeOutletErrorCode,
  InvalidEsmeOutletOptionError,
} from './errors.ts';
export {
  EsmeDelivery,
  type EsmeDeliveryEvents,
  type EsmeDeliveryOptions,
  type EsmeWorkerOptions,
} from './esme-delivery.ts';
export { EsmeOutlet, type EsmeOutletOptions } from './esme-outlet.ts';
export { EsmeErrorClass, resultForError, resultForStatus, resultForUnsent, wasNeverSent } from './results.ts';
export { ESME_RETRY_CLASSES, esmeRetry } from './retry.ts';
export { esmeTarget } from './targets.ts';
