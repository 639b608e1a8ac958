/** schedule_delivery_time and validity_period (§5.2.15-16, formats §7.1.1). */
import { CommandStatus, resolveSmppTime } from '@smsc/smpp';

const S = CommandStatus;

export interface TimeLimits {
  /** Longest validity accepted; a longer one is shortened to this (the SMSC may cap it, §5.2.16). */
  maxValidityMs: number;
  /** Latest schedule accepted, from now. */
  maxScheduleMs: number;
}

export type TimeCheck = { status: number } | { status: 0; scheduledAt?: Date; expiresAt?: Date };

function resolve(value: string, now: Date): Date | null | undefined {
  try {
    return resolveSmppTime(value, now);
  } catch {
    return undefined;
  }
}

export function checkTimes(schedule: string, validity: string, now: Date, limits: TimeLimits): TimeCheck {
  const scheduledAt = resolve(schedule, now);
  if (scheduledAt === undefined) return { status: S.ESME_RINVSCHED };
  if (scheduledAt && scheduledAt.getTime() - now.getTime() > limits.maxScheduleMs)
    return { status: S.ESME_RINVSCHED };
  let expiresAt = resolve(validity, now);
  if (expiresAt === undefined) return { status: S.ESME_RINVEXPIRY };
  if (expiresAt) {
    if (expiresAt <= now) return { status: S.ESME_RINVEXPIRY };
    // A message that would expire before its first attempt is refused rather than stored to expire.
    if (scheduledAt && expiresAt <= scheduledAt) return { status: S.ESME_RINVEXPIRY };
    const cap = new Date(now.getTime() + limits.maxValidityMs);
    if (expiresAt > cap) expiresAt = cap;
  }
  const out: { status: 0; scheduledAt?: Date; expiresAt?: Date } = { status: 0 };
  if (scheduledAt && scheduledAt > now) out.scheduledAt = scheduledAt;
  if (expiresAt) out.expiresAt = expiresAt;
  return out;
}
