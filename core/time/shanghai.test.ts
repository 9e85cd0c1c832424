import { describe, expect, it } from 'vitest';
import { addDays, parseIso, shanghaiDate, shanghaiMidnight, shanghaiMinuteOfDay, toIso, weekday } from './shanghai';

describe('Shanghai time', () => {
  it('formats and parses with the +08:00 offset', () => {
    const ms = Date.UTC(2026, 10, 28, 1, 12, 3);
    expect(toIso(ms)).toBe('2026-11-28T09:12:03+08:00');
    expect(parseIso('2026-11-28T09:12:03+08:00')).toBe(ms);
    expect(parseIso('2026-11-28T01:12:03Z')).toBe(ms);
  });
  it('rejects what is not an ISO time', () => {
    expect(() => parseIso('yesterday')).toThrow(/not an ISO/);
    expect(() => parseIso('2026-13-45T99:00:00Z')).toThrow(/not an ISO/);
    expect(() => toIso(Number.NaN)).toThrow(/not a time/);
    expect(() => shanghaiMidnight('2026/01/01')).toThrow(/not a date/);
  });
  it('knows the local date across UTC midnight', () => {
    expect(shanghaiDate(Date.UTC(2026, 0, 31, 16, 0))).toBe('2026-02-01');
    expect(shanghaiMinuteOfDay(Date.UTC(2026, 0, 31, 16, 30))).toBe(30);
    expect(shanghaiMidnight('2026-02-01')).toBe(Date.UTC(2026, 0, 31, 16, 0));
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(weekday('2026-11-28')).toBe(6);
  });
});
