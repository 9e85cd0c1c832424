import { describe, expect, it } from 'vitest';
import type { BarSeriesOption, GaugeSeriesOption, LineSeriesOption } from 'echarts';
import type { StatsOverview } from '../../../core/api/stats';
import {
  MAX_BARS,
  categoryBarOption,
  coverageRingOption,
  dayLabel,
  formatRate,
  gridLoadOption,
  rateGaugeOption,
  trendLineOption,
} from './wall-charts';

const seriesOf = <T>(option: { series?: unknown }): T[] => option.series as T[];
const yLabels = (option: { yAxis?: unknown }): string[] => (option.yAxis as { data: string[] }).data;

describe('formatRate', () => {
  it('prints a share with at most one decimal, and a dash when nothing is measured', () => {
    expect(formatRate(0.875)).toBe('87.5%');
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(0.33333)).toBe('33.3%');
    expect(formatRate(1.25)).toBe('125%');
    expect(formatRate(0)).toBe('0%');
    expect(formatRate(null)).toBe('—');
    expect(formatRate(Number.NaN)).toBe('—');
  });
});

describe('rateGaugeOption', () => {
  it('fills the ring to the rate and prints the true value, also above 100%', () => {
    const gauge = seriesOf<GaugeSeriesOption>(rateGaugeOption({ numerator: 3, denominator: 4, rate: 0.75 }))[0]!;
    expect(gauge.type).toBe('gauge');
    expect(gauge.data).toEqual([{ value: 75 }]);
    expect((gauge.detail?.formatter as () => string)()).toBe('75%');
    const over = seriesOf<GaugeSeriesOption>(rateGaugeOption({ numerator: 5, denominator: 4, rate: 1.25 }))[0]!;
    expect(over.data).toEqual([{ value: 100 }]);
    expect((over.detail?.formatter as () => string)()).toBe('125%');
  });
  it('shows a dash on an empty ring when nothing is due', () => {
    const gauge = seriesOf<GaugeSeriesOption>(rateGaugeOption({ numerator: 0, denominator: 0, rate: null }))[0]!;
    expect(gauge.data).toEqual([{ value: 0 }]);
    expect((gauge.detail?.formatter as () => string)()).toBe('—');
    // Hidden, never removed: toggling `show` breaks ECharts' gauge update.
    expect(gauge.progress?.show).toBe(true);
    expect(gauge.progress?.itemStyle?.opacity).toBe(0);
  });
});

describe('coverageRingOption', () => {
  it('draws the share of basic grids patrolled today', () => {
    const ring = seriesOf<GaugeSeriesOption>(coverageRingOption({ basicGrids: 32, covered: 24, rate: 0.75 }))[0]!;
    expect(ring.data).toEqual([{ value: 75 }]);
    expect((ring.detail?.formatter as () => string)()).toBe('75%');
  });
});

const categories: StatsOverview['categories'] = Array.from({ length: 10 }, (_, i) => ({ code: `0${i}`, name: `类别${i}`, today: i, week: 20 - i }));

describe('categoryBarOption', () => {
  it('puts the busiest group on the top row, with 7-day and today bars labelled', () => {
    const option = categoryBarOption(categories);
    // ECharts draws category rows bottom-up: the last entry is the top row.
    expect(yLabels(option)).toHaveLength(MAX_BARS);
    expect(yLabels(option).at(-1)).toBe('类别0');
    const [week, today] = seriesOf<BarSeriesOption>(option);
    expect(week?.name).toBe('近7日');
    expect(week?.data?.at(-1)).toBe(20);
    expect(today?.data?.at(-1)).toBe(0);
    expect(week?.label?.show).toBe(true);
    expect(today?.label?.show).toBe(true);
  });
});

describe('trendLineOption', () => {
  it('labels the days, today as 今日, and prints every value', () => {
    const trend = [
      { date: '2026-11-29', reported: 4, closed: 2 },
      { date: '2026-11-30', reported: 7, closed: 1 },
    ];
    const option = trendLineOption(trend, '2026-11-30');
    expect((option.xAxis as { data: string[] }).data).toEqual(['11-29', '今日']);
    const [reported, closed] = seriesOf<LineSeriesOption>(option);
    expect(reported?.data).toEqual([4, 7]);
    expect(closed?.data).toEqual([2, 1]);
    expect(reported?.label?.show).toBe(true);
    expect(dayLabel('2026-11-24', '2026-11-30')).toBe('11-24');
  });
});

describe('gridLoadOption', () => {
  it('stacks on-time and overdue open events and prints the total with the overdue part', () => {
    const rows: StatsOverview['gridLoad'] = [
      { code: 'a', name: '南环社区第一网格', village: '南环社区', open: 5, overdue: 2 },
      { code: 'b', name: '双凤村第二网格', village: '双凤村', open: 3, overdue: 0 },
    ];
    const option = gridLoadOption(rows);
    expect(yLabels(option)).toEqual(['双凤村第二网格', '南环社区第一网格']);
    const [onTime, late] = seriesOf<BarSeriesOption>(option);
    expect(onTime?.data).toEqual([3, 3]);
    expect(late?.data).toEqual([0, 2]);
    const formatter = late?.label?.formatter as (p: { dataIndex: number }) => string;
    expect(formatter({ dataIndex: 1 })).toBe('5(超时2)');
    expect(formatter({ dataIndex: 0 })).toBe('3');
    expect(formatter({ dataIndex: 9 })).toBe('');
  });
});
