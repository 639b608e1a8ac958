import { describe, expect, it } from 'vitest';
import {
  addRelativeTime,
  formatSmppAbsoluteTime,
  formatSmppRelativeTime,
  formatSmppTime,
  parseSmppTime,
  resolveSmppTime,
  SmppTimeError,
} from '../../src/text/index.ts';

const NOW = new Date('2026-01-15T10:00:00.000Z');

describe('parseSmppTime: absolute', () => {
  it.each([
    ['260315143000000+', '2026-03-15T14:30:00.000Z', 0, 0],
    ['260315143000004+', '2026-03-15T13:30:00.000Z', 0, 4],
    ['260315143000508-', '2026-03-15T16:30:00.500Z', 5, -8],
    ['260315143000948+', '2026-03-15T02:30:00.900Z', 9, 48],
    ['000101000000000+', '2000-01-01T00:00:00.000Z', 0, 0],
    ['991231235959948-', '2100-01-01T11:59:59.900Z', 9, -48],
    ['280229120000000+', '2028-02-29T12:00:00.000Z', 0, 0],
    ['260315143000000-', '2026-03-15T14:30:00.000Z', 0, 0],
  ])('reads %s as %s (tenths %i, offset %i quarter hours)', (value, iso, tenths, offset) => {
    const t = parseSmppTime(value);
    expect(t).toEqual({ kind: 'absolute', date: new Date(iso), tenths, offsetQuarterHours: offset });
    expect(resolveSmppTime(value, NOW)!.toISOString()).toBe(iso);
  });

  it('reads the empty string as no time', () => {
    expect(parseSmppTime('')).toBeNull();
    expect(resolveSmppTime('', NOW)).toBeNull();
    expect(formatSmppTime(null)).toBe('');
  });
});

describe('parseSmppTime: relative', () => {
  it('reads the specification example 020610233429000R', () => {
    expect(parseSmppTime('020610233429000R')).toEqual({
      kind: 'relative',
      years: 2,
      months: 6,
      days: 10,
      hours: 23,
      minutes: 34,
      seconds: 29,
    });
    // 2026-01-15 10:00 + 2y6m = 2028-07-15 10:00, + 10d = 07-25, + 23:34:29 = 07-26 09:34:29.
    expect(resolveSmppTime('020610233429000R', NOW)!.toISOString()).toBe('2028-07-26T09:34:29.000Z');
  });

  it.each([
    ['000000000000000R', '2026-01-31T00:00:00.000Z', '2026-01-31T00:00:00.000Z'],
    ['000100000000000R', '2026-01-31T00:00:00.000Z', '2026-02-28T00:00:00.000Z'],
    ['000100000000000R', '2028-01-31T00:00:00.000Z', '2028-02-29T00:00:00.000Z'],
    ['010000000000000R', '2028-02-29T08:00:00.000Z', '2029-02-28T08:00:00.000Z'],
    ['001100000000000R', '2026-03-31T00:00:00.000Z', '2027-02-28T00:00:00.000Z'],
    ['000001000000000R', '2026-12-31T23:00:00.000Z', '2027-01-01T23:00:00.000Z'],
    ['000000480000000R', '2026-01-01T00:00:00.000Z', '2026-01-03T00:00:00.000Z'],
    ['000000009999000R', '2026-01-01T00:00:00.000Z', '2026-01-01T01:40:39.000Z'],
  ])('adds %s to %s on the calendar, giving %s', (value, now, expected) => {
    expect(resolveSmppTime(value, new Date(now))!.toISOString()).toBe(expected);
  });

  it('accepts a millisecond timestamp as now', () => {
    expect(resolveSmppTime('000000000001000R', NOW.getTime())!.getTime()).toBe(NOW.getTime() + 1000);
  });

  it('leaves now untouched', () => {
    const now = new Date(NOW);
    addRelativeTime(now, { years: 1, months: 1, days: 1, hours: 1, minutes: 1, seconds: 1 });
    expect(now.getTime()).toBe(NOW.getTime());
  });
});

describe('parseSmppTime: errors', () => {
  it.each([
    ['2603151430000+', 'length'],
    ['2603151430000000+', 'length'],
    ['26031514300a000+', 'digits'],
    ['260315143000000Z', 'sign'],
    ['261315143000000+', 'month'],
    ['260015143000000+', 'month'],
    ['260230143000000+', 'day'],
    ['260229143000000+', 'day'],
    ['260300143000000+', 'day'],
    ['260315243000000+', 'hour'],
    ['260315146000000+', 'minute'],
    ['260315143060000+', 'second'],
    ['260315143000049+', 'offset'],
    ['020610233429100R', 'relative'],
    ['020610233429004R', 'relative'],
  ])('rejects %s naming the %s field', (value, field) => {
    let error: unknown;
    try {
      parseSmppTime(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SmppTimeError);
    expect(error).toMatchObject({ code: 'SMPP_TIME', field, value });
    expect((error as Error).message).toContain(value);
  });

  it('lets resolveSmppTime throw the same error', () => {
    expect(() => resolveSmppTime('bad', NOW)).toThrow(SmppTimeError);
  });
});

describe('formatting SMPP times', () => {
  it.each([
    ['2026-03-15T13:30:00.500Z', 4, '260315143000504+'],
    ['2026-03-15T13:30:00.000Z', 0, '260315133000000+'],
    ['2026-03-15T16:30:00.999Z', -8, '260315143000908-'],
    ['2026-01-01T00:00:00.000Z', -4, '251231230000004-'],
  ])('writes %s at offset %i as %s', (iso, offset, expected) => {
    expect(formatSmppAbsoluteTime(new Date(iso), offset)).toBe(expected);
  });

  it('round-trips absolute and relative strings', () => {
    for (const s of [
      '260315143000504+',
      '251231230000948-',
      '020610233429000R',
      '000000000001000R',
      '990000000000000R',
    ]) {
      expect(formatSmppTime(parseSmppTime(s))).toBe(s);
    }
  });

  it('refuses what cannot be written', () => {
    expect(() => formatSmppAbsoluteTime(new Date('2100-01-01T00:00:00Z'))).toThrow(SmppTimeError);
    expect(() => formatSmppAbsoluteTime(new Date('1999-12-31T23:59:59Z'))).toThrow(SmppTimeError);
    expect(() => formatSmppAbsoluteTime(new Date(Number.NaN))).toThrow(SmppTimeError);
    expect(() => formatSmppAbsoluteTime(new Date(), 49)).toThrow(SmppTimeError);
    expect(() =>
      formatSmppRelativeTime({ years: 0, months: 0, days: 100, hours: 0, minutes: 0, seconds: 0 }),
    ).toThrow(/days 100/);
    expect(formatSmppRelativeTime({ years: 0, months: 0, days: 1, hours: 2, minutes: 3, seconds: 4 })).toBe(
      '000001020304000R',
    );
  });
});
