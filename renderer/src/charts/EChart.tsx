// One ECharts chart, for the wall's panels, the analysis screen and the printed report.
// The SVG renderer draws vector shapes and text, so a chart stays sharp under the wall's
// stage scale (2× on 3840×2160) and on paper, with no canvas resampling.
import { useEffect, useRef } from 'react';
import type { EChartsOption } from 'echarts';
import { init, use } from 'echarts/core';
import type { ECharts } from 'echarts/core';
import { BarChart, GaugeChart, HeatmapChart, LineChart, LinesChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

/**
 * After a drawing, zrender keeps asking for animation frames until this many in a row
 * had nothing to draw (its default is 10): each is a frame of the whole page for
 * nothing, ~11 of them after every refresh of the wall's figures (issue 14). An
 * animation or a progressive drawing draws on every frame and is not cut short.
 */
const STILL_FRAMES = 1;

use([BarChart, GaugeChart, HeatmapChart, LineChart, LinesChart, ScatterChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

interface Props {
  option: EChartsOption;
  className?: string;
  label: string;
  /** Replace the chart's option instead of merging into it (a chart whose series change). */
  replace?: boolean;
  /** Called after each option is drawn (the printed report waits for its charts). */
  onRendered?: () => void;
}

export function EChart({ option, className, label, replace = false, onRendered }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  /** An option has been drawn: later ones are drawn without animation. */
  const drawn = useRef(false);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const c = init(el, undefined, { renderer: 'svg' });
    chart.current = c;
    c.getZr().setSleepAfterStill(STILL_FRAMES);
    // The panel's size is in design pixels (the stage's scale is a CSS transform), so
    // the chart only needs to follow its box, not the display's resolution.
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
      drawn.current = false;
    };
  }, []);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    // The first option may animate in; a later one (the wall's refresh, new figures) is
    // drawn at once: an update animation is ~20 frames of the whole page, which a wall
    // PC without a graphics driver composites on the CPU (issue 14).
    c.setOption(drawn.current ? { ...option, animation: false } : option, replace);
    drawn.current = true;
    onRendered?.();
  }, [option, replace, onRendered]);

  return <div ref={host} className={className} role="img" aria-label={label} />;
}
