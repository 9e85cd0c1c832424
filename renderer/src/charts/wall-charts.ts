// ECharts options of the wall's panels: pure functions of stats.overview's figures
// (core/analytics computes the numbers; these only draw them). Every value a person
// needs is printed on the chart itself (labels, not tooltips): the wall has no
// pointer and nothing may be hover-only.
import type { BarSeriesOption, EChartsOption, GaugeSeriesOption, LineSeriesOption } from 'echarts';
import type { StatsOverview } from '../../../core/api/stats';
import { WALL_COLORS as C, WALL_FONT as F } from './theme';

type Ratio = { numerator: number; denominator: number; rate: number | null };

/** "87.5%", "100%", "125%", or "—" when nothing is measured: at most one decimal. */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  const tenths = Math.round(rate * 1000) / 10;
  return `${Number.isInteger(tenths) ? tenths : tenths.toFixed(1)}%`;
}

const text = (size: number = F.axis, color: string = C.muted) => ({ color, fontSize: size, fontFamily: F.family });

const gradient = (x2: number, y2: number) => (from: string, to: string) => ({
  type: 'linear' as const,
  x: 0,
  y: 0,
  x2,
  y2,
  colorStops: [
    { offset: 0, color: from },
    { offset: 1, color: to },
  ],
});
const vertical = gradient(0, 1);
const horizontal = gradient(1, 0);
type Gradient = ReturnType<typeof horizontal>;

// Charts on a wall repaint on every refresh: a short, calm animation, none on update.
const base: EChartsOption = { backgroundColor: 'transparent', animationDuration: 600, animationDurationUpdate: 300, textStyle: { fontFamily: F.family } };

/** How one of the wall's percentage rings looks; the parts they share are in percentGauge. */
interface GaugeLook {
  startAngle: number;
  endAngle: number;
  radius: string;
  center?: [string, string];
  /** The ring's thickness and the gradient of its filled part. */
  width: number;
  fill: Gradient;
  /** Round ends on the empty track as well. */
  roundTrack?: boolean;
  splitLine: GaugeSeriesOption['splitLine'];
  /** The printed value: where in the ring, how large, in which colour. */
  value: { offsetCenter: [number | string, number | string]; fontSize: number; color: string };
}

/**
 * A ring filled to pct (0-100) with the rate printed in the middle: no ticks, labels,
 * pointer or title, since the wall has no pointer and the printed value is the reading.
 */
function percentGauge(pct: number, rate: number | null, look: GaugeLook): EChartsOption {
  const series: GaugeSeriesOption = {
    type: 'gauge',
    startAngle: look.startAngle,
    endAngle: look.endAngle,
    min: 0,
    max: 100,
    radius: look.radius,
    ...(look.center ? { center: look.center } : {}),
    // A round cap at zero would draw a dot as if something were measured: hidden, not
    // removed (ECharts 6 fails to update a gauge whose progress toggles `show`).
    progress: { show: true, width: look.width, roundCap: true, itemStyle: { color: look.fill, opacity: pct > 0 ? 1 : 0 } },
    axisLine: { ...(look.roundTrack ? { roundCap: true } : {}), lineStyle: { width: look.width, color: [[1, C.track]] } },
    axisTick: { show: false },
    splitLine: look.splitLine,
    axisLabel: { show: false },
    pointer: { show: false },
    anchor: { show: false },
    title: { show: false },
    detail: { valueAnimation: false, ...look.value, fontWeight: 700, fontFamily: F.family, formatter: () => formatRate(rate) },
    data: [{ value: Math.round(pct * 10) / 10 }],
  };
  return { ...base, series: [series] };
}

/**
 * A rate as a half-ring gauge with its value in the middle. The ring holds 0-100%;
 * 结案率 may exceed 100% (cases accepted earlier and closed now): the ring is then
 * full and the printed value is the true one.
 */
export function rateGaugeOption(ratio: Ratio, color: string = C.teal): EChartsOption {
  const pct = ratio.rate === null ? 0 : Math.min(100, Math.max(0, ratio.rate * 100));
  return percentGauge(pct, ratio.rate, {
    startAngle: 200,
    endAngle: -20,
    radius: '96%',
    center: ['50%', '58%'],
    width: 16,
    fill: horizontal(C.blue, color),
    roundTrack: true,
    splitLine: { show: true, distance: -30, length: 6, lineStyle: { color: C.faint, width: 2 } },
    value: { offsetCenter: [0, '2%'], fontSize: F.gauge, color: ratio.rate === null ? C.muted : C.text },
  });
}

/** Today's patrol coverage as a full ring (share of basic grids patrolled today). */
export function coverageRingOption(patrol: StatsOverview['patrol']): EChartsOption {
  const pct = patrol.rate === null ? 0 : Math.min(100, patrol.rate * 100);
  return percentGauge(pct, patrol.rate, {
    startAngle: 90,
    endAngle: -270,
    radius: '92%',
    width: 14,
    fill: horizontal(C.teal, C.cyan),
    splitLine: { show: false },
    value: { offsetCenter: [0, 0], fontSize: 30, color: C.text },
  });
}

/** At most this many rows on a bar panel: more would shrink the type below legibility. */
export const MAX_BARS = 7;

/**
 * The frame of a horizontal bar panel: the legend top right, one row per name (the
 * last name on the top row), no value axis (the values are printed on the bars);
 * `right` leaves room for those printed values.
 */
function barPanel(legend: string[], names: string[], right: number): EChartsOption {
  return {
    ...base,
    legend: { top: 0, right: 4, itemWidth: 16, itemHeight: 10, textStyle: text(F.axis, C.text), data: legend },
    grid: { left: 8, right, top: 34, bottom: 4, containLabel: true },
    xAxis: { type: 'value', show: false, max: (v: { max: number }) => Math.max(1, v.max) },
    yAxis: {
      type: 'category',
      data: names,
      axisLine: { show: false },
      axisTick: { show: false },
      axisLabel: { ...text(F.axis, C.text), margin: 12 },
    },
  };
}

/** Events by category group: the 7 days' bar with today's beside it, the busiest first (top row). */
export function categoryBarOption(categories: StatsOverview['categories']): EChartsOption {
  const rows = categories.slice(0, MAX_BARS).reverse();
  const bar = (name: string, values: number[], color: Gradient, labelColor: string): BarSeriesOption => ({
    type: 'bar',
    name,
    data: values,
    barWidth: 12,
    barGap: '35%',
    itemStyle: { color, borderRadius: [0, 6, 6, 0] },
    label: { show: true, position: 'right', ...text(F.axis, labelColor), fontWeight: 600 },
  });
  return {
    ...barPanel(['近7日', '今日'], rows.map((r) => r.name), 46),
    series: [
      bar('近7日', rows.map((r) => r.week), horizontal('rgba(34,227,210,0.25)', C.teal), C.teal),
      bar('今日', rows.map((r) => r.today), horizontal('rgba(255,181,71,0.25)', C.amber), C.amber),
    ],
  };
}

/** "11-28"; today reads 今日. */
export function dayLabel(date: string, today: string): string {
  return date === today ? '今日' : date.slice(5);
}

/** The 7 days: reported and closed per day, values printed on every point. */
export function trendLineOption(trend: StatsOverview['trend'], today: string): EChartsOption {
  const line = (name: string, values: number[], color: string, fill: string): LineSeriesOption => ({
    type: 'line',
    name,
    data: values,
    smooth: 0.3,
    symbol: 'circle',
    symbolSize: 9,
    lineStyle: { width: 3, color },
    itemStyle: { color, borderColor: '#04101c', borderWidth: 2 },
    areaStyle: { color: vertical(fill, 'rgba(4,16,28,0)') },
    label: { show: true, position: 'top', distance: 6, ...text(F.axis, color), fontWeight: 600 },
  });
  return {
    ...base,
    legend: { top: 0, right: 4, itemWidth: 18, itemHeight: 10, textStyle: text(F.axis, C.text), data: ['上报', '结案'] },
    grid: { left: 8, right: 16, top: 44, bottom: 4, containLabel: true },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      data: trend.map((d) => dayLabel(d.date, today)),
      axisLine: { lineStyle: { color: C.axis } },
      axisTick: { show: false },
      axisLabel: { ...text(F.axis, C.muted), margin: 12 },
    },
    yAxis: {
      type: 'value',
      minInterval: 1,
      splitNumber: 3,
      axisLabel: text(F.axis - 2, C.faint),
      splitLine: { lineStyle: { color: C.grid, type: 'dashed' } },
    },
    series: [
      line('上报', trend.map((d) => d.reported), C.cyan, 'rgba(63,184,255,0.35)'),
      line('结案', trend.map((d) => d.closed), C.teal, 'rgba(34,227,210,0.28)'),
    ],
  };
}

/** Grids by load: open events, the overdue part in red, the total printed at the end. */
export function gridLoadOption(rows: StatsOverview['gridLoad']): EChartsOption {
  const shown = rows.slice(0, MAX_BARS).reverse();
  const onTime = shown.map((r) => Math.max(0, r.open - r.overdue));
  const late = shown.map((r) => r.overdue);
  return {
    // Room at the right for the longest label, "120(超时12)".
    ...barPanel(['未超时', '超时'], shown.map((r) => r.name), 104),
    series: [
      {
        type: 'bar',
        name: '未超时',
        stack: 'load',
        data: onTime,
        barWidth: 16,
        itemStyle: { color: horizontal('rgba(63,184,255,0.35)', C.cyan) },
      },
      {
        type: 'bar',
        name: '超时',
        stack: 'load',
        data: late,
        barWidth: 16,
        itemStyle: { color: horizontal('rgba(255,91,91,0.55)', C.red), borderRadius: [0, 6, 6, 0] },
        // The total of the row, printed once at the end of the stack.
        label: {
          show: true,
          position: 'right',
          ...text(F.axis, C.text),
          fontWeight: 600,
          formatter: (p: { dataIndex: number }) => {
            const r = shown[p.dataIndex];
            return r ? (r.overdue > 0 ? `${r.open}(超时${r.overdue})` : String(r.open)) : '';
          },
        },
      },
    ],
  };
}
