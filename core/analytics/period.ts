// Assessment periods: half-open [from, to) in epoch ms, and their calendar buckets in
// Shanghai local time (the town's day, week and month, whatever the host's zone).
import { addDays, shanghaiDate, shanghaiMidnight, weekday } from '../time/shanghai';

/** Half-open: an instant equal to `to` belongs to the next period. */
export interface Period {
  from: number;
  to: number;
}

/** A share with its parts, so a screen can show "37 / 40" and nobody divides by zero. */
export interface Ratio {
  numerator: number;
  denominator: number;
  /** numerator / denominator; null when there is nothing to measure (denominator 0). */
  rate: number | null;
}

export type BucketUnit = 'day' | 'week' | 'month';

export interface Bucket extends Period {
  /** "2026-11-28" (day), the Monday "2026-11-23" (week, ISO weeks start on Monday), "2026-11" (month). */
  label: string;
}

export function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}

export function inPeriod(t: number | null | undefined, p: Period): boolean {
  return t !== null && t !== undefined && t >= p.from && t < p.to;
}

function bucketStart(date: string, unit: BucketUnit): string {
  if (unit === 'day') return date;
  if (unit === 'week') return addDays(date, -((weekday(date) + 6) % 7));
  return `${date.slice(0, 8)}01`;
}

function nextStart(start: string, unit: BucketUnit): string {
  if (unit === 'day') return addDays(start, 1);
  if (unit === 'week') return addDays(start, 7);
  const y = Number(start.slice(0, 4));
  const m = Number(start.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/**
 * The calendar days, weeks or months that cover a period, in order, each clipped to
 * the period (so the first and last may be partial). Empty for an empty period.
 */
export function buckets(period: Period, unit: BucketUnit): Bucket[] {
  const out: Bucket[] = [];
  if (!(period.to > period.from)) return out;
  let start = bucketStart(shanghaiDate(period.from), unit);
  while (shanghaiMidnight(start) < period.to) {
    const next = nextStart(start, unit);
    out.push({
      label: unit === 'month' ? start.slice(0, 7) : start,
      from: Math.max(period.from, shanghaiMidnight(start)),
      to: Math.min(period.to, shanghaiMidnight(next)),
    });
    start = next;
  }
  return out;
}
