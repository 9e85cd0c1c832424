import { describe, expect, it } from 'vitest';
import { seededRandom } from '../util/seeded-random';
import type { Limit } from '../model';
import { addDays, parseIso, shanghaiDate, shanghaiMidnight, toIso } from '../time/shanghai';
import { DEFAULT_OFFICE_HOURS, HOLIDAY_DATA_YEARS, WorkCalendar, checkLimit, measureOf } from './calendar';

const at = (local: string): number => parseIso(`${local}+08:00`);
const iso = (ms: number): string => toIso(ms).slice(0, 19);
const cal = new WorkCalendar();

/** Deterministic PRNG: the property tests are seeded, not random. */
const rng = seededRandom;

describe('office hours validation', () => {
  it('defaults to the township day, 390 working minutes', () => {
    expect(cal.periods).toEqual([
      [510, 720],
      [870, 1050],
    ]);
    expect(cal.workdayMinutes).toBe(390);
    expect(DEFAULT_OFFICE_HOURS[0]).toEqual({ start: '08:30', end: '12:00' });
  });
  it('rejects malformed times', () => {
    expect(() => new WorkCalendar({ officeHours: [{ start: '8:30', end: '12:00' }] })).toThrow(/办公时间格式错误: "8:30"/);
    expect(() => new WorkCalendar({ officeHours: [{ start: '08:30', end: '25:00' }] })).toThrow(RangeError);
    expect(() => new WorkCalendar({ officeHours: [{ start: '08:60', end: '12:00' }] })).toThrow(/HH:MM/);
    expect(() => new WorkCalendar({ officeHours: [{ start: '24:00', end: '24:00' }] })).toThrow(/"24:00"/);
  });
  it('rejects an empty list, reversed, overlapping and unsorted periods', () => {
    expect(() => new WorkCalendar({ officeHours: [] })).toThrow(/不能为空/);
    expect(() => new WorkCalendar({ officeHours: [{ start: '12:00', end: '08:30' }] })).toThrow(/12:00-08:30 无效/);
    expect(() => new WorkCalendar({ officeHours: [{ start: '09:00', end: '09:00' }] })).toThrow(/结束时间应晚于开始时间/);
    expect(
      () =>
        new WorkCalendar({
          officeHours: [
            { start: '08:30', end: '12:00' },
            { start: '11:30', end: '17:30' },
          ],
        }),
    ).toThrow(/11:30-17:30 与前一时段重叠/);
    expect(
      () =>
        new WorkCalendar({
          officeHours: [
            { start: '14:30', end: '17:30' },
            { start: '08:30', end: '12:00' },
          ],
        }),
    ).toThrow(/未按时间先后排列/);
  });
  it('accepts touching periods and a whole day ending at 24:00', () => {
    const c = new WorkCalendar({
      officeHours: [
        { start: '00:00', end: '12:00' },
        { start: '12:00', end: '24:00' },
      ],
    });
    expect(c.workdayMinutes).toBe(1440);
  });
  it('rejects bad override dates and contradictory overrides', () => {
    expect(() => new WorkCalendar({ holidays: ['2026-02-30'] })).toThrow(/节假日覆盖表: 不是有效日期 "2026-02-30"/);
    expect(() => new WorkCalendar({ workdays: ['2026/02/01'] })).toThrow(/调休上班覆盖表/);
    expect(() => new WorkCalendar({ holidays: ['2027-02-08'], workdays: ['2027-02-08'] })).toThrow(/2027-02-08 同时列为节假日和工作日/);
  });
  it('rejects bad dates, times and limits in calls', () => {
    expect(() => cal.isWorkday('2026-13-01')).toThrow(/不是有效日期/);
    expect(() => cal.dayKind('tomorrow')).toThrow(RangeError);
    expect(() => cal.addLimit(Number.NaN, { value: 1, unit: 'hours' })).toThrow(/not a time/);
    expect(() => cal.addLimit(0, { value: -1, unit: 'hours' })).toThrow(/非负数/);
    expect(() => cal.addLimit(0, { value: 1.5, unit: 'workDays' })).toThrow(/应为整数/);
    expect(() => checkLimit({ value: 1, unit: 'weeks' as never })).toThrow(/单位无效/);
    expect(() => cal.addMinutes(0, Number.POSITIVE_INFINITY, 'workHours')).toThrow(/not a number/);
    expect(() => cal.measure(0, Number.NaN, 'minutes')).toThrow(/not a time/);
  });
});

describe('working days', () => {
  it('knows the 2026 Spring Festival and its swapped Saturdays', () => {
    expect(cal.dayKind('2026-02-13')).toBe('workday');
    expect(cal.dayKind('2026-02-14')).toBe('swappedWorkday');
    expect(cal.isWorkday('2026-02-14')).toBe(true);
    for (let d = '2026-02-15'; d <= '2026-02-23'; d = addDays(d, 1)) {
      expect(cal.dayKind(d), d).toBe('holiday');
      expect(cal.isWorkday(d), d).toBe(false);
    }
    expect(cal.dayKind('2026-02-24')).toBe('workday');
    expect(cal.dayKind('2026-02-28')).toBe('swappedWorkday');
    expect(cal.dayKind('2026-03-01')).toBe('weekend');
    expect(cal.holidayName('2026-02-17')).toBe('春节');
    expect(cal.holidayName('2026-02-14')).toBe('春节');
    expect(cal.holidayName('2026-03-02')).toBeNull();
  });
  it('knows National Day 2026 and its two worked weekend days', () => {
    expect(cal.dayKind('2026-09-20')).toBe('swappedWorkday');
    for (let d = '2026-10-01'; d <= '2026-10-07'; d = addDays(d, 1)) expect(cal.dayKind(d), d).toBe('holiday');
    expect(cal.dayKind('2026-10-08')).toBe('workday');
    expect(cal.dayKind('2026-10-10')).toBe('swappedWorkday');
    expect(cal.dayKind('2026-10-11')).toBe('weekend');
    expect(cal.holidayName('2026-10-03')).toBe('国庆节');
  });
  it('treats ordinary weekends as weekends and counts 248 working days in 2026', () => {
    expect(cal.dayKind('2026-03-07')).toBe('weekend');
    expect(cal.dayKind('2026-03-08')).toBe('weekend');
    expect(cal.dayKind('2026-03-09')).toBe('workday');
    let n = 0;
    for (let d = '2026-01-01'; d <= '2026-12-31'; d = addDays(d, 1)) if (cal.isWorkday(d)) n++;
    expect(n).toBe(248);
  });
  it('treats years beyond the data as plain weekends', () => {
    expect(HOLIDAY_DATA_YEARS.last).toBe(2026);
    expect(HOLIDAY_DATA_YEARS.first).toBeLessThanOrEqual(2010);
    expect(cal.dayKind('2027-02-08')).toBe('workday'); // around the 2027 Spring Festival, unknown yet
    expect(cal.dayKind('2027-10-01')).toBe('workday');
    expect(cal.dayKind('2027-10-02')).toBe('weekend');
  });
  it('lets the override table win over the package data', () => {
    const c = new WorkCalendar({
      holidays: ['2026-02-24', '2026-02-14', '2027-10-01'],
      workdays: ['2026-02-16', '2026-03-02', '2027-10-09'],
    });
    expect(c.dayKind('2026-02-24')).toBe('holiday');
    expect(c.dayKind('2026-02-14')).toBe('holiday');
    expect(c.dayKind('2026-02-16')).toBe('swappedWorkday');
    expect(c.dayKind('2026-03-02')).toBe('workday');
    expect(c.dayKind('2027-10-01')).toBe('holiday');
    expect(c.dayKind('2027-10-09')).toBe('swappedWorkday');
    expect(c.nextWorkday('2026-02-13')).toBe('2026-02-16');
    expect(c.nextWorkday('2026-02-16')).toBe('2026-02-25');
  });
  it('finds the next working day strictly after a date', () => {
    expect(cal.nextWorkday('2026-02-13')).toBe('2026-02-14');
    expect(cal.nextWorkday('2026-02-14')).toBe('2026-02-24');
    expect(cal.nextWorkday('2026-09-30')).toBe('2026-10-08');
    expect(cal.nextWorkday('2026-03-06')).toBe('2026-03-09');
    expect(cal.nextWorkday('2026-12-31')).toBe('2027-01-01'); // beyond the data: not known as 元旦 yet
  });
});

describe('natural units', () => {
  it('adds minutes, hours and days of natural time, holidays included', () => {
    expect(measureOf('hours')).toBe('natural');
    expect(measureOf('workDays')).toBe('working');
    expect(iso(cal.addLimit(at('2026-02-16T23:00:00'), { value: 2, unit: 'hours' }))).toBe('2026-02-17T01:00:00');
    expect(iso(cal.addLimit(at('2026-02-13T16:00:00'), { value: 3, unit: 'days' }))).toBe('2026-02-16T16:00:00');
    expect(iso(cal.addLimit(at('2026-02-13T16:50:00'), { value: 15, unit: 'minutes' }))).toBe('2026-02-13T17:05:00');
    expect(cal.measure(at('2026-02-13T16:00:00'), at('2026-02-16T16:00:00'), 'days')).toBe(4320);
    expect(cal.limitMinutes(at('2026-02-13T16:00:00'), { value: 1.5, unit: 'hours' })).toBe(90);
    expect(iso(cal.addMinutes(at('2026-02-13T16:00:00'), -30, 'minutes'))).toBe('2026-02-13T15:30:00');
  });
  it('returns the start for a zero limit', () => {
    const s = at('2026-02-15T03:00:00');
    expect(cal.addLimit(s, { value: 0, unit: 'workDays' })).toBe(s);
    expect(cal.addLimit(s, { value: 0, unit: 'workHours' })).toBe(s);
    expect(cal.addMinutes(s, 0, 'workHours')).toBe(s);
  });
});

describe('working hours', () => {
  const wh = (start: string, hours: number): string => iso(cal.addLimit(at(start), { value: hours, unit: 'workHours' }));
  it('skips the lunch break, and stops at 12:00 rather than 14:30', () => {
    expect(wh('2026-03-02T11:00:00', 2)).toBe('2026-03-02T15:30:00');
    expect(wh('2026-03-02T11:00:00', 1)).toBe('2026-03-02T12:00:00');
    expect(wh('2026-03-02T13:00:00', 1)).toBe('2026-03-02T15:30:00');
    expect(cal.measure(at('2026-03-02T11:00:00'), at('2026-03-02T15:30:00'), 'workHours')).toBe(120);
    expect(cal.measure(at('2026-03-02T11:00:00'), at('2026-03-02T15:30:00'), 'hours')).toBe(270);
  });
  it('skips the night, counting a start outside office hours from the next period', () => {
    expect(wh('2026-03-03T17:00:00', 2)).toBe('2026-03-04T10:00:00');
    expect(wh('2026-03-03T07:00:00', 1)).toBe('2026-03-03T09:30:00');
    expect(wh('2026-03-03T20:00:00', 1)).toBe('2026-03-04T09:30:00');
    expect(wh('2026-03-03T17:30:00', 0.5)).toBe('2026-03-04T09:00:00');
  });
  it('skips a weekend', () => {
    expect(wh('2026-03-06T17:00:00', 2)).toBe('2026-03-09T10:00:00');
    expect(cal.measure(at('2026-03-06T17:00:00'), at('2026-03-09T10:00:00'), 'workHours')).toBe(120);
  });
  it('works the swapped Saturday and jumps the whole Spring Festival', () => {
    expect(wh('2026-02-13T16:00:00', 8)).toBe('2026-02-14T17:30:00');
    expect(wh('2026-02-14T16:00:00', 2)).toBe('2026-02-24T09:00:00');
    expect(wh('2026-02-14T16:00:00', 8)).toBe('2026-02-24T17:30:00');
    expect(wh('2026-02-17T10:00:00', 1)).toBe('2026-02-24T09:30:00');
    expect(cal.measure(at('2026-02-13T09:00:00'), at('2026-02-24T09:00:00'), 'workHours')).toBe(780);
    expect(cal.measure(at('2026-02-24T09:00:00'), at('2026-02-13T09:00:00'), 'workHours')).toBe(-780);
  });
  it('goes back in working time with negative minutes', () => {
    expect(iso(cal.addMinutes(at('2026-02-24T09:00:00'), -60, 'workHours'))).toBe('2026-02-14T17:00:00');
    expect(iso(cal.addMinutes(at('2026-03-02T15:00:00'), -60, 'workHours'))).toBe('2026-03-02T11:30:00');
    expect(iso(cal.addMinutes(at('2026-03-02T14:30:00'), -210, 'workHours'))).toBe('2026-03-02T08:30:00');
    expect(iso(cal.addMinutes(at('2026-03-09T08:00:00'), -30, 'workDays'))).toBe('2026-03-06T17:00:00');
  });
  it('uses custom office hours', () => {
    const allDay = new WorkCalendar({ officeHours: [{ start: '00:00', end: '24:00' }] });
    expect(iso(allDay.addLimit(at('2026-03-06T20:00:00'), { value: 8, unit: 'workHours' }))).toBe('2026-03-09T04:00:00');
    expect(iso(allDay.addLimit(at('2026-03-06T20:00:00'), { value: 1, unit: 'workDays' }))).toBe('2026-03-10T00:00:00');
  });
});

describe('working days (the starting day is not counted)', () => {
  const wd = (start: string, days: number): string => iso(cal.addLimit(at(start), { value: days, unit: 'workDays' }));
  it('ends at the end of office of the n-th working day after the start date', () => {
    expect(wd('2026-03-02T09:00:00', 1)).toBe('2026-03-03T17:30:00');
    expect(wd('2026-03-02T20:00:00', 1)).toBe('2026-03-03T17:30:00');
    expect(wd('2026-03-02T00:10:00', 1)).toBe('2026-03-03T17:30:00');
    expect(wd('2026-03-07T10:00:00', 1)).toBe('2026-03-09T17:30:00');
    expect(wd('2026-03-06T10:00:00', 5)).toBe('2026-03-13T17:30:00');
  });
  it('crosses the Spring Festival and National Day', () => {
    expect(wd('2026-02-12T10:00:00', 3)).toBe('2026-02-24T17:30:00');
    expect(wd('2026-02-13T09:00:00', 1)).toBe('2026-02-14T17:30:00');
    expect(wd('2026-09-30T10:00:00', 5)).toBe('2026-10-13T17:30:00');
    expect(wd('2026-09-18T10:00:00', 1)).toBe('2026-09-20T17:30:00');
  });
  it('counts the rest of the start day plus whole working days in limitMinutes', () => {
    expect(cal.limitMinutes(at('2026-03-02T09:00:00'), { value: 1, unit: 'workDays' })).toBe(360 + 390);
    expect(cal.limitMinutes(at('2026-02-12T10:00:00'), { value: 3, unit: 'workDays' })).toBe(300 + 3 * 390);
    expect(cal.limitMinutes(at('2026-03-07T10:00:00'), { value: 2, unit: 'workDays' })).toBe(2 * 390);
  });
  // Speed is a benchmark's business (npm run bench), not a timed test's: here only the results.
  it('adds 30 working days across National Day and measures a whole month', () => {
    const c = new WorkCalendar(); // no warm cache
    expect(iso(c.addLimit(at('2026-09-01T10:00:00'), { value: 30, unit: 'workDays' }))).toBe('2026-10-19T17:30:00');
    expect(c.measure(at('2026-03-01T00:00:00'), at('2026-04-01T00:00:00'), 'workHours')).toBe(22 * 390);
  });
});

describe('measure is the inverse of addLimit (seeded property test)', () => {
  const from = at('2025-12-01T00:00:00');
  const span = at('2027-03-01T00:00:00') - from;
  const next = rng(20261128);
  const starts = Array.from({ length: 1500 }, () => from + Math.floor((next() * span) / 60_000) * 60_000);

  it('workHours: measure(s, addLimit(s, l)) equals the limit in minutes', () => {
    for (const s of starts) {
      const l: Limit = { value: Math.floor(next() * 160) / 2, unit: 'workHours' };
      const due = cal.addLimit(s, l);
      expect(cal.measure(s, due, 'workHours'), `${toIso(s)} + ${l.value}h`).toBe(l.value * 60);
      expect(cal.limitMinutes(s, l)).toBe(l.value * 60);
      expect(due).toBeGreaterThanOrEqual(s);
    }
  });
  it('workDays: due at 17:30 on a working day; limitMinutes = rest of the start day + n days', () => {
    for (const s of starts) {
      const l: Limit = { value: 1 + Math.floor(next() * 30), unit: 'workDays' };
      const due = cal.addLimit(s, l);
      const date = shanghaiDate(s);
      const rest = cal.measure(s, shanghaiMidnight(addDays(date, 1)), 'workDays');
      expect(toIso(due).slice(11, 19)).toBe('17:30:00');
      expect(cal.isWorkday(shanghaiDate(due))).toBe(true);
      expect(shanghaiDate(due) > date).toBe(true);
      expect(cal.limitMinutes(s, l), `${toIso(s)} + ${l.value}d`).toBe(rest + l.value * 390);
      expect(cal.addMinutes(s, cal.limitMinutes(s, l), 'workDays')).toBe(due);
    }
  });
  it('addMinutes forward and back are measured exactly', () => {
    for (const s of starts) {
      const m = Math.floor(next() * 6000);
      expect(cal.measure(s, cal.addMinutes(s, m, 'workHours'), 'workHours')).toBe(m);
      expect(cal.measure(cal.addMinutes(s, -m, 'workHours'), s, 'workHours')).toBe(m);
    }
  });
});

describe('a calendar without working days', () => {
  it('gives up with a RangeError instead of looping forever', () => {
    const holidays: string[] = [];
    for (let d = '2030-01-01'; d < '2081-01-01'; d = addDays(d, 1)) holidays.push(d);
    const c = new WorkCalendar({ holidays });
    expect(() => c.nextWorkday('2030-01-01')).toThrow(/天内没有工作日/);
    expect(() => c.addLimit(at('2030-01-01T09:00:00'), { value: 1, unit: 'workHours' })).toThrow(/没有足够的工作时间/);
    expect(() => c.addMinutes(at('2080-12-31T09:00:00'), -60, 'workHours')).toThrow(/没有足够的工作时间/);
  });
});
