// One ECharts panel. The SVG renderer draws vector shapes and text, so a chart stays
// sharp under the wall's stage scale (2× on 3840×2160) with no canvas resampling.
import { useEffect, useRef } from 'react';
import type { EChartsOption } from 'echarts';
import { init, use } from 'echarts/core';
import type { ECharts } from 'echarts/core';
import { BarChart, GaugeChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, GaugeChart, LineChart, GridComponent, LegendComponent, SVGRenderer]);

export function EChart({ option, className, label }: { option: EChartsOption; className?: string; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const c = init(el, undefined, { renderer: 'svg' });
    chart.current = c;
    // The panel's size is in design pixels (the stage's scale is a CSS transform), so
    // the chart only needs to follow its box, not the display's resolution.
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option);
  }, [option]);

  return <div ref={host} className={className} role="img" aria-label={label} />;
}
