/**
 * Every check of a submitted message except its destination, in the order a peer would expect the
 * first error to be reported; pure, returns a command_status or the parts of a QueueInput.
 */
import type { Tlvs } from '@smsc/smpp';
import type { PayloadInput } from '@smsc/store';
import { tlvsToRaw } from '../tlv-bytes.ts';
import { validateSourceAddress } from './address.ts';
import { checkContent, type SegmentInfo } from './content.ts';
import {
  validateDataCoding,
  validateEsmClass,
  validatePriority,
  validateRegisteredDelivery,
  validateReplaceIfPresent,
} from './flags.ts';
import { checkTimes, type TimeLimits } from './times.ts';

/** The message fields common to submit_sm, submit_multi, deliver_sm and data_sm. */
export interface MessageFields {
  command: 'submit_sm' | 'submit_multi' | 'deliver_sm' | 'data_sm';
  serviceType: string;
  sourceAddrTon: number;
  sourceAddrNpi: number;
  sourceAddr: string;
  esmClass: number;
  protocolId: number;
  priorityFlag: number;
  scheduleDeliveryTime: string;
  validityPeriod: string;
  registeredDelivery: number;
  replaceIfPresentFlag: number;
  dataCoding: number;
  smDefaultMsgId: number;
  shortMessage: Buffer;
  tlvs?: Tlvs;
}

export interface MessageLimits extends TimeLimits {
  /** Largest content (short_message or message_payload) in octets. */
  maxMessageBytes: number;
}

/** A message that passed every check, waiting for its destination, route and account. */
export interface CheckedMessage {
  payload: Omit<PayloadInput, 'destination'>;
  scheduledAt?: Date;
  expiresAt?: Date;
  segment?: SegmentInfo;
}

export type MessageCheck = { status: number } | { status: 0; message: CheckedMessage };

export function checkMessage(m: MessageFields, now: Date, limits: MessageLimits): MessageCheck {
  const flagChecks = [
    validateSourceAddress(m.sourceAddrTon, m.sourceAddrNpi, m.sourceAddr),
    validateEsmClass(m.esmClass, m.command),
    validatePriority(m.priorityFlag),
    validateRegisteredDelivery(m.registeredDelivery),
    validateReplaceIfPresent(m.replaceIfPresentFlag),
    validateDataCoding(m.dataCoding),
  ];
  for (const status of flagChecks) if (status !== 0) return { status };
  const content = checkContent(m.shortMessage, m.tlvs, m.esmClass, m.dataCoding, limits.maxMessageBytes);
  if (content.status !== 0 || !('content' in content)) return { status: content.status };
  const times = checkTimes(m.scheduleDeliveryTime, m.validityPeriod, now, limits);
  if (times.status !== 0 || !('status' in times)) return { status: times.status };
  const message: CheckedMessage = {
    payload: {
      command: m.command,
      serviceType: m.serviceType,
      source: { ton: m.sourceAddrTon, npi: m.sourceAddrNpi, addr: m.sourceAddr },
      esmClass: m.esmClass,
      protocolId: m.protocolId,
      priorityFlag: m.priorityFlag,
      registeredDelivery: m.registeredDelivery,
      replaceIfPresent: m.replaceIfPresentFlag,
      dataCoding: m.dataCoding,
      smDefaultMsgId: m.smDefaultMsgId,
      shortMessage: m.shortMessage,
      tlvs: tlvsToRaw(m.tlvs),
    },
  };
  if ('scheduledAt' in times && times.scheduledAt) message.scheduledAt = times.scheduledAt;
  if ('expiresAt' in times && times.expiresAt) message.expiresAt = times.expiresAt;
  if (content.segment) message.segment = content.segment;
  return { status: 0, message };
}
