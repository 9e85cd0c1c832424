import { describe, expect, it } from 'vitest';
import { parseIso } from '../time/shanghai';
import { WorkCalendar } from './calendar';
import {
  WARNING_FRACTION,
  clockStatus,
  extendClock,
  extensionMinutes,
  formatRemaining,
  pauseClock,
  resumeClock,
  startClock,
  stopClock,
  totalMinutes,
} from './clock';

const at = (local: string): number => parseIso(`${local}+08:00`);
const cal = new WorkCalendar();

describe('startClock', () => {
  it('stores ISO times to the second and the due from the calendar', () => {
    const c = startClock('finish', { value: 3, unit: 'workDays' }, at('2026-03-02T09:00:00') + 500, cal);
    expect(c).toEqual({
      kind: 'finish',
      limit: { value: 3, unit: 'workDays' },
      startedAt: '2026-03-02T09:00:00+08:00',
      dueAt: '2026-03-05T17:30:00+08:00',
      pausedAt: null,
      remainingAtPause: null,
      stoppedAt: null,
      extensions: [],
    });
    expect(totalMinutes(c, cal)).toBe(360 + 3 * 390);
  });
  it('rejects a bad limit', () => {
    expect(() => startClock('accept', { value: -5, unit: 'minutes' }, 0, cal)).toThrow(RangeError);
  });
});

describe('clockStatus of a running clock', () => {
  const c = startClock('finish', { value: 3, unit: 'workDays' }, at('2026-03-02T09:00:00'), cal);
  it('is on time early, in working measure', () => {
    const s = clockStatus(c, at('2026-03-02T10:00:00'), cal);
    expect(s).toEqual({
      state: 'onTime',
      usedFraction: 60 / 1530,
      remainingMinutes: 1470,
      measure: 'working',
      dueAt: '2026-03-05T17:30:00+08:00',
    });
    // The night does not use the limit.
    expect(clockStatus(c, at('2026-03-02T23:00:00'), cal).remainingMinutes).toBe(1170);
  });
  it('turns to warning when 80 % of the limit is used', () => {
    expect(WARNING_FRACTION).toBe(0.8);
    const before = clockStatus(c, at('2026-03-05T09:53:00'), cal);
    expect(before.state).toBe('onTime');
    expect(before.remainingMinutes).toBe(307);
    const atWarning = clockStatus(c, at('2026-03-05T09:54:00'), cal);
    expect(atWarning.state).toBe('warning');
    expect(atWarning.usedFraction).toBe(0.8);
    expect(clockStatus(c, at('2026-03-05T17:30:00'), cal)).toMatchObject({ state: 'warning', remainingMinutes: 0, usedFraction: 1 });
  });
  it('is overdue after the due, negative even at night when no working minute has passed', () => {
    const evening = clockStatus(c, at('2026-03-05T17:31:00'), cal);
    expect(evening.state).toBe('overdue');
    expect(evening.remainingMinutes).toBeLessThan(0);
    expect(formatRemaining(evening.remainingMinutes, evening.measure)).toBe('已超时');
    const next = clockStatus(c, at('2026-03-06T09:00:00'), cal);
    expect(next).toMatchObject({ state: 'overdue', remainingMinutes: -30, usedFraction: 1560 / 1530 });
  });
  it('uses natural minutes for the acceptance clock, holidays included', () => {
    const a = startClock('accept', { value: 30, unit: 'minutes' }, at('2026-02-17T03:00:00'), cal);
    expect(a.dueAt).toBe('2026-02-17T03:30:00+08:00');
    expect(clockStatus(a, at('2026-02-17T03:10:00'), cal)).toMatchObject({ state: 'onTime', measure: 'natural', remainingMinutes: 20 });
    expect(clockStatus(a, at('2026-02-17T03:24:00'), cal)).toMatchObject({ state: 'warning', usedFraction: 0.8 });
    const late = clockStatus(a, at('2026-02-17T03:40:00'), cal);
    expect(late).toMatchObject({ state: 'overdue', remainingMinutes: -10 });
    expect(formatRemaining(late.remainingMinutes, late.measure)).toBe('超时 10 分');
  });
  it('handles a zero limit', () => {
    const z = startClock('verify', { value: 0, unit: 'minutes' }, at('2026-03-02T09:00:00'), cal);
    expect(clockStatus(z, at('2026-03-02T09:00:00'), cal)).toMatchObject({ state: 'onTime', usedFraction: 0 });
    expect(clockStatus(z, at('2026-03-02T09:05:00'), cal)).toMatchObject({ state: 'overdue', usedFraction: 1, remainingMinutes: -5 });
  });
});

describe('stopClock: met or missed', () => {
  const a = startClock('accept', { value: 30, unit: 'minutes' }, at('2026-02-17T03:00:00'), cal);
  it('is met when stopped by the due, whatever the time of asking', () => {
    const s = stopClock(a, at('2026-02-17T03:29:00'));
    expect(s.stoppedAt).toBe('2026-02-17T03:29:00+08:00');
    expect(clockStatus(s, at('2026-03-01T00:00:00'), cal)).toMatchObject({ state: 'met', remainingMinutes: 1 });
    expect(clockStatus(stopClock(a, at('2026-02-17T03:30:00')), at('2026-03-01T00:00:00'), cal).state).toBe('met');
  });
  it('is missed when stopped after the due, and the first stop counts', () => {
    const s = stopClock(a, at('2026-02-17T03:31:00'));
    expect(clockStatus(s, at('2026-02-17T03:31:00'), cal)).toMatchObject({ state: 'missed', remainingMinutes: -1 });
    expect(stopClock(s, at('2026-02-17T03:00:00'))).toBe(s);
  });
  it('ignores pause and resume once stopped, and refuses to extend', () => {
    const s = stopClock(a, at('2026-02-17T03:20:00'));
    expect(pauseClock(s, at('2026-02-17T03:25:00'), cal)).toBe(s);
    expect(resumeClock(s, at('2026-02-17T03:25:00'), cal)).toBe(s);
    expect(() => extendClock(s, { value: 1, unit: 'hours' }, cal)).toThrow(/计时已结束.*不能延期/);
  });
});

describe('pause (缓办/挂账) and resume', () => {
  // 8 working hours from Thursday 09:00 before the Spring Festival: due Friday 10:30.
  const c = startClock('finish', { value: 8, unit: 'workHours' }, at('2026-02-12T09:00:00'), cal);
  const paused = pauseClock(c, at('2026-02-12T16:30:00'), cal);
  it('freezes the remaining working minutes', () => {
    expect(c.dueAt).toBe('2026-02-13T10:30:00+08:00');
    expect(paused.pausedAt).toBe('2026-02-12T16:30:00+08:00');
    expect(paused.remainingAtPause).toBe(180);
    expect(pauseClock(paused, at('2026-02-20T10:00:00'), cal)).toBe(paused);
    const s = clockStatus(paused, at('2026-02-20T10:00:00'), cal);
    expect(s).toEqual({ state: 'paused', usedFraction: 300 / 480, remainingMinutes: 180, measure: 'working', dueAt: c.dueAt });
  });
  it('resumes after the holiday with the due moved by the paused working time', () => {
    const resumedAt = at('2026-02-24T09:00:00');
    const r = resumeClock(paused, resumedAt, cal);
    expect(r.dueAt).toBe('2026-02-24T12:00:00+08:00');
    expect(r.pausedAt).toBeNull();
    expect(r.remainingAtPause).toBeNull();
    const pausedWorking = cal.measure(at('2026-02-12T16:30:00'), resumedAt, 'workHours');
    expect(pausedWorking).toBe(60 + 390 + 390 + 30);
    expect(parseIso(r.dueAt)).toBe(cal.addMinutes(parseIso(c.dueAt), pausedWorking, 'workHours'));
    expect(clockStatus(r, resumedAt, cal)).toMatchObject({ state: 'onTime', remainingMinutes: 180, usedFraction: 300 / 480 });
    expect(resumeClock(r, at('2026-02-25T09:00:00'), cal)).toBe(r);
  });
  it('keeps an overdue clock overdue through a pause', () => {
    const a = startClock('accept', { value: 30, unit: 'minutes' }, at('2026-03-02T03:00:00'), cal);
    const p = pauseClock(a, at('2026-03-02T03:40:00'), cal);
    expect(p.remainingAtPause).toBe(-10);
    expect(clockStatus(p, at('2026-03-02T03:50:00'), cal)).toMatchObject({ state: 'paused', usedFraction: 40 / 30 });
    const r = resumeClock(p, at('2026-03-02T04:00:00'), cal);
    expect(r.dueAt).toBe('2026-03-02T03:50:00+08:00');
    expect(clockStatus(r, at('2026-03-02T04:00:00'), cal)).toMatchObject({ state: 'overdue', remainingMinutes: -10 });
  });
  it('judges a clock stopped while paused by its frozen remaining time', () => {
    expect(clockStatus(stopClock(paused, at('2026-03-30T09:00:00')), at('2026-03-30T09:00:00'), cal)).toMatchObject({
      state: 'met',
      remainingMinutes: 180,
    });
    const a = startClock('accept', { value: 30, unit: 'minutes' }, at('2026-03-02T03:00:00'), cal);
    const p = pauseClock(a, at('2026-03-02T03:40:00'), cal);
    expect(clockStatus(stopClock(p, at('2026-03-02T03:41:00')), at('2026-03-02T03:41:00'), cal).state).toBe('missed');
  });
});

describe('extendClock (延期)', () => {
  const c = startClock('finish', { value: 3, unit: 'workDays' }, at('2026-03-02T09:00:00'), cal);
  it('moves a running due by working days from the current due', () => {
    const e = extendClock(c, { value: 2, unit: 'workDays' }, cal);
    expect(e.dueAt).toBe('2026-03-09T17:30:00+08:00');
    expect(e.extensions).toEqual([{ value: 2, unit: 'workDays' }]);
    expect(totalMinutes(e, cal)).toBe(1530 + 780);
    expect(clockStatus(c, at('2026-03-05T17:00:00'), cal).state).toBe('warning');
    expect(clockStatus(e, at('2026-03-05T17:00:00'), cal)).toMatchObject({ state: 'onTime', remainingMinutes: 810, usedFraction: 1500 / 2310 });
    const twice = extendClock(e, { value: 4, unit: 'workHours' }, cal);
    expect(twice.dueAt).toBe('2026-03-10T15:00:00+08:00');
    expect(twice.extensions).toHaveLength(2);
  });
  it('converts a mixed-measure extension nominally (a day is a working day)', () => {
    expect(extensionMinutes({ value: 1, unit: 'days' }, 'workDays', cal)).toBe(390);
    expect(extensionMinutes({ value: 2, unit: 'workDays' }, 'hours', cal)).toBe(2880);
    expect(extensionMinutes({ value: 90, unit: 'minutes' }, 'workHours', cal)).toBe(90);
    expect(extendClock(c, { value: 1, unit: 'days' }, cal).dueAt).toBe('2026-03-06T17:30:00+08:00');
    const a = startClock('accept', { value: 30, unit: 'minutes' }, at('2026-02-17T03:00:00'), cal);
    expect(extendClock(a, { value: 1, unit: 'hours' }, cal).dueAt).toBe('2026-02-17T04:30:00+08:00');
  });
  it('adds to the remaining time while paused, and the resume honours it', () => {
    const p = pauseClock(c, at('2026-03-04T09:00:00'), cal);
    expect(p.remainingAtPause).toBe(750);
    const e = extendClock(p, { value: 4, unit: 'workHours' }, cal);
    expect(e.remainingAtPause).toBe(990);
    expect(e.dueAt).toBe('2026-03-06T15:00:00+08:00');
    expect(clockStatus(e, at('2026-03-06T10:00:00'), cal)).toMatchObject({ state: 'paused', remainingMinutes: 990, usedFraction: (1770 - 990) / 1770 });
    const r = resumeClock(e, at('2026-03-09T09:00:00'), cal);
    expect(r.dueAt).toBe('2026-03-11T15:00:00+08:00');
    expect(r.extensions).toEqual([{ value: 4, unit: 'workHours' }]);
  });
  it('rejects a bad extension', () => {
    expect(() => extendClock(c, { value: 0.5, unit: 'workDays' }, cal)).toThrow(/应为整数/);
  });
});

describe('formatRemaining', () => {
  it('writes working time in working hours', () => {
    expect(formatRemaining(200, 'working')).toBe('剩余 3 个工作小时 20 分');
    expect(formatRemaining(1530, 'working')).toBe('剩余 25 个工作小时 30 分');
    expect(formatRemaining(1530, 'working', 390)).toBe('剩余 3 个工作日 6 个工作小时');
    expect(formatRemaining(-45, 'working')).toBe('超时 45 分');
    expect(formatRemaining(0.5, 'working')).toBe('剩余不足 1 分');
  });
  it('writes natural time in days, hours and minutes', () => {
    expect(formatRemaining(-(2 * 1440 + 240), 'natural')).toBe('超时 2 天 4 小时');
    expect(formatRemaining(1440, 'natural')).toBe('剩余 1 天');
    expect(formatRemaining(1441, 'natural')).toBe('剩余 1 天 1 分');
    expect(formatRemaining(0, 'natural')).toBe('剩余 0 分');
  });
  it('rounds remaining time down and overdue time up', () => {
    expect(formatRemaining(59.9, 'natural')).toBe('剩余 59 分');
    expect(formatRemaining(-60.2, 'natural')).toBe('超时 1 小时 1 分');
    expect(formatRemaining(-0.2, 'natural')).toBe('超时不足 1 分');
    expect(() => formatRemaining(Number.NaN, 'natural')).toThrow(RangeError);
  });
});
