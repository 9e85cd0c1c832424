// The working calendar of a township government: which dates are working days
// (State Council holiday notices, 调休 swapped working days, a town's own
// overrides) and the office hours inside them, with the arithmetic that turns a
// limit (办结时限) into a due instant and back.
//
// Time zone: Asia/Shanghai is a fixed UTC+8 (core/time/shanghai.ts), so every
// date here is a Shanghai calendar date whatever the host's zone. chinese-days'
// functions are not used: they read dates through the host's local zone.
import type { Limit, LimitUnit } from '../model';
import { shanghaiDate, shanghaiMidnight, weekday } from '../time/shanghai';
// Only the data file: the State Council notices as date → "English,中文,n".
import chineseDays from 'chinese-days/dist/chinese-days.json';

export interface OfficeHours {
  /** "HH:MM", Shanghai local time. */
  start: string;
  /** "HH:MM", after start; "24:00" allowed for a period that ends at midnight. */
  end: string;
}

export interface CalendarOptions {
  /** Default: 08:30-12:00 and 14:30-17:30 (a township government's day). Sorted, non-overlapping. */
  officeHours?: OfficeHours[];
  /** Extra holiday dates "YYYY-MM-DD" (the override table a town updates after each notice). */
  holidays?: string[];
  /** Extra working dates "YYYY-MM-DD" (调休 swapped days), winning over weekends and holidays. */
  workdays?: string[];
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'swappedWorkday';
export type Measure = 'natural' | 'working';

export const DEFAULT_OFFICE_HOURS: readonly OfficeHours[] = [
  { start: '08:30', end: '12:00' },
  { start: '14:30', end: '17:30' },
];

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Guard against an endless search (a calendar with no working day in sight). */
const MAX_SCAN_DAYS = 366 * 50;

const PACKAGE_HOLIDAYS: Readonly<Record<string, string>> = chineseDays.holidays;
const PACKAGE_WORKDAYS: Readonly<Record<string, string>> = chineseDays.workdays;

/** First and last year the bundled chinese-days data covers; later years are plain weekends. */
export const HOLIDAY_DATA_YEARS: { readonly first: number; readonly last: number } = (() => {
  const years = Object.keys(PACKAGE_HOLIDAYS).map((d) => Number(d.slice(0, 4)));
  return { first: Math.min(...years), last: Math.max(...years) };
})();

/** natural for minutes/hours/days, working for workHours/workDays. */
export function measureOf(unit: LimitUnit): Measure {
  return unit === 'workHours' || unit === 'workDays' ? 'working' : 'natural';
}

const NATURAL_MINUTES: Record<'minutes' | 'hours' | 'days', number> = { minutes: 1, hours: 60, days: 1440 };

/** "YYYY-MM-DD" that names a real date; throws a RangeError otherwise. */
function checkDate(date: string, what = 'date'): string {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || shanghaiDate(shanghaiMidnight(date)) !== date) {
    throw new RangeError(`${what}: 不是有效日期 ${JSON.stringify(date)}，应为 YYYY-MM-DD`);
  }
  return date;
}

function checkTime(ms: number, what: string): void {
  if (!Number.isFinite(ms)) throw new RangeError(`${what}: not a time (${ms})`);
}

/** Throws a RangeError unless the limit is usable: finite, >= 0, whole for workDays. */
export function checkLimit(limit: Limit): void {
  if (!limit || !Number.isFinite(limit.value) || limit.value < 0) {
    throw new RangeError(`时限无效: ${JSON.stringify(limit)}，数值应为非负数`);
  }
  if (!['minutes', 'hours', 'days', 'workHours', 'workDays'].includes(limit.unit)) {
    throw new RangeError(`时限单位无效: ${JSON.stringify(limit.unit)}`);
  }
  if (limit.unit === 'workDays' && !Number.isInteger(limit.value)) {
    throw new RangeError(`时限无效: ${limit.value} 个工作日，工作日时限应为整数`);
  }
}

function parseHhMm(text: unknown, allow24: boolean): number {
  const m = typeof text === 'string' ? /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text) : null;
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  if (allow24 && text === '24:00') return 1440;
  throw new RangeError(`办公时间格式错误: ${JSON.stringify(text)}，应为 HH:MM（如 "08:30"）`);
}

/** Office periods as [start, end) minutes of the day, validated. */
function parseOfficeHours(hours: readonly OfficeHours[]): Array<[number, number]> {
  if (!Array.isArray(hours) || hours.length === 0) {
    throw new RangeError('办公时间不能为空：至少需要一个时段');
  }
  const periods: Array<[number, number]> = [];
  for (const h of hours) {
    const start = parseHhMm(h?.start, false);
    const end = parseHhMm(h?.end, true);
    if (end <= start) {
      throw new RangeError(`办公时段 ${h.start}-${h.end} 无效：结束时间应晚于开始时间`);
    }
    const prev = periods[periods.length - 1];
    if (prev && start < prev[1]) {
      throw new RangeError(`办公时段 ${h.start}-${h.end} 与前一时段重叠或未按时间先后排列`);
    }
    periods.push([start, end]);
  }
  return periods;
}

/**
 * A township's working calendar. Precedence of a date's kind, strongest first:
 * the town's override workdays, the town's override holidays, chinese-days'
 * swapped working days, chinese-days' holidays, Saturday/Sunday.
 */
export class WorkCalendar {
  /** Office periods, minutes of the day [start, end). */
  readonly periods: ReadonlyArray<readonly [number, number]>;
  /** Working minutes in one working day (390 with the default office hours). */
  readonly workdayMinutes: number;
  private readonly extraHolidays: ReadonlySet<string>;
  private readonly extraWorkdays: ReadonlySet<string>;
  private readonly kinds = new Map<string, DayKind>();

  constructor(options: CalendarOptions = {}) {
    this.periods = parseOfficeHours(options.officeHours ?? DEFAULT_OFFICE_HOURS);
    this.workdayMinutes = this.periods.reduce((sum, [s, e]) => sum + e - s, 0);
    const holidays = (options.holidays ?? []).map((d) => checkDate(d, '节假日覆盖表'));
    const workdays = (options.workdays ?? []).map((d) => checkDate(d, '调休上班覆盖表'));
    const both = holidays.filter((d) => workdays.includes(d));
    if (both.length > 0) {
      throw new RangeError(`覆盖表冲突：${both.join('、')} 同时列为节假日和工作日`);
    }
    this.extraHolidays = new Set(holidays);
    this.extraWorkdays = new Set(workdays);
  }

  dayKind(date: string): DayKind {
    const cached = this.kinds.get(date);
    if (cached) return cached;
    checkDate(date);
    const weekend = weekday(date) === 0 || weekday(date) === 6;
    let kind: DayKind;
    if (this.extraWorkdays.has(date)) {
      kind = weekend || Object.hasOwn(PACKAGE_HOLIDAYS, date) ? 'swappedWorkday' : 'workday';
    } else if (this.extraHolidays.has(date)) {
      kind = 'holiday';
    } else if (Object.hasOwn(PACKAGE_WORKDAYS, date)) {
      kind = weekend ? 'swappedWorkday' : 'workday';
    } else if (Object.hasOwn(PACKAGE_HOLIDAYS, date)) {
      kind = 'holiday';
    } else {
      kind = weekend ? 'weekend' : 'workday';
    }
    this.kinds.set(date, kind);
    return kind;
  }

  isWorkday(date: string): boolean {
    const kind = this.dayKind(date);
    return kind === 'workday' || kind === 'swappedWorkday';
  }

  /** The festival's Chinese name ("春节") for a holiday or swapped working day of the package data. */
  holidayName(date: string): string | null {
    checkDate(date);
    const entry = PACKAGE_HOLIDAYS[date] ?? PACKAGE_WORKDAYS[date];
    return entry?.split(',')[1] ?? null;
  }

  /** The first working day strictly after date. */
  nextWorkday(date: string): string {
    let mid = shanghaiMidnight(checkDate(date));
    for (let i = 0; i < MAX_SCAN_DAYS; i++) {
      mid += DAY_MS;
      const d = shanghaiDate(mid);
      if (this.isWorkday(d)) return d;
    }
    throw new RangeError(`${MAX_SCAN_DAYS} 天内没有工作日`);
  }

  /** The due instant of a limit started at startMs (see docs/domain.md, "Deadlines"). */
  addLimit(startMs: number, limit: Limit): number {
    checkTime(startMs, 'addLimit start');
    checkLimit(limit);
    if (limit.value === 0) return startMs;
    switch (limit.unit) {
      case 'minutes':
      case 'hours':
      case 'days':
        return startMs + limit.value * NATURAL_MINUTES[limit.unit] * MINUTE_MS;
      case 'workHours':
        return this.addWorkingMs(startMs, limit.value * 60 * MINUTE_MS);
      case 'workDays':
        return this.endOfNthWorkday(shanghaiDate(startMs), limit.value);
    }
  }

  /** Minutes from startMs to endMs: natural, or working minutes for work units; negative if end < start. */
  measure(startMs: number, endMs: number, unit: LimitUnit): number {
    checkTime(startMs, 'measure start');
    checkTime(endMs, 'measure end');
    if (measureOf(unit) === 'natural') return (endMs - startMs) / MINUTE_MS;
    if (endMs < startMs) return -this.workingMs(endMs, startMs) / MINUTE_MS;
    return this.workingMs(startMs, endMs) / MINUTE_MS;
  }

  limitMinutes(startMs: number, limit: Limit): number {
    return this.measure(startMs, this.addLimit(startMs, limit), limit.unit);
  }

  /** Add natural minutes, or working minutes for work units (negative goes back). */
  addMinutes(startMs: number, minutes: number, unit: LimitUnit): number {
    checkTime(startMs, 'addMinutes start');
    if (!Number.isFinite(minutes)) throw new RangeError(`addMinutes: not a number of minutes (${minutes})`);
    if (measureOf(unit) === 'natural' || minutes === 0) return startMs + minutes * MINUTE_MS;
    return minutes > 0 ? this.addWorkingMs(startMs, minutes * MINUTE_MS) : this.subWorkingMs(startMs, -minutes * MINUTE_MS);
  }

  // ------------------------------------------------------------ working time, one day per step

  /** Working ms in [fromMs, toMs], fromMs <= toMs. */
  private workingMs(fromMs: number, toMs: number): number {
    let total = 0;
    const lastMid = shanghaiMidnight(shanghaiDate(toMs));
    for (let mid = shanghaiMidnight(shanghaiDate(fromMs)); mid <= lastMid; mid += DAY_MS) {
      if (!this.isWorkday(shanghaiDate(mid))) continue;
      for (const [ps, pe] of this.periods) {
        const a = Math.max(fromMs, mid + ps * MINUTE_MS);
        const b = Math.min(toMs, mid + pe * MINUTE_MS);
        if (b > a) total += b - a;
      }
    }
    return total;
  }

  /**
   * The instant at which `amount` working ms have passed since startMs. A start
   * outside office hours counts from the next office period; an amount that ends
   * exactly at a period's end returns that end (12:00, not 14:30).
   */
  private addWorkingMs(startMs: number, amount: number): number {
    let left = amount;
    let mid = shanghaiMidnight(shanghaiDate(startMs));
    for (let i = 0; i < MAX_SCAN_DAYS; i++, mid += DAY_MS) {
      if (!this.isWorkday(shanghaiDate(mid))) continue;
      for (const [ps, pe] of this.periods) {
        const from = Math.max(startMs, mid + ps * MINUTE_MS);
        const end = mid + pe * MINUTE_MS;
        if (from >= end) continue;
        if (left <= end - from) return from + left;
        left -= end - from;
      }
    }
    throw new RangeError(`${MAX_SCAN_DAYS} 天内没有足够的工作时间`);
  }

  /** The mirror of addWorkingMs: the instant `amount` working ms before startMs. */
  private subWorkingMs(startMs: number, amount: number): number {
    let left = amount;
    let mid = shanghaiMidnight(shanghaiDate(startMs));
    for (let i = 0; i < MAX_SCAN_DAYS; i++, mid -= DAY_MS) {
      if (!this.isWorkday(shanghaiDate(mid))) continue;
      for (let p = this.periods.length - 1; p >= 0; p--) {
        const [ps, pe] = this.periods[p] as readonly [number, number];
        const to = Math.min(startMs, mid + pe * MINUTE_MS);
        const begin = mid + ps * MINUTE_MS;
        if (to <= begin) continue;
        if (left <= to - begin) return to - left;
        left -= to - begin;
      }
    }
    throw new RangeError(`${MAX_SCAN_DAYS} 天内没有足够的工作时间`);
  }

  /** End of office hours of the n-th working day strictly after date (the start day is not counted). */
  private endOfNthWorkday(date: string, n: number): number {
    let d = date;
    for (let i = 0; i < n; i++) d = this.nextWorkday(d);
    const lastEnd = this.periods[this.periods.length - 1]?.[1] ?? 0;
    return shanghaiMidnight(d) + lastEnd * MINUTE_MS;
  }
}
