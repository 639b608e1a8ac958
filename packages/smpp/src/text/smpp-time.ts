import { SmppTimeError } from './errors.ts';

/** A `schedule_delivery_time` / `validity_period` value (SMPP 3.4 §7.1.1). */
export type SmppTime = AbsoluteSmppTime | RelativeSmppTime;

export interface AbsoluteSmppTime {
  kind: 'absolute';
  /** The instant, in UTC. */
  date: Date;
  /** Tenths of a second, 0-9 (already included in `date`). */
  tenths: number;
  /** The sender's offset from UTC in quarter hours, -48..48 (already applied to `date`). */
  offsetQuarterHours: number;
}

/** Calendar units to add to "now" (§7.1.1.2): each field is a two-digit count. */
export interface RelativeSmppTime {
  kind: 'relative';
  years: number;
  months: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const QUARTER_HOUR_MS = 15 * 60_000;
const DIGITS = /^\d{15}$/;
const RELATIVE_FIELDS = ['years', 'months', 'days', 'hours', 'minutes', 'seconds'] as const;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fail(message: string, field: string, value: string): never {
  throw new SmppTimeError(`${message} in SMPP time ${JSON.stringify(value)}`, field, value);
}

/** Two-digit years are 2000-2099: SMPP 3.4 does not say, and no date before 2000 is useful. */
const CENTURY = 2000;

/**
 * Reads an SMPP time string `YYMMDDhhmmsstnnp` (p `+`/`-`: absolute with nn quarter hours of offset
 * from UTC; p `R`: relative, `YYMMDDhhmmss000R`). The empty string means "none" and gives null.
 * Throws `SmppTimeError` saying which field is wrong.
 */
export function parseSmppTime(value: string): SmppTime | null {
  if (value === '') return null;
  if (value.length !== 16) fail(`expected 16 characters, got ${value.length}`, 'length', value);
  const digits = value.slice(0, 15);
  if (!DIGITS.test(digits)) fail('the first 15 characters must be digits', 'digits', value);
  const n = (i: number) => Number(digits.slice(i, i + 2));
  const p = value[15];
  if (p === 'R') {
    if (digits.slice(12) !== '000')
      fail('a relative time must end in 000R (SMPP 3.4 §7.1.1.2)', 'relative', value);
    return {
      kind: 'relative',
      years: n(0),
      months: n(2),
      days: n(4),
      hours: n(6),
      minutes: n(8),
      seconds: n(10),
    };
  }
  if (p !== '+' && p !== '-')
    fail(`the last character must be '+', '-' or 'R', got ${JSON.stringify(p)}`, 'sign', value);
  const year = CENTURY + n(0);
  const month = n(2);
  const day = n(4);
  const hour = n(6);
  const minute = n(8);
  const second = n(10);
  const tenths = Number(digits[12]);
  const quarters = n(13);
  if (month < 1 || month > 12) fail(`month ${month} is not 01-12`, 'month', value);
  const dim = daysInMonth(year, month);
  if (day < 1 || day > dim)
    fail(`day ${day} is not 01-${dim} for ${year}-${String(month).padStart(2, '0')}`, 'day', value);
  if (hour > 23) fail(`hour ${hour} is not 00-23`, 'hour', value);
  if (minute > 59) fail(`minute ${minute} is not 00-59`, 'minute', value);
  if (second > 59) fail(`second ${second} is not 00-59`, 'second', value);
  if (quarters > 48) fail(`UTC offset ${quarters} quarter hours is not 00-48`, 'offset', value);
  const offset = p === '-' ? -quarters : quarters;
  // The fields are local time at the given offset: UTC = local - offset.
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, tenths * 100) - offset * QUARTER_HOUR_MS;
  return { kind: 'absolute', date: new Date(ms), tenths, offsetQuarterHours: offset === 0 ? 0 : offset };
}

/**
 * Adds relative units to `now` on the UTC calendar: years and months first, with the day clamped to
 * the month's last (Jan 31 + 1 month = Feb 28/29), then days, hours, minutes and seconds.
 */
export function addRelativeTime(now: Date | number, relative: Omit<RelativeSmppTime, 'kind'>): Date {
  const base = new Date(typeof now === 'number' ? now : now.getTime());
  const totalMonths = base.getUTCMonth() + relative.months + 12 * relative.years;
  const year = base.getUTCFullYear() + Math.floor(totalMonths / 12);
  const month = ((totalMonths % 12) + 12) % 12;
  const day = Math.min(base.getUTCDate(), daysInMonth(year, month + 1));
  const shifted = Date.UTC(
    year,
    month,
    day,
    base.getUTCHours(),
    base.getUTCMinutes(),
    base.getUTCSeconds(),
    base.getUTCMilliseconds(),
  );
  const rest =
    ((relative.days * 24 + relative.hours) * 60 + relative.minutes) * 60_000 + relative.seconds * 1000;
  return new Date(shifted + rest);
}

/**
 * The instant an SMPP time string (or parsed value) names, relative ones counted from `now`.
 * Null for the empty string ("none"). Throws `SmppTimeError` on a malformed string.
 */
export function resolveSmppTime(value: string | SmppTime | null, now: Date | number): Date | null {
  const t = typeof value === 'string' ? parseSmppTime(value) : value;
  if (t === null) return null;
  if (t.kind === 'absolute') return new Date(t.date.getTime());
  return addRelativeTime(now, t);
}

const pad2 = (v: number) => String(v).padStart(2, '0');

/**
 * Formats an instant as an absolute SMPP time, written in local time at `offsetQuarterHours` from
 * UTC (default 0, i.e. `...000+`... in UTC). Throws `SmppTimeError` outside 2000-2099 or for a bad offset.
 */
export function formatSmppAbsoluteTime(date: Date, offsetQuarterHours = 0): string {
  if (!Number.isInteger(offsetQuarterHours) || Math.abs(offsetQuarterHours) > 48) {
    throw new SmppTimeError(`UTC offset ${offsetQuarterHours} is not -48..48 quarter hours`, 'offset', '');
  }
  const local = new Date(date.getTime() + offsetQuarterHours * QUARTER_HOUR_MS);
  const year = local.getUTCFullYear();
  if (Number.isNaN(year) || year < CENTURY || year > CENTURY + 99) {
    throw new SmppTimeError(`year ${year} cannot be written as YY (2000-2099)`, 'year', '');
  }
  return (
    pad2(year - CENTURY) +
    pad2(local.getUTCMonth() + 1) +
    pad2(local.getUTCDate()) +
    pad2(local.getUTCHours()) +
    pad2(local.getUTCMinutes()) +
    pad2(local.getUTCSeconds()) +
    String(Math.floor(local.getUTCMilliseconds() / 100)) +
    pad2(Math.abs(offsetQuarterHours)) +
    (offsetQuarterHours < 0 ? '-' : '+')
  );
}

/** Formats relative units as `YYMMDDhhmmss000R`; each must be an integer 0-99. */
export function formatSmppRelativeTime(relative: Omit<RelativeSmppTime, 'kind'>): string {
  let out = '';
  for (const field of RELATIVE_FIELDS) {
    const v = relative[field];
    if (!Number.isInteger(v) || v < 0 || v > 99) {
      throw new SmppTimeError(`relative ${field} ${v} is not 0-99`, field, '');
    }
    out += pad2(v);
  }
  return `${out}000R`;
}

/** Formats a parsed value back to its string (the inverse of `parseSmppTime`; null gives ''). */
export function formatSmppTime(time: SmppTime | null): string {
  if (time === null) return '';
  if (time.kind === 'relative') return formatSmppRelativeTime(time);
  return formatSmppAbsoluteTime(time.date, time.offsetQuarterHours);
}
