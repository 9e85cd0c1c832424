// The town map: a controlled React component over the serializable view state
// (view-state.ts). The console places it beside the grid tree, the wall fills the
// screen with it, and the consultation meeting will share its view. It fetches its
// own data through the app API; the engine lives in controller.ts.
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { HoverInfo, MapMode, MapStatus } from './controller';
import { MapController } from './controller';
import { Legend } from './Legend';
import type { ReplaySummary } from './replay';
import { ReplayPanel } from './ReplayPanel';
import type { MapDataSource } from './source';
import { platformSource } from './source';
import { useOptionalServices } from '../platform/context';
import { installMapHook } from './test-hook';
import { MODE_STYLE, paletteFor } from './theme';
import type { GridFill, LayerKey, MapViewState, Selection } from './view-state';
import { LAYER_KEYS, PERIODS, periodOf, periodWindow, withCamera, withLayer, withSelection, type PeriodKey } from './view-state';
import './map.css';

export interface GridMapProps {
  /** wall: dark, larger type, no hover-only information, no scroll or zoom by the user unless `interactive`. */
  mode: MapMode;
  /** The whole view, controlled. */
  view: MapViewState;
  /** Every change the map makes to the view: the user's camera moves, a click's selection, the layer switches. */
  onViewChange?(view: MapViewState): void;
  /** Click picking: a grid, worker or event, or null for empty ground. */
  onSelect?(selection: Selection | null): void;
  /** When set, a click picks a point (WGS84) instead of selecting: the console's intake form. */
  pickLocation?: (lonLat: [number, number]) => void;
  /** Fly to this point and ring it (the wall's urgent event); null: no highlight. */
  highlight?: { lon: number; lat: number; id?: string } | null;
  className?: string;
  /** The wall's presenter may move the map; default: yes on the console, no on the wall. */
  interactive?: boolean;
  /** The layer switches and fill choice (default: on the console, not on the wall). */
  controls?: boolean;
  /** Default true. */
  legend?: boolean;
  /** The app API by default; the benchmark harness passes a synthetic source. Read once, at mount. */
  source?: MapDataSource;
  /** Drawn over the map (the console's 投到大屏 switch, the wall's 跟随 badge). */
  overlay?: ReactNode;
}

const LAYER_LABELS: Record<LayerKey, string> = {
  grids: '网格',
  gridLabels: '名称',
  workers: '网格员',
  trails: '轨迹',
  events: '事件',
  density: '密度',
};

const FILL_LABELS: Record<GridFill, string> = { load: '按在办事件', overdue: '按超时事件', none: '不填充' };

/** Narrower than this, the switches and the legend fold away (the console's map column). */
const COMPACT_BELOW_PX = 760;

export function GridMap(props: GridMapProps) {
  const { mode, view, className, highlight = null, interactive, controls = mode === 'console', legend = true } = props;
  const container = useRef<HTMLDivElement>(null);
  const controller = useRef<MapController | null>(null);
  const [hover, setHover] = useState<HoverInfo | null>(null);
  const [status, setStatus] = useState<MapStatus>({ state: 'loading' });
  const [replaySummary, setReplaySummary] = useState<ReplaySummary | null>(null);

  // The latest props, read by the controller's callbacks without re-creating it.
  const latest = useRef(props);
  latest.current = props;
  const sourceRef = useRef<MapDataSource | null>(null);
  const services = useOptionalServices();
  if (!sourceRef.current) {
    if (!props.source && !services) throw new Error('GridMap needs a source or a ServicesProvider');
    sourceRef.current = props.source ?? platformSource(services!);
  }

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const map = new MapController(
      el,
      mode,
      sourceRef.current!,
      latest.current.view,
      {
        onCamera: (camera) => {
          const p = latest.current;
          if (p.onViewChange) p.onViewChange(withCamera(p.view, camera));
        },
        onSelect: (selection) => {
          const p = latest.current;
          p.onSelect?.(selection);
          if (p.onViewChange) p.onViewChange(withSelection(p.view, selection));
        },
        get onPickLocation() {
          return latest.current.pickLocation ?? null;
        },
        onHover: setHover,
        onStatus: setStatus,
        onReplay: setReplaySummary,
      },
      latest.current.interactive,
    );
    controller.current = map;
    const removeHook = installMapHook({
      get ready() {
        return map.ready;
      },
      mode,
      pickAt: (x, y, kind) => map.pickAt(x, y, kind),
      pickAllAt: (x, y, kind) => map.pickAllAt(x, y, kind),
      project: (lon, lat) => map.project(lon, lat),
      jumpTo: (camera) => map.jumpTo(camera),
      setCamera: (camera) => map.setCamera(camera),
      settled: () => map.settled(),
      overview: () => {
        map.overview(false);
        return map.settled();
      },
      camera: () => map.currentCamera(),
      locate: (kind, id) => map.locate({ kind, id }),
      stats: map.stats,
    });
    return () => {
      removeHook();
      map.destroy();
      controller.current = null;
    };
  }, [mode]);

  useEffect(() => controller.current?.setView(view), [view]);
  useEffect(() => controller.current?.setHighlight(highlight), [highlight]);
  useEffect(() => {
    if (interactive !== undefined) controller.current?.setInteractive(interactive);
  }, [interactive]);

  // A narrow map (the console's map column) folds its switches and legend behind a button.
  const [compact, setCompact] = useState(false);
  const outer = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = outer.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => setCompact((entry?.contentRect.width ?? 1000) < COMPACT_BELOW_PX));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const palette = useMemo(() => paletteFor(MODE_STYLE[mode].theme), [mode]);
  const wall = mode === 'wall';
  const change = (next: MapViewState): void => props.onViewChange?.(next);
  const switches = (
    <>
      {LAYER_KEYS.map((key) => (
        <label key={key}>
          <input type="checkbox" checked={view.layers[key]} onChange={(e) => change(withLayer(view, key, e.target.checked))} />
          {LAYER_LABELS[key]}
        </label>
      ))}
      <select aria-label="网格填充" value={view.gridFill} onChange={(e) => change({ ...view, gridFill: e.target.value as GridFill })}>
        {(Object.keys(FILL_LABELS) as GridFill[]).map((f) => (
          <option key={f} value={f}>
            {FILL_LABELS[f]}
          </option>
        ))}
      </select>
      <PeriodSelect view={view} onChange={change} />
    </>
  );

  return (
    <div ref={outer} className={`grid-map grid-map-${mode}${props.pickLocation ? ' grid-map-picking' : ''}${className ? ` ${className}` : ''}`}>
      <div ref={container} className="grid-map-canvas" />
      {status.state !== 'ready' && (
        <div className={`grid-map-status grid-map-status-${status.state}`} role="status">
          {status.state === 'error' ? status.message : (status.message ?? '地图加载中…')}
        </div>
      )}
      {props.pickLocation && <div className="grid-map-hint">在地图上点击选择位置</div>}
      {controls &&
        (compact ? (
          <details className="grid-map-controls grid-map-fold" aria-label="图层">
            <summary>图层</summary>
            <div className="grid-map-fold-body">{switches}</div>
          </details>
        ) : (
          <div className="grid-map-controls" aria-label="图层">
            {switches}
          </div>
        ))}
      {legend &&
        (compact && !wall ? (
          <details className="map-legend-fold">
            <summary>图例</summary>
            <Legend view={view} palette={palette} wall={false} />
          </details>
        ) : (
          <Legend view={view} palette={palette} wall={wall} />
        ))}
      {props.overlay}
      {controls && !wall && props.onViewChange && <ReplayPanel view={view} summary={replaySummary} onChange={change} />}
      {hover && !wall && (
        <div className="grid-map-tooltip" style={{ left: hover.x + 14, top: hover.y + 14 }} role="tooltip">
          <strong>{hover.title}</strong>
          {hover.lines.map((line) => (
            <span key={line}>{line}</span>
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * The map's time window: events reported in it (closed ones too, when the filters ask)
 * and the density layer's period. None: the open events, and the last 7 days of density.
 */
function PeriodSelect({ view, onChange }: { view: MapViewState; onChange: (view: MapViewState) => void }) {
  const current = periodOf(view.timeWindow, Date.now());
  return (
    <select
      aria-label="时段"
      title="地图上事件与密度图的时段"
      value={current}
      onChange={(e) => {
        const key = e.target.value as PeriodKey | '' | 'custom';
        if (key === 'custom') return;
        onChange({ ...view, timeWindow: key === '' ? null : periodWindow(key, Date.now()) });
      }}
    >
      <option value="">在办事件(密度:近7天)</option>
      {PERIODS.map((p) => (
        <option key={p.key} value={p.key}>
          {p.label}上报
        </option>
      ))}
      {current === 'custom' && view.timeWindow && (
        <option value="custom">
          {view.timeWindow.from.slice(5, 10)} 至 {view.timeWindow.to.slice(5, 10)}
        </option>
      )}
    </select>
  );
}
