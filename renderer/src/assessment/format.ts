// How the assessment's figures read on screen and in the printed report (the Excel
// ledger writes the numbers themselves).
import type { FigureValue } from '../../../core/assessment/figures';

export function percent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  return `${(rate * 100).toFixed(1)}%`;
}

export function figureText(v: FigureValue | undefined, unit?: string): string {
  if (!v) return '—';
  if (v.d !== undefined) return percent(v.rate);
  if (v.n === null) return '—';
  return unit ? `${v.n}` : String(v.n);
}

/** The period arguments of the assessment methods from the picker's state. */
export interface PeriodChoice {
  mode: 'month' | 'range';
  month: string;
  from: string;
  to: string;
}

export function periodArgs(p: PeriodChoice): { month: string } | { from: string; to: string } {
  return p.mode === 'month' ? { month: p.month } : { from: p.from, to: p.to };
}

/** "2026-11" of an instant, Asia/Shanghai. */
export function shanghaiMonth(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 7);
}
