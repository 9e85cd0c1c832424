// An ECharts chart of the analysis and the report (SVG, so the printed report stays sharp).
import { useEffect, useRef } from 'react';
import type { EChartsOption } from 'echarts';
import { init, use } from 'echarts/core';
import type { ECharts } from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, LinesChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, HeatmapChart, LineChart, LinesChart, ScatterChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

export function AnalysisChart({ option, label, className = 'analysis-chart', onRendered }: { option: EChartsOption; label: string; className?: string; onRendered?: () => void }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const c = init(el, undefined, { renderer: 'svg' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.setOption({ animation: false, ...option }, true);
    onRendered?.();
  }, [option, onRendered]);
  return <div ref={host} className={className} role="img" aria-label={label} />;
}
