// The assessment's period: a month (the default, "每月进行一次考核评估", 方案6) or a range
// of whole days, Asia/Shanghai, as a half-open [from, to) in epoch ms. A period that has
// not ended is cut at now (core/analytics/rates.ts: clocks not yet due must not count as
// late). Month over month: the previous period is the previous month, or the same number
// of days just before a range.
import { addDays, shanghaiDate, shanghaiMidnight, toIso } from '../time/shanghai';

export interface PeriodArgs {
  month?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export interface AssessmentPeriod {
  /** Half-open, epoch ms; `to` is cut at now + 1 ms for a running period. */
  fromMs: number;
  toMs: number;
  /** First and last day, "YYYY-MM-DD". */
  from: string;
  to: string;
  label: string;
  asOf: string;
  /** The month, when the period is one. */
  month: string | null;
}

const monthStart = (month: string): string => `${month}-01`;

export function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function cut(fromDay: string, toDay: string, label: string, month: string | null, nowMs: number): AssessmentPeriod {
  const fromMs = shanghaiMidnight(fromDay);
  const end = shanghaiMidnight(addDays(toDay, 1));
  const toMs = Math.max(fromMs, Math.min(end, nowMs + 1));
  return { fromMs, toMs, from: fromDay, to: toDay, label, asOf: toIso(Math.min(end, nowMs)), month };
}

export function resolvePeriod(args: PeriodArgs, nowMs: number): AssessmentPeriod {
  if (args.from !== undefined && args.to !== undefined) return cut(args.from, args.to, `${args.from} 至 ${args.to}`, null, nowMs);
  const month = args.month ?? shanghaiDate(nowMs).slice(0, 7);
  const last = addDays(monthStart(nextMonth(month)), -1);
  return cut(monthStart(month), last, `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`, month, nowMs);
}

/** The period before: the previous month, or as many days just before the range. */
export function previousPeriod(p: AssessmentPeriod, nowMs: number): AssessmentPeriod {
  if (p.month !== null) return resolvePeriod({ month: previousMonth(p.month) }, nowMs);
  const days = Math.round((shanghaiMidnight(p.to) - shanghaiMidnight(p.from)) / 86_400_000) + 1;
  const to = addDays(p.from, -1);
  const from = addDays(to, -(days - 1));
  return resolvePeriod({ from, to }, nowMs);
}

/** The days of a period (inclusive), up to its cut. */
export function periodDays(p: AssessmentPeriod): string[] {
  const out: string[] = [];
  for (let d = p.from; shanghaiMidnight(d) < p.toMs && d <= p.to; d = addDays(d, 1)) out.push(d);
  return out;
}
