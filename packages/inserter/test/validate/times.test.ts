import { CommandStatus } from '@smsc/smpp';
import { describe, expect, it } from 'vitest';
import { checkTimes } from '../../src/index.ts';

const S = CommandStatus;
const now = new Date('2026-06-01T12:00:00Z');
const limits = { maxValidityMs: 48 * 3600_000, maxScheduleMs: 24 * 3600_000 };

describe('checkTimes', () => {
  it('leaves both empty when none are given', () => {
    expect(checkTimes('', '', now, limits)).toEqual({ status: 0 });
  });

  it('resolves relative and absolute times', () => {
    expect(checkTimes('000000010000000R', '260601180000000+', now, limits)).toEqual({
      status: 0,
      scheduledAt: new Date('2026-06-01T13:00:00Z'),
      expiresAt: new Date('2026-06-01T18:00:00Z'),
    });
  });

  it('reads a UTC offset in quarter hours (§7.1.1.1)', () => {
    // 14:00 at +08 quarter hours (UTC+2) is 12:00 UTC: already due, so no schedule.
    expect(checkTimes('260601140000008+', '', now, limits)).toEqual({ status: 0 });
  });

  it('refuses malformed or too distant schedules with ESME_RINVSCHED', () => {
    expect(checkTimes('2606011200000000', '', now, limits).status).toBe(S.ESME_RINVSCHED);
    expect(checkTimes('000002000000000R', '', now, limits).status).toBe(S.ESME_RINVSCHED);
  });

  it('refuses validities in the past or before the schedule with ESME_RINVEXPIRY', () => {
    expect(checkTimes('', '260601110000000+', now, limits).status).toBe(S.ESME_RINVEXPIRY);
    expect(checkTimes('', '261301110000000+', now, limits).status).toBe(S.ESME_RINVEXPIRY);
    expect(checkTimes('000000020000000R', '000000010000000R', now, limits).status).toBe(S.ESME_RINVEXPIRY);
  });

  it('shortens a validity beyond the maximum', () => {
    expect(checkTimes('', '000010000000000R', now, limits)).toEqual({
      status: 0,
      expiresAt: new Date(now.getTime() + limits.maxValidityMs),
    });
  });
});
