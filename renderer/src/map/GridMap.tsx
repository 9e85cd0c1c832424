// The town map: a controlled React component over the serializable view state
// (view-state.ts). The console places it beside the grid tree, the wall fills the
// screen with it, and the consultation meeting will share its view. It fetches its
// own data through the app API; the engine lives in controller.ts.
import { useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { ControllerCallbacks, HoverInfo, MapMode, MapStatus } from './controller';
import { MapController } from './controller';
import type { FillClasses } from './events';
import type { MapMarks } from './desk-marks';
import { Legend } from './Legend';
import type { ReplaySummary } from './replay';
import { ReplayPanel } from './ReplayPanel';
import type { MapDataSource } from './source';
import { platformSource } from './source';
import { useOptionalServices } from '../platform/context';
import { useOptionalSession } from '../session/context';
import { installMapHook } from './test-hook';
import { MODE_STYLE, paletteFor, type MapPalette } from './theme';
import type { GridFill, LayerKey, MapViewState, Selection } from './view-state';
import { LAYER_KEYS, PERIODS, REGISTER_LAYER_KEYS, periodOf, periodWindow, withCamera, withLayer, withSelection, type PeriodKey } from './view-state';
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
  /** The field desk's marks (desk-marks.ts): an emergency's circle, workers and resources, unpatrolled grids, devices. */
  marks?: MapMarks | null;
}

const LAYER_LABELS: Record<LayerKey, string> = {
  grids: '网格',
  gridLabels: '名称',
  workers: '网格员',
  trails: '轨迹',
  events: '事件',
  density: '密度',
  houses: '房屋',
  organisations: '单位',
};

const FILL_LABELS: Record<GridFill, string> = { load: '按在办事件', overdue: '按超时事件', none: '不填充' };

/** Narrower than this, the switches and the legend fold away (the console's map column). */
const COMPACT_BELOW_PX = 760;

export function GridMap(props: GridMapProps) {
  const { mode, view, className, highlight = null, interactive, controls = mode === 'console', legend = true } = props;
  // The registers' layers: only for a role that may read them (the service refuses the others anyway).
  const registers = useOptionalSession()?.may('registers.layers') ?? false;
  const { container, hover, status, replaySummary, fill } = useMapController(props, highlight, interactive, registers);
  const outer = useRef<HTMLDivElement>(null);
  const compact = useCompact(outer);
  const palette = useMemo(() => paletteFor(MODE_STYLE[mode].theme), [mode]);
  const wall = mode === 'wall';
  const change = (next: MapViewState): void => props.onViewChange?.(next);

  return (
    <div ref={outer} className={mapClassName(mode, Boolean(props.pickLocation), className)}>
      <div ref={container} className="grid-map-canvas" />
      <MapStatusBanner status={status} />
      {controls && <MapControls view={view} compact={compact} onChange={change} registers={registers} />}
      {legend && <MapLegend view={registers ? view : withoutRegisters(view)} palette={palette} wall={wall} compact={compact} fill={fill} />}
      {props.overlay}
      {controls && !wall && props.onViewChange && <ReplayPanel view={view} summary={replaySummary} onChange={change} />}
      {hover && !wall && <MapTooltip hover={hover} />}
    </div>
  );
}

/** The outer element's classes: the mode, the picking cursor, the caller's own class. */
function mapClassName(mode: MapMode, picking: boolean, className?: string): string {
  return `grid-map grid-map-${mode}${picking ? ' grid-map-picking' : ''}${className ? ` ${className}` : ''}`;
}

/**
 * The map's engine for this component: one MapController per mode, fed the latest
 * props through a ref (its callbacks never go stale), kept in step with the view,
 * the highlight and the interactivity, and exposed to the browser tests.
 */
function useMapController(props: GridMapProps, highlight: GridMapProps['highlight'], interactive: boolean | undefined, registers: boolean) {
  const { mode, view } = props;
  const container = useRef<HTMLDivElement>(null);
  const controller = useRef<MapController | null>(null);
  const [hover, setHover] = useState<HoverInfo | null>(null);
  const [status, setStatus] = useState<MapStatus>({ state: 'loading' });
  const [replaySummary, setReplaySummary] = useState<ReplaySummary | null>(null);
  const [fill, setFillClasses] = useState<FillClasses | null>(null);

  // The latest props, read by the controller's callbacks without re-creating it.
  const latest = useRef(props);
  latest.current = props;
  const source = useMapSource(props.source);

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const map = new MapController(el, mode, source, latest.current.view, controllerCallbacks(latest, { setHover, setStatus, setReplaySummary, setFillClasses }), latest.current.interactive);
    controller.current = map;
    const removeHook = installMapHook(testHookFor(map, mode));
    return () => {
      removeHook();
      map.destroy();
      controller.current = null;
    };
    // The source is read once, at mount; a new mode makes a new controller.
  }, [mode]);

  useEffect(() => controller.current?.setView(view), [view]);
  useEffect(() => controller.current?.allowRegisters(registers), [registers, mode]);
  useEffect(() => controller.current?.setHighlight(highlight ?? null), [highlight]);
  useEffect(() => controller.current?.setMarks(props.marks ?? null), [props.marks]);
  useEffect(() => {
    if (interactive !== undefined) controller.current?.setInteractive(interactive);
  }, [interactive]);

  return { container, hover, status, replaySummary, fill };
}

/** The map's data source, chosen once: the caller's, else the app API's. */
function useMapSource(given: MapDataSource | undefined): MapDataSource {
  const sourceRef = useRef<MapDataSource | null>(null);
  const services = useOptionalServices();
  if (!sourceRef.current) {
    if (!given && !services) throw new Error('GridMap needs a source or a ServicesProvider');
    sourceRef.current = given ?? platformSource(services!);
  }
  return sourceRef.current;
}

interface ControllerSetters {
  setHover(info: HoverInfo | null): void;
  setStatus(status: MapStatus): void;
  setReplaySummary(summary: ReplaySummary | null): void;
  setFillClasses(classes: FillClasses): void;
}

/** The controller's callbacks, reading the latest props: camera moves and clicks become view changes. */
function controllerCallbacks(latest: { readonly current: GridMapProps }, set: ControllerSetters): ControllerCallbacks {
  return {
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
    onHover: set.setHover,
    onStatus: set.setStatus,
    onReplay: set.setReplaySummary,
    onFillClasses: set.setFillClasses,
  };
}

/** What the browser tests reach through window (test-hook.ts): picking, projecting, the camera. */
function testHookFor(map: MapController, mode: MapMode): Parameters<typeof installMapHook>[0] {
  return {
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
    layerOrder: () => [...map.layerIds],
  };
}

/** A narrow map (the console's map column) folds its switches and legend behind a button. */
function useCompact(outer: RefObject<HTMLDivElement | null>): boolean {
  const [compact, setCompact] = useState(false);
  useEffect(() => {
    const el = outer.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => setCompact((entry?.contentRect.width ?? 1000) < COMPACT_BELOW_PX));
    observer.observe(el);
    return () => observer.disconnect();
  }, [outer]);
  return compact;
}

function MapStatusBanner({ status }: { status: MapStatus }) {
  if (status.state === 'ready') return null;
  return (
    <div className={`grid-map-status grid-map-status-${status.state}`} role="status">
      {status.state === 'error' ? status.message : (status.message ?? '地图加载中…')}
    </div>
  );
}

/** The layer switches, folded behind 图层 on a narrow map. */
function MapControls({ view, compact, onChange, registers }: { view: MapViewState; compact: boolean; onChange: (view: MapViewState) => void; registers: boolean }) {
  const switches = <MapSwitches view={view} onChange={onChange} registers={registers} />;
  if (compact) {
    return (
      <details className="grid-map-controls grid-map-fold" aria-label="图层">
        <summary>图层</summary>
        <div className="grid-map-fold-body">{switches}</div>
      </details>
    );
  }
  return (
    <div className="grid-map-controls" aria-label="图层">
      {switches}
    </div>
  );
}

/** The view without the registers' layers (a role that may not read them: nothing in the legend). */
const withoutRegisters = (view: MapViewState): MapViewState => (view.layers.houses || view.layers.organisations ? { ...view, layers: { ...view.layers, houses: false, organisations: false } } : view);

function MapSwitches({ view, onChange, registers }: { view: MapViewState; onChange: (view: MapViewState) => void; registers: boolean }) {
  return (
    <>
      {LAYER_KEYS.filter((key) => registers || !REGISTER_LAYER_KEYS.includes(key)).map((key) => (
        <label key={key}>
          <input type="checkbox" checked={view.layers[key]} onChange={(e) => onChange(withLayer(view, key, e.target.checked))} />
          {LAYER_LABELS[key]}
        </label>
      ))}
      <select aria-label="网格填充" value={view.gridFill} onChange={(e) => onChange({ ...view, gridFill: e.target.value as GridFill })}>
        {(Object.keys(FILL_LABELS) as GridFill[]).map((f) => (
          <option key={f} value={f}>
            {FILL_LABELS[f]}
          </option>
        ))}
      </select>
      <PeriodSelect view={view} onChange={onChange} />
    </>
  );
}

/** The legend, folded behind 图例 on a narrow console map; the wall always shows it. */
function MapLegend({ view, palette, wall, compact, fill }: { view: MapViewState; palette: MapPalette; wall: boolean; compact: boolean; fill: FillClasses | null }) {
  if (compact && !wall) {
    return (
      <details className="map-legend-fold">
        <summary>图例</summary>
        <Legend view={view} palette={palette} wall={false} fill={fill} />
      </details>
    );
  }
  return <Legend view={view} palette={palette} wall={wall} fill={fill} />;
}

function MapTooltip({ hover }: { hover: HoverInfo }) {
  return (
    <div className="grid-map-tooltip" style={{ left: hover.x + 14, top: hover.y + 14 }} role="tooltip">
      <strong>{hover.title}</strong>
      {hover.lines.map((line) => (
        <span key={line}>{line}</span>
      ))}
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
