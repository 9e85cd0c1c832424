// ECharts options of the analysis and the monthly report: pure functions of analysis.run's figures.
import type { EChartsOption } from 'echarts';
import type { AnalysisResult } from '../../../core/api/assessment';
import type { Grid } from '../../../core/model';

const HOURS = Array.from({ length: 24 }, (_, h) => `${h}`);

export function hourWeekdayOption(matrix: number[][], weekdays: readonly string[]): EChartsOption {
  const data = matrix.flatMap((row, w) => row.map((n, h) => [h, w, n]));
  const max = Math.max(1, ...data.map((d) => d[2] as number));
  return {
    tooltip: {},
    grid: { left: 48, right: 16, top: 8, bottom: 56 },
    xAxis: { type: 'category', data: HOURS, name: '时' },
    yAxis: { type: 'category', data: [...weekdays] },
    visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120 },
    series: [{ type: 'heatmap', data, label: { show: false } }],
  };
}

export function weeklyOption(weekly: AnalysisResult['weekly']): EChartsOption {
  return {
    tooltip: {},
    grid: { left: 40, right: 12, top: 16, bottom: 40 },
    xAxis: { type: 'category', data: weekly.map((w) => w.label.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'line', data: weekly.map((w) => w.count), label: { show: true } }],
  };
}

export function monthlyOption(monthly: AnalysisResult['monthly']): EChartsOption {
  return {
    tooltip: {},
    legend: { data: ['本年', '去年同期'] },
    grid: { left: 40, right: 12, top: 28, bottom: 40 },
    xAxis: { type: 'category', data: monthly.map((m) => m.label) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: '本年', type: 'bar', data: monthly.map((m) => m.count), label: { show: true, position: 'top' } },
      { name: '去年同期', type: 'line', data: monthly.map((m) => m.lastYear), connectNulls: false },
    ],
  };
}

export function risingOption(rising: AnalysisResult['rising']): EChartsOption {
  const rows = [...rising].reverse();
  return {
    tooltip: {},
    grid: { left: 110, right: 60, top: 8, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((r) => r.name) },
    series: [
      {
        type: 'bar',
        data: rows.map((r) => r.count),
        label: { show: true, position: 'right', formatter: (p) => { const r = rows[p.dataIndex]; return r?.growth === null || r === undefined ? '新增' : `${r.growth >= 0 ? '+' : ''}${Math.round(r.growth * 100)}%`; } },
      },
    ],
  };
}

/** The grids' outlines and the report locations as a density of points: the heat map over the map. */
export function gridOutlineOption(grids: readonly Grid[], points: ReadonlyArray<[number, number]>): EChartsOption {
  const outlines = grids.flatMap((g) => {
    const polygons = g.geometry.type === 'Polygon' ? [g.geometry.coordinates] : g.geometry.coordinates;
    return polygons.map((rings) => ({ coords: rings[0] as number[][] }));
  });
  const xs = outlines.flatMap((o) => o.coords.map((c) => c[0] as number));
  const ys = outlines.flatMap((o) => o.coords.map((c) => c[1] as number));
  const bounds = xs.length > 0 ? { minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys) } : null;
  return {
    grid: { left: 8, right: 8, top: 8, bottom: 8 },
    xAxis: { type: 'value', show: false, scale: true, ...(bounds ? { min: bounds.minX, max: bounds.maxX } : {}) },
    yAxis: { type: 'value', show: false, scale: true, ...(bounds ? { min: bounds.minY, max: bounds.maxY } : {}) },
    series: [
      { type: 'lines', coordinateSystem: 'cartesian2d', polyline: true, data: outlines, lineStyle: { color: '#5b8db8', width: 1, opacity: 0.6 }, silent: true },
      { type: 'scatter', data: points.map((p) => [p[0], p[1]]), symbolSize: 6, itemStyle: { color: '#ff5a36', opacity: 0.18 }, silent: true },
    ],
  };
}
