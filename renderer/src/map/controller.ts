// The map's engine, outside React: a maplibre-gl base map with a deck.gl overlay
// (MapboxOverlay, interleaved: false: the interleaved mode throws in maplibre 6),
// the map's data kept in stores that live pushes update in place, and the layers
// rebuilt from them by the pure functions of layers.ts when something changed,
// at most once per animation frame. React (GridMap.tsx) hands it the view.
import { MapboxOverlay } from '@deck.gl/mapbox';
import { createIdleFrames, type FrameProvider, type IdleFrames } from './idle-frames';
import { isSoftwareRenderer, rendererOf } from './software-gl';

import type { Layer, PickingInfo } from '@deck.gl/core';
import type { FeatureCollection } from 'geojson';
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { Protocol } from 'pmtiles';
import type { BasemapConfig } from '../../../core/api/basemap';
import { BASEMAP_PATHS } from '../../../core/api/basemap';
import { detectStops } from '../../../core/analytics/patrol';
import { replayKey as replayKeyOf, type ReplaySummary } from './replay';
import { STATUS_LABELS } from '../../../core/events/labels';
import type { GridEvent, PositionFix, Worker } from '../../../core/model';
import { parseIso, toIso } from '../../../core/time/shanghai';
import { WORKER_ROLE_LABELS } from '../ui/format';
import type { BasemapLabel } from './basemap';
import { absoluteUrl, basemapCrs, basemapLabels, basemapStyle } from './basemap';
import { EventClusters } from './clusters';
import type { Datum } from './coords';
import { datumFor, WGS84_DATUM } from './coords';
import type { CategoryIndex, EventPoint, GridMetrics } from './events';
import { categoryIndex, fillClasses, gridMetrics, type FillClasses, matchesFilters, OPEN_STATUSES, refreshPoint, toEventPoint, URGENCY_LABELS, URGENCY_RANK } from './events';
import type { PreparedGrids, GridShape } from './grids';
import { boundsOf, prepareGrids } from './grids';
import { arrowAtlas } from './icons';
import type { LayerEnv, Picked, ReplayData } from './layers';
import { deskLayers, marksBounds, type DeskContext, type DeskMark, type MapMarks } from './desk-marks';

const DESK_MARK_LABELS: Record<DeskMark, string> = { nearby: '周边网格员', notified: '已通知,正赶赴现场', unpatrolled: '今日尚未巡查', resource: '应急队伍与物资', device: '物联感知设备' };
import {
  BOUNDARY_LAYERS,
  BOUNDARY_SOURCE,
  basemapLabelLayer,
  boundaryFeatures,
  boundaryLayers,
  densityLayer,
  eventLayers,
  gridLabelLayer,
  gridLayers,
  highlightLayer,
  LAYER_IDS,
  labelLevels,
  makeLabelPicker,
  PICK_LAYERS,
  pickedSelection,
  pulseLayer,
  replayLayers,
  selectionLayer,
  splitLabelRows,
  trailLayer,
  workerLayers,
} from './layers';
import { PositionStore } from './positions';
import type { MapDataSource } from './source';
import { RegisterLayerData } from './register-layers';
import { MapEventData } from './event-data';
import type { MapPalette, ModeStyle } from './theme';
import { MODE_STYLE, paletteFor } from './theme';
import { TrailStore } from './trails';
import type { Camera, MapViewState, Selection } from './view-state';
import { sameCamera, sameSelection } from './view-state';

/** The part of deck.gl's Deck whose frame loop idle-frames.ts slows. */
interface DeckWithLoop {
  animationLoop?: { props?: { animationFrameProvider: FrameProvider } };
  needsRedraw(options: { clearRedrawFlags: boolean }): unknown;
  /** Applies the layers last handed over (deck.gl does it in its loop's next turn). */
  layerManager?: { updateLayers(): void } | null;
  /** Draws now; with a reason even when deck.gl sees nothing new. */
  redraw(reason?: string): void;
}

maplibregl.setWorkerUrl(workerUrl);

let pmtilesRegistered = false;

/** maplibre reads pmtiles:// URLs through the pmtiles protocol, registered once per page. */
function registerPmtiles(): void {
  if (pmtilesRegistered) return;
  maplibregl.addProtocol('pmtiles', new Protocol().tile);
  pmtilesRegistered = true;
}

export type MapMode = 'console' | 'wall';

export interface HoverInfo {
  x: number;
  y: number;
  title: string;
  lines: string[];
}

export interface MapStatus {
  state: 'loading' | 'ready' | 'error';
  message?: string;
}

export interface ControllerCallbacks {
  /** The camera after a user's move (final: the move ended) or after a fly-to. */
  onCamera(camera: Camera, final: boolean): void;
  onSelect(selection: Selection | null): void;
  /** Set while the console's intake form waits for a point: a click answers it (WGS84). */
  onPickLocation: ((lonLat: [number, number]) => void) | null;
  onHover(info: HoverInfo | null): void;
  onStatus(status: MapStatus): void;
  /** The replay's track has loaded (its key, fixes and stops), or the replay ended (null). */
  onReplay?(summary: ReplaySummary | null): void;
  /** The grid fill's classes changed (breaks fitted to the counts, grids per class): the legend's. */
  onFillClasses?(classes: FillClasses): void;
}

export interface MapStats {
  /** Frames deck.gl has drawn. */
  frames: number;
  /** CPU time of the last deck.gl frame, ms. */
  lastFrameMs: number;
  /** Layer rebuilds (one per animation frame at most). */
  renders: number;
  /**
   * From the notice of a new event (the push's arrival in the page) to the first frame
   * that draws it, ms (the last few); `changeAt`/`frameAt` as epoch ms.
   */
  eventPaints: { id: string; ms: number; changeAt: number; frameAt: number }[];
  /** CPU time of the recent deck.gl frames, ms (the last 2,000; benchmarks). */
  frameTimes: number[];
  /** Frames the base map (maplibre) has drawn: it draws when its camera or tiles change. */
  basemapFrames: number;
  /** deck.gl's canvas multisampled (off where WebGL is drawn on the CPU, software-gl.ts); null before the map exists. */
  msaa: boolean | null;
}

/**
 * Overdue and new flags, stale fading: recomputed this often. It is also the rate at
 * which the workers' positions are redrawn on a map nobody is using (POSITIONS_LIVE_MS).
 */
const CLOCK_TICK_MS = 5_000;
/**
 * The workers' positions are drawn as they arrive while someone uses the map (the
 * pointer or the camera moved within this long, or a worker is selected); otherwise
 * they wait for the next clock tick, so a screen left open redraws at most once per
 * CLOCK_TICK_MS for them instead of on every push: each frame is a full redraw of the
 * map, on a PC without a graphics driver by the CPU (issue 14). New events and every
 * other change are drawn at once.
 */
const POSITIONS_LIVE_MS = 30_000;
/** Trails are rebuilt at most this often (a buffer of every recent fix). */
const TRAIL_REBUILD_MS = 1_000;
/** Animation frames for the pulse and the highlight: enough to look smooth, cheap on a wall PC without a GPU. */
const ANIMATION_FRAME_MS = 50;
/**
 * The pulse and the highlight move this long after what they mark last changed (a new
 * or newly overdue event, a highlight set), then rest as still rings until something
 * changes again: a screen left open day and night keeps no core busy (issue 14).
 */
const ANIMATION_ACTIVE_MS = 20_000;
/** The still rings' animation time: a ring grown by a third, clearly visible. */
const REST_TIME_MS = 500;
/** At most this many events pulse at once. */
const MAX_PULSING = 200;
/** Trails are drawn from this zoom on. */
const TRAIL_MIN_ZOOM = 12.5;
/** Density: the last week when the view has no time window. */
const DEFAULT_DENSITY_DAYS = 7;
const MAX_DENSITY_EVENTS = 100_000;
const MAP_HANDLERS = ['scrollZoom', 'boxZoom', 'dragRotate', 'dragPan', 'keyboard', 'doubleClickZoom', 'touchZoomRotate'] as const;

interface Derived {
  points: EventPoint[];
  shown: EventPoint[];
  attention: EventPoint[];
  metrics: GridMetrics;
}

export class MapController {
  private map: maplibregl.Map | null = null;
  private overlay: MapboxOverlay | null = null;
  private idleFrames: IdleFrames | null = null;
  private destroyed = false;
  private readonly style: ModeStyle;
  private readonly palette: MapPalette;
  private datum: Datum = WGS84_DATUM;
  private interactive: boolean;

  private view: MapViewState;
  /** The camera prop last applied, so that a re-render with the same prop never undoes a user's move or a flight. */
  private appliedCamera: Camera | null = null;
  /** A selection made by a click here: the map does not fly to what it already shows. */
  private ownSelection: Selection | null = null;
  private highlight: { lon: number; lat: number; id?: string } | null = null;

  // ------------------------------------------------------------ data
  private basemapConfig: BasemapConfig | null = null;
  private labels: BasemapLabel[] = [];
  private grids: PreparedGrids | null = null;
  private pickLabels: ReturnType<typeof makeLabelPicker> | null = null;
  private workers = new Map<string, Worker>();
  private positions = new PositionStore();
  private trails = new TrailStore();
  private trailData: ReturnType<TrailStore['build']> | null = null;
  private trailBuiltAt = -Infinity;
  private trailVersion = -1;
  /** The events and how they are kept current (event-data.ts). */
  private readonly data: MapEventData;
  private categories: CategoryIndex = categoryIndex([]);
  private derived: Derived | null = null;
  private derivedKey = '';
  private derivedAt = NaN;
  private pointCache = new Map<string, { event: GridEvent; point: EventPoint }>();
  private metricPoints: EventPoint[] = [];
  /** Bumped when an overdue or new flag changes: the events layer's colour triggers. */
  private flagsVersion = 0;
  private categoriesVersion = 0;
  private metricsVersion = 0;
  private clusters = new EventClusters();
  private density: { key: string; points: EventPoint[] } | null = null;
  private densityLoading = '';
  private replay: { key: string; data: ReplayData | null } | null = null;
  private loaded = { grids: false, workers: false, style: false };
  /** The first loads of grids, workers and events while they run (the start's, then each retry's). */
  private firstLoads: Promise<void> | null = null;
  /** A read failed and its message shows: cleared once the failed reads succeed on a retry. */
  private errorShown = false;
  private clockTimer: ReturnType<typeof setInterval> | null = null;
  private clockNow = Date.now();
  private unsubscribe: (() => void)[] = [];

  // ------------------------------------------------------------ frames
  private frameRequest: number | null = null;
  private animating = false;
  private lastAnimation = 0;
  /** The pulse and the highlight move until this performance.now() time (wake()). */
  private animateUntil = 0;
  /** The ids of the events pulsing, as last drawn: a change wakes the animation. */
  private pulseKey = '';
  private frameStart = 0;
  private pendingPaint = new Map<string, number>();
  private awaitingFrame = new Map<string, number>();
  readonly stats: MapStats = { frames: 0, lastFrameMs: 0, renders: 0, eventPaints: [], frameTimes: [], basemapFrames: 0, msaa: null };
  private firstReadyFrame = false;
  private baseMissing = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly mode: MapMode,
    private readonly source: MapDataSource,
    view: MapViewState,
    private readonly callbacks: ControllerCallbacks,
    interactive?: boolean,
  ) {
    this.style = MODE_STYLE[mode];
    this.palette = paletteFor(this.style.theme);
    this.view = view;
    this.interactive = interactive ?? mode === 'console';
    this.data = new MapEventData(source, {
      open: OPEN_STATUSES,
      keepClosed: (e) => this.keepClosed(e),
      changed: () => this.invalidate(),
      error: (what, error) => this.reportError(what, error),
    });
    void this.start();
  }

  // ================================================================= lifecycle

  private async start(): Promise<void> {
    this.callbacks.onStatus({ state: 'loading' });
    let config: BasemapConfig;
    try {
      config = await this.source.basemap();
    } catch {
      config = { kind: 'demo' };
    }
    if (this.destroyed) return;
    this.adoptBasemap(config);
    const demoData = config.kind === 'demo' ? await this.loadDemoBasemap() : undefined;
    if (config.kind === 'pmtiles') registerPmtiles();
    if (this.destroyed) return;

    const map = this.createMap(config, demoData);
    this.addOverlay(map);
    this.listenToMap(map);
    this.unsubscribe.push(
      this.source.onPositions((fixes) => this.onPositions(fixes)),
      this.source.onChanged((types, ids, events, arrivedAt) => this.onChanged(types, ids, events, arrivedAt)),
    );
    this.clockTimer = setInterval(() => this.tick(), CLOCK_TICK_MS);
    this.firstLoads = Promise.all([this.loadGrids(), this.loadWorkers(), this.loadCategories().then(() => this.data.load())]).then(() => undefined);
    await this.firstLoads;
    this.firstLoads = null;
    this.syncViewData();
    this.invalidate();
  }

  /** The base map's coordinate system decides the datum the positions and trails are drawn in. */
  private adoptBasemap(config: BasemapConfig): void {
    this.basemapConfig = config;
    this.datum = datumFor(basemapCrs(config));
    this.positions = new PositionStore(this.datum.toDisplay);
    this.trails = new TrailStore(undefined, this.datum.toDisplay);
  }

  /** The demo base map's features (and its place labels); an empty one when the file cannot be read. */
  private async loadDemoBasemap(): Promise<FeatureCollection> {
    let demoData: FeatureCollection;
    try {
      const response = await fetch(absoluteUrl(BASEMAP_PATHS.demo, window.location.origin));
      if (!response.ok) throw new Error(String(response.status));
      demoData = (await response.json()) as FeatureCollection;
    } catch {
      // The grids still draw on a plain background: an empty base map rather than no map.
      demoData = { type: 'FeatureCollection', features: [] };
      this.baseMissing = true;
    }
    this.labels = basemapLabels(demoData);
    return demoData;
  }

  private createMap(config: BasemapConfig, demoData: FeatureCollection | undefined): maplibregl.Map {
    const center = this.datum.toDisplay(this.view.camera.lon, this.view.camera.lat);
    const map = new maplibregl.Map({
      container: this.container,
      style: basemapStyle(config, this.palette, { origin: window.location.origin, ...(demoData ? { demoData } : {}) }),
      center,
      zoom: this.view.camera.zoom,
      bearing: this.view.camera.bearing,
      pitch: this.view.camera.pitch,
      attributionControl: { compact: true },
      // Rotation and tilt are kept out of the overview: a command center's map is north-up.
      maxPitch: 60,
      dragRotate: false,
      pitchWithRotate: false,
      fadeDuration: 0,
      // Keep the canvas's pixels for screenshots of the wall and the tests.
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    this.map = map;
    this.appliedCamera = this.view.camera;
    if (!this.interactive) this.setInteractive(false);
    map.touchZoomRotate.disableRotation();
    return map;
  }

  /** deck.gl over the base map: picking, hover and clicks, and the frame timing for the stats. */
  private addOverlay(map: maplibregl.Map): void {
    // WebGL on the CPU: no multisampling, each frame filled once (software-gl.ts).
    const software = isSoftwareRenderer(rendererOf(map.getCanvas()));
    this.stats.msaa = !software;
    const overlay = new MapboxOverlay({
      interleaved: false,
      ...(software ? { deviceProps: { webgl: { antialias: false } } } : {}),
      layers: [],
      pickingRadius: 4,
      useDevicePixels: true,
      onHover: (info) => this.onHover(info),
      onClick: (info) => this.onClick(info),
      getCursor: ({ isHovering }) => (this.callbacks.onPickLocation ? 'crosshair' : isHovering ? 'pointer' : 'grab'),
      onBeforeRender: () => {
        this.frameStart = performance.now();
      },
      onAfterRender: () => this.afterFrame(),
    });
    this.overlay = overlay;
    map.addControl(overlay);
    this.slowIdleFrames(overlay, map);
  }

  /** deck.gl's own frame loop slowed while the map is quiet, woken by someone using it (new layers: draw(), idle-frames.ts). */
  private slowIdleFrames(overlay: MapboxOverlay, map: maplibregl.Map): void {
    // MapboxOverlay keeps its Deck private; without one (another deck.gl) the loop runs as it is.
    const deck = (overlay as unknown as { _deck?: DeckWithLoop })._deck;
    if (!deck?.animationLoop?.props) return;
    const frames = createIdleFrames(() => Boolean(deck.needsRedraw({ clearRedrawFlags: false })));
    deck.animationLoop.props.animationFrameProvider = frames.provider;
    this.idleFrames = frames;
    for (const type of ['movestart', 'move', 'mousemove', 'mousedown', 'touchstart', 'wheel'] as const)
      map.on(type, () => {
        frames.wake();
        this.lastActivity = performance.now();
      });
  }

  /** The base map's load, errors, zoom and the user's camera moves. */
  private listenToMap(map: maplibregl.Map): void {
    map.on('render', () => void this.stats.basemapFrames++);
    map.on('load', () => {
      this.loaded.style = true;
      this.syncBoundaries();
      this.invalidate();
    });
    map.on('error', (e) => {
      // A missing tile is not worth a banner; the style or the demo file is.
      const message = (e.error as Error | undefined)?.message ?? '';
      if (!this.loaded.style) this.callbacks.onStatus({ state: 'error', message: `底图加载失败:${message}` });
    });
    map.on('zoom', () => this.invalidate());
    map.on('move', (e: { originalEvent?: unknown }) => {
      if (e.originalEvent) this.emitCamera(false);
    });
    map.on('moveend', (e: { originalEvent?: unknown; griddeckFlight?: boolean }) => {
      if (e.originalEvent || e.griddeckFlight) this.emitCamera(true);
      this.syncRegisters();
    });
  }

  destroy(): void {
    this.destroyed = true;
    for (const off of this.unsubscribe.splice(0)) off();
    this.data.destroy();
    if (this.clockTimer) clearInterval(this.clockTimer);
    if (this.frameRequest !== null) cancelAnimationFrame(this.frameRequest);
    this.callbacks.onHover(null);
    try {
      if (this.overlay && this.map) this.map.removeControl(this.overlay);
      this.overlay?.finalize();
    } catch {
      // Already torn down with the map.
    }
    this.map?.remove();
    this.map = null;
    this.overlay = null;
  }

  // ================================================================= inputs from React

  setView(view: MapViewState): void {
    const previous = this.view;
    this.view = view;
    if (this.map && (!this.appliedCamera || !sameCamera(view.camera, this.appliedCamera))) {
      this.appliedCamera = view.camera;
      if (!sameCamera(view.camera, this.currentCamera())) {
        const center = this.datum.toDisplay(view.camera.lon, view.camera.lat);
        const target = { center, zoom: view.camera.zoom, bearing: view.camera.bearing, pitch: view.camera.pitch };
        // The wall's camera moves are its story (to an urgent event and back): flown, not cut.
        // A small step (a followed console panning, every ~120 ms) glides instead, so the
        // wall keeps up rather than starting a long flight per step.
        if (this.mode === 'wall' && this.loaded.style) {
          const p = this.map.project(center);
          const near = Math.abs(view.camera.zoom - this.map.getZoom()) < 1.5 && p.x >= 0 && p.y >= 0 && p.x <= this.container.clientWidth && p.y <= this.container.clientHeight;
          if (near) this.map.easeTo({ ...target, duration: 350, essential: true }, { griddeckFlight: true });
          else this.map.flyTo({ ...target, duration: 1800, essential: true }, { griddeckFlight: true });
        } else this.map.jumpTo(target);
      }
    }
    if (!sameSelection(previous.selection, view.selection)) {
      if (view.selection && !sameSelection(view.selection, this.ownSelection)) this.flyToSelection(view.selection);
      this.ownSelection = null;
      this.positions.recolor(Date.now(), this.palette, view.selection?.kind === 'worker' ? view.selection.id : null);
    }
    this.syncViewData();
    this.syncBoundaries();
    this.invalidate();
  }

  setHighlight(highlight: { lon: number; lat: number; id?: string } | null): void {
    const same = (a: typeof highlight, b: typeof highlight): boolean =>
      a === b || (!!a && !!b && a.lon === b.lon && a.lat === b.lat && a.id === b.id);
    if (same(highlight, this.highlight)) return;
    this.highlight = highlight;
    if (highlight) this.wake();
    if (highlight && this.map) {
      const center = this.datum.toDisplay(highlight.lon, highlight.lat);
      this.map.flyTo({ center, zoom: Math.max(this.map.getZoom(), 15), speed: 1.2, essential: true }, { griddeckFlight: true });
    }
    this.invalidate();
  }

  private marks: MapMarks | null = null;
  private deskCtx: DeskContext | null = null;

  /** The field desk's marks (desk-marks.ts); a new subject (its key) is fitted in view once. */
  setMarks(marks: MapMarks | null): void {
    if (marks === this.marks) return;
    const fresh = marks !== null && marks.key !== this.marks?.key;
    this.marks = marks;
    const box = fresh ? marksBounds(marks) : null;
    if (box) this.fitBounds(box);
    this.invalidate();
  }

  private deskContext(): DeskContext {
    const grids = this.grids;
    if (this.deskCtx && this.deskGrids === grids) return this.deskCtx;
    this.deskGrids = grids;
    this.deskCtx = {
      rings: (code) => grids?.rings.get(code),
      workerAt: (id) => {
        const fix = this.positions.fixOf(id);
        return fix ? this.datum.toDisplay(fix.lon, fix.lat) : null;
      },
      toDisplay: (lon, lat) => this.datum.toDisplay(lon, lat),
    };
    return this.deskCtx;
  }

  private deskGrids: PreparedGrids | null = null;

  setInteractive(on: boolean): void {
    this.interactive = on;
    if (!this.map) return;
    for (const name of MAP_HANDLERS) {
      const handler = this.map[name] as { enable(): void; disable(): void };
      if (name === 'dragRotate') continue;
      if (on) handler.enable();
      else handler.disable();
    }
  }

  // ================================================================= data loading

  private async loadGrids(): Promise<void> {
    try {
      const grids = await this.source.grids();
      if (this.destroyed) return;
      this.grids = prepareGrids(grids, this.datum);
      this.pickLabels = makeLabelPicker(this.grids.shapes);
      this.loaded.grids = true;
      if (this.derived) this.reportFillClasses(this.derived.metrics);
      this.syncBoundaries();
      this.invalidate();
    } catch (error) {
      this.reportError('网格', error);
    }
  }

  private async loadWorkers(): Promise<void> {
    try {
      const [workers, fixes] = await Promise.all([this.source.workers(), this.source.positions()]);
      if (this.destroyed) return;
      this.workers = new Map(workers.map((w) => [w.id, w]));
      this.positions.setWorkers(workers);
      this.positions.upsert(fixes);
      this.trails.push(fixes);
      this.positions.recolor(Date.now(), this.palette, this.selectedWorker());
      this.loaded.workers = true;
      this.invalidate();
    } catch (error) {
      this.reportError('网格员', error);
    }
  }

  private async loadCategories(): Promise<void> {
    try {
      this.categories = categoryIndex(await this.source.categories());
      this.categoriesVersion++;
    } catch {
      // Without the list of matters events still draw, marked by their own code.
    }
  }

  private keepClosed(e: GridEvent): boolean {
    return !!this.view.filters.status && this.view.filters.status.includes(e.status);
  }

  private reportError(what: string, error: unknown): void {
    this.errorShown = true;
    this.callbacks.onStatus({ state: 'error', message: `${what}数据读取失败:${error instanceof Error ? error.message : String(error)}` });
  }

  /** Closed events are fetched only when the filters ask for them; the replay's track and the density as the view says. */
  private syncViewData(): void {
    const v = this.view;
    // Filters asking for closed statuses: fetch those too (bounded).
    const closedAsked = (v.filters.status ?? []).filter((s) => !OPEN_STATUSES.includes(s));
    const closedKey = closedAsked.length > 0 ? `${closedAsked.join(',')}|${v.timeWindow?.from ?? ''}|${v.timeWindow?.to ?? ''}` : '';
    if (closedKey && closedKey !== this.closedKey) {
      this.closedKey = closedKey;
      void this.source
        .events({ status: closedAsked, ...(v.timeWindow ? { from: v.timeWindow.from, to: v.timeWindow.to } : {}), limit: 20_000 })
        .then((list) => this.data.add(list))
        .catch((error: unknown) => this.reportError('事件', error));
    }
    if (v.layers.density) {
      const window = this.densityWindow();
      const key = `${window.from}|${window.to}`;
      if (this.density?.key !== key && this.densityLoading !== key) {
        this.densityLoading = key;
        void this.source
          .events({ from: window.from, to: window.to, limit: MAX_DENSITY_EVENTS })
          .then((list) => {
            if (this.densityLoading !== key) return;
            const now = Date.now();
            this.density = { key, points: list.map((e) => toEventPoint(e, now, this.categories, this.datum)) };
            this.invalidate();
          })
          .catch((error: unknown) => this.reportError('密度', error));
      }
    }
    this.syncRegisters();
    const r = v.replay;
    const replayKey = r ? replayKeyOf(r) : '';
    if ((this.replay?.key ?? '') !== replayKey) {
      this.replay = r ? { key: replayKey, data: null } : null;
      if (!r) this.callbacks.onReplay?.(null);
      if (r) {
        void this.source
          .track(r.workerId, r.from, r.to)
          .then((fixes) => {
            if (this.replay?.key !== replayKey) return;
            const data = this.replayData(fixes);
            this.replay = { key: replayKey, data };
            this.callbacks.onReplay?.({ key: replayKey, fixes: data.times.length, stops: data.stops.length });
            this.invalidate();
          })
          .catch((error: unknown) => this.reportError('轨迹', error));
      }
    }
  }

  private closedKey = '';

  // The registers' houses and organisations (register-layers.ts): only when the role may read them.
  private registersAllowed = false;
  private registerData: RegisterLayerData | null = null;

  /** May this screen's role read the registers (GridMap asks the session)? Off: the layers stay empty and nothing is asked. */
  allowRegisters(on: boolean): void {
    this.registersAllowed = on;
    this.syncRegisters();
  }

  private syncRegisters(): void {
    const v = this.view;
    if (!this.registersAllowed || !this.map || !(v.layers.houses || v.layers.organisations)) return;
    this.registerData ??= new RegisterLayerData(this.source.registerPoints?.bind(this.source), () => this.invalidate(), (error) => this.reportError('登记', error));
    const b = this.map.getBounds();
    const [w, s] = this.datum.fromDisplay(b.getWest(), b.getSouth());
    const [e, n] = this.datum.fromDisplay(b.getEast(), b.getNorth());
    this.registerData.sync(true, [w, s, e, n], this.map.getZoom(), this.datum);
  }

  /** The village and town boundaries on the base map (layers.ts boundaryLayers): their data, and shown with the grids layer. */
  private syncBoundaries(): void {
    const map = this.map;
    if (!map || !this.loaded.style) return;
    const visible = this.view.layers.grids;
    if (!map.getSource(BOUNDARY_SOURCE)) {
      map.addSource(BOUNDARY_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, tolerance: 0.4 });
      for (const layer of boundaryLayers(this.palette, this.style.scale, visible)) map.addLayer(layer as never);
    }
    if (this.grids && this.boundariesOf !== this.grids) {
      this.boundariesOf = this.grids;
      const source = map.getSource(BOUNDARY_SOURCE) as { setData(data: unknown): void } | undefined;
      source?.setData(boundaryFeatures([...this.grids.villageBoundaries, ...this.grids.townBoundaries]));
    }
    for (const id of Object.values(BOUNDARY_LAYERS)) {
      if (map.getLayer(id) && (map.getLayoutProperty(id, 'visibility') === 'visible') !== visible) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
    }
  }

  private boundariesOf: PreparedGrids | null = null;

  private densityWindow(): { from: string; to: string } {
    if (this.view.timeWindow) return this.view.timeWindow;
    const to = Date.now();
    // Rounded to the hour, so the window (and the fetch) stays the same for a while.
    const hour = Math.ceil(to / 3_600_000) * 3_600_000;
    return { from: toIso(hour - DEFAULT_DENSITY_DAYS * 86_400_000), to: toIso(hour) };
  }

  private replayData(fixes: PositionFix[]): ReplayData {
    const sorted = [...fixes].sort((a, b) => a.at - b.at);
    return {
      path: sorted.map((f) => this.datum.toDisplay(f.lon, f.lat)),
      times: sorted.map((f) => f.at),
      stops: detectStops(sorted).map((s) => ({ ...s, position: this.datum.toDisplay(s.lon, s.lat) })),
    };
  }

  // ================================================================= live updates

  private onPositions(fixes: PositionFix[]): void {
    if (this.positions.upsert(fixes) > 0) {
      this.trails.push(fixes);
      if (this.watched()) this.invalidate();
      else this.positionsPending = true;
    }
  }

  /** Moved positions not drawn yet (the map is not being used: they wait for the clock's tick). */
  private positionsPending = false;
  /** performance.now() of the last pointer or camera activity on the map. */
  private lastActivity = -Infinity;

  /** Is someone using the map: pointer or camera moved lately, or a worker followed? */
  private watched(): boolean {
    return performance.now() - this.lastActivity < POSITIONS_LIVE_MS || this.selectedWorker() !== null;
  }

  private onChanged(types: readonly string[], ids: readonly string[] | undefined, carried?: ReadonlyMap<string, GridEvent | null>, arrivedAt?: number): void {
    if (types.includes('grid')) void this.loadGrids();
    if (types.includes('worker')) void this.loadWorkers();
    if (types.includes('category')) void this.loadCategories().then(() => this.data.bump());
    if (!types.includes('event')) return;
    const t0 = arrivedAt ?? performance.now();
    for (const id of this.data.change(ids, carried)) this.pendingPaint.set(id, t0);
  }

  /** The clock: flags and fading recomputed, and a frame only when they or the waiting positions changed something. */
  /**
   * A first read that failed (the service busy past the client's time limit, or away) is
   * tried again on the clock's tick until it succeeds: a wall left alone must come back
   * by itself, not stay on an error until someone reloads it.
   */
  private retryFirstLoads(): void {
    if (this.destroyed || this.firstLoads || (this.loaded.grids && this.loaded.workers && this.data.loaded)) return;
    const again: Promise<void>[] = [];
    if (!this.loaded.grids) again.push(this.loadGrids());
    if (!this.loaded.workers) again.push(this.loadWorkers());
    if (!this.data.loaded) again.push(this.data.load());
    this.firstLoads = Promise.all(again).then(() => {
      this.firstLoads = null;
      const recovered = this.loaded.grids && this.loaded.workers && this.data.loaded;
      // Before the first full frame, onFrame says ready; after it, the error is cleared here.
      if (recovered && this.errorShown && this.firstReadyFrame) this.reportSettled();
      if (recovered) this.errorShown = false;
      this.syncViewData();
    });
  }

  private tick(): void {
    this.retryFirstLoads();
    this.clockNow = Date.now();
    const painted = this.positions.recolor(this.clockNow, this.palette, this.selectedWorker());
    const flags = this.flagsVersion;
    if (this.data.loaded) this.derive();
    if (painted || this.positionsPending || flags !== this.flagsVersion) this.invalidate();
    this.positionsPending = false;
  }

  private selectedWorker(): string | null {
    return this.view.selection?.kind === 'worker' ? this.view.selection.id : null;
  }

  // ================================================================= derived data

  /**
   * Points, the shown subset, the pulsing subset and the grid figures. The lists are
   * rebuilt only when the events, the filters or the window change (a point is
   * reused while its event object is the same); the clock's tick only refreshes the
   * overdue and new flags in place and bumps the versions the layers' triggers read.
   */
  private derive(): Derived {
    const v = this.view;
    const key = `${this.data.version}|${this.categoriesVersion}|${JSON.stringify(v.filters)}|${v.timeWindow?.from ?? ''}|${v.timeWindow?.to ?? ''}`;
    const now = Math.max(this.clockNow, Date.now());
    const rebuilt = !this.derived || key !== this.derivedKey;
    if (!rebuilt && this.derivedAt === this.clockNow) return this.derived!;
    let points: EventPoint[];
    let shown: EventPoint[];
    if (rebuilt) {
      const window = v.timeWindow ? { from: parseIso(v.timeWindow.from), to: parseIso(v.timeWindow.to) } : null;
      const cache = new Map<string, { event: GridEvent; point: EventPoint }>();
      points = [];
      for (const e of this.data.events.values()) {
        const hit = this.pointCache.get(e.id);
        const point = hit && hit.event === e ? hit.point : toEventPoint(e, now, this.categories, this.datum);
        cache.set(e.id, { event: e, point });
        points.push(point);
      }
      this.pointCache = cache;
      shown = points.filter((p) => matchesFilters(p, v.filters, window));
      this.clusters.load(shown);
      this.metricPoints = points.filter((p) => matchesFilters(p, { ...v.filters, status: undefined }, window));
    } else {
      points = this.derived!.points;
      shown = this.derived!.shown;
    }
    let flagsChanged = false;
    for (const p of points) if (refreshPoint(p, now)) flagsChanged = true;
    if (flagsChanged) this.flagsVersion++;
    if (rebuilt || flagsChanged || !this.derived) {
      const metrics = gridMetrics(this.metricPoints, this.derived?.metrics.breaks);
      this.derived = { points, shown, attention: shown.filter((p) => p.fresh || p.overdue), metrics };
      this.metricsVersion++;
      this.reportFillClasses(metrics);
    }
    this.derivedKey = key;
    this.derivedAt = this.clockNow;
    for (const p of shown) {
      const t0 = this.pendingPaint.get(p.id);
      if (t0 !== undefined) {
        this.awaitingFrame.set(p.id, t0);
        this.pendingPaint.delete(p.id);
      }
    }
    return this.derived;
  }

  // ================================================================= rendering

  /** Asks for a layer rebuild in the next animation frame (any number of calls, one rebuild). */
  invalidate(): void {
    if (this.destroyed || this.frameRequest !== null) return;
    this.frameRequest = requestAnimationFrame((t) => {
      this.frameRequest = null;
      this.render(t);
    });
  }

  /** Something to animate, and within its time (ANIMATION_ACTIVE_MS after the last wake()). */
  private animated(): boolean {
    const marks = !!this.highlight || (this.view.layers.events && (this.pulseCache?.rows.length ?? this.derived?.attention.length ?? 0) > 0);
    return marks && performance.now() < this.animateUntil;
  }

  /** The pulse and the highlight move again, for ANIMATION_ACTIVE_MS from now. */
  private wake(): void {
    this.animateUntil = performance.now() + ANIMATION_ACTIVE_MS;
  }

  /** The time the rings are drawn at: the frame's while they move, a fixed one at rest (deck.gl then recomputes nothing). */
  private ringTime(time: number): number {
    return performance.now() < this.animateUntil ? time : REST_TIME_MS;
  }

  private render(time: number): void {
    if (!this.overlay || !this.map) return;
    this.stats.renders++;
    this.lastAnimation = time;
    this.overlay.setProps({ layers: this.buildLayers(time) });
    this.idleFrames?.draw();
    // The pulse and the highlight animate; everything else waits for a change.
    if (this.animated() && !this.animating) {
      this.animating = true;
      const loop = (t: number): void => {
        if (this.destroyed || !this.animated()) {
          this.animating = false;
          // One more frame draws the rings at rest.
          if (!this.destroyed) this.invalidate();
          return;
        }
        if (t - this.lastAnimation >= ANIMATION_FRAME_MS) this.invalidate();
        requestAnimationFrame(loop);
      };
      requestAnimationFrame(loop);
    }
  }

  private env(): LayerEnv {
    return { palette: this.palette, scale: this.style.scale, zoom: this.map?.getZoom() ?? this.view.camera.zoom, hover: this.style.hover && this.interactive };
  }

  buildLayers(time: number): Layer[] {
    const v = this.view;
    const env = this.env();
    const layers: (Layer | null)[] = [];
    const derived = this.data.loaded ? this.derive() : null;

    if (this.grids && v.layers.grids) layers.push(...gridLayers(this.grids, v.gridFill, derived?.metrics ?? null, this.metricsVersion, env));
    const desk = deskLayers(this.marks, this.deskContext(), env);
    layers.push(...desk.under);
    if (v.layers.density && this.density) layers.push(densityLayer(this.density.points, env));
    if (this.registersAllowed && this.registerData) layers.push(...this.registerData.layers(v.layers, env));
    // Trails are drawn close up only (a ten-minute walk is a few pixels on the overview), for the workers in view.
    if (v.layers.trails && v.layers.workers && env.zoom >= TRAIL_MIN_ZOOM) {
      const now = Date.now();
      const box = this.trailBox();
      const boxKey = box.join(',');
      const stale = this.trails.version !== this.trailVersion || boxKey !== this.trailBoxKey;
      if (stale && (now - this.trailBuiltAt >= TRAIL_REBUILD_MS || boxKey !== this.trailBoxKey)) {
        this.trailData = this.trails.build(now, box);
        this.trailBuiltAt = now;
        this.trailVersion = this.trails.version;
        this.trailBoxKey = boxKey;
      } else if (stale) {
        setTimeout(() => this.invalidate(), TRAIL_REBUILD_MS);
      }
      if (this.trailData) layers.push(trailLayer(this.trailData, env));
    }
    if (this.replay?.data) layers.push(replayLayers(this.replay.data, null, env)[0] ?? null);
    layers.push(basemapLabelLayer(this.labels, env));
    const names = this.grids && this.pickLabels && v.layers.gridLabels ? splitLabelRows(this.pickLabels(labelLevels(env.zoom, env.scale))) : null;
    if (names) layers.push(gridLabelLayer(names.grids, env));
    if (derived && v.layers.events) {
      const shown = this.clusters.at(env.zoom);
      layers.push(...eventLayers(shown, env, { selectedId: v.selection?.kind === 'event' ? v.selection.id : null, flagsVersion: this.flagsVersion }));
      layers.push(pulseLayer(this.pulsing(derived, shown.singles), this.ringTime(time), env));
    }
    if (v.layers.workers && this.loaded.workers) {
      const selected = this.selectedWorker();
      layers.push(
        ...workerLayers(this.positions.data(), env, {
          arrowAtlas: typeof document === 'undefined' ? null : arrowAtlas(),
          selectedIndex: selected ? (this.positions.indexOf(selected) ?? null) : null,
        }),
      );
    }
    layers.push(...desk.over);
    if (this.replay?.data) {
      const at = v.replay?.at ? parseIso(v.replay.at) : (this.replay.data.times[this.replay.data.times.length - 1] ?? null);
      layers.push(...replayLayers(this.replay.data, at, env).slice(1));
    }
    // Place names above the markers: a village's name stays readable over a cluster bubble.
    if (names) layers.push(gridLabelLayer(names.places, env, LAYER_IDS.placeLabels));
    layers.push(selectionLayer(v.selection, this.selectionTarget(v.selection), env));
    if (this.highlight) layers.push(highlightLayer(this.datum.toDisplay(this.highlight.lon, this.highlight.lat), this.ringTime(time), env));
    const built = layers.filter((l): l is Layer => l !== null);
    this.layerIds = built.map((l) => l.id);
    return built;
  }

  private trailBoxKey = '';
  /** The ids of the layers last drawn, bottom first (the test hook's layerOrder). */
  layerIds: string[] = [];
  private pulseCache: { derived: Derived; singles: EventPoint[]; flags: number; rows: EventPoint[] } | null = null;

  /**
   * The events that pulse: new or overdue, drawn on their own (not inside a
   * cluster), the most pressing first and at most MAX_PULSING of them. A ring is
   * an alarm: a backlog of hundreds of overdue events keeps its red outline, and
   * the rings stay few enough to recompute every animation frame.
   */
  private pulsing(derived: Derived, singles: EventPoint[]): EventPoint[] {
    const c = this.pulseCache;
    if (c && c.derived === derived && c.singles === singles && c.flags === this.flagsVersion) return c.rows;
    const alone = new Set(singles);
    const rows = derived.attention
      .filter((p) => alone.has(p))
      .sort((a, b) => Number(b.fresh) - Number(a.fresh) || URGENCY_RANK[b.urgency] - URGENCY_RANK[a.urgency] || b.reportedAt - a.reportedAt)
      .slice(0, MAX_PULSING);
    this.pulseCache = { derived, singles, flags: this.flagsVersion, rows };
    const key = rows.map((p) => p.id).join();
    if (key !== this.pulseKey) {
      this.pulseKey = key;
      this.wake();
    }
    return rows;
  }

  /** The view's box widened by half on every side, rounded so small moves keep the same trails. */
  private trailBox(): [number, number, number, number] {
    const b = this.map?.getBounds();
    if (!b) return [-180, -90, 180, 90];
    const w = b.getEast() - b.getWest();
    const h = b.getNorth() - b.getSouth();
    const step = Math.max(w, h) / 4;
    const snap = (x: number, up: boolean): number => (up ? Math.ceil(x / step) : Math.floor(x / step)) * step;
    return [snap(b.getWest() - w / 2, false), snap(b.getSouth() - h / 2, false), snap(b.getEast() + w / 2, true), snap(b.getNorth() + h / 2, true)];
  }

  private selectionTarget(selection: Selection | null): { rings?: GeoJSON.Position[][]; point?: [number, number] } | null {
    if (!selection) return null;
    if (selection.kind === 'grid') {
      const rings = this.grids?.rings.get(selection.id);
      return rings ? { rings } : null;
    }
    const at = this.locate(selection);
    return at ? { point: this.datum.toDisplay(at[0], at[1]) } : null;
  }

  /** Where a selected thing is (WGS84), if the map knows it. */
  locate(selection: Selection): [number, number] | null {
    if (selection.kind === 'worker') {
      const fix = this.positions.fixOf(selection.id);
      return fix ? [fix.lon, fix.lat] : null;
    }
    if (selection.kind === 'event') {
      const e = this.data.events.get(selection.id);
      return e ? [e.location.lon, e.location.lat] : null;
    }
    const g = this.grids?.byCode.get(selection.id);
    return g ? g.inside : null;
  }

  private afterFrame(): void {
    this.stats.frames++;
    this.stats.lastFrameMs = performance.now() - this.frameStart;
    this.stats.frameTimes.push(this.stats.lastFrameMs);
    if (this.stats.frameTimes.length > 4000) this.stats.frameTimes.splice(0, 2000);
    if (this.awaitingFrame.size > 0) {
      const now = performance.now();
      // Epoch times too, so a benchmark can line them up with the county's clock.
      const epoch = (t: number): number => performance.timeOrigin + t;
      for (const [id, t0] of this.awaitingFrame) this.stats.eventPaints.push({ id, ms: now - t0, changeAt: epoch(t0), frameAt: epoch(now) });
      this.awaitingFrame.clear();
      this.stats.eventPaints.splice(0, Math.max(0, this.stats.eventPaints.length - 20));
    }
    if (!this.firstReadyFrame && this.isLoaded()) {
      this.firstReadyFrame = true;
      this.reportSettled();
    }
  }

  /** Everything read: ready, or the one error that stays (the base map file missing). */
  private reportSettled(): void {
    this.callbacks.onStatus(this.baseMissing ? { state: 'error', message: '底图文件读取失败,仅显示网格' } : { state: 'ready' });
  }

  private isLoaded(): boolean {
    return this.loaded.style && this.loaded.grids && this.loaded.workers && this.data.loaded && this.stats.renders > 0;
  }

  /** True once the base map, grids, workers and events are drawn. */
  get ready(): boolean {
    return this.firstReadyFrame;
  }

  // ================================================================= camera

  currentCamera(): Camera {
    if (!this.map) return this.view.camera;
    const c = this.map.getCenter();
    const [lon, lat] = this.datum.fromDisplay(c.lng, c.lat);
    return { lon, lat, zoom: this.map.getZoom(), bearing: this.map.getBearing(), pitch: this.map.getPitch() };
  }

  private lastEmit = 0;

  private emitCamera(final: boolean): void {
    const now = performance.now();
    // A move emits at most every 120 ms (a follower screen sees it live); the end of a move always.
    if (!final && now - this.lastEmit < 120) return;
    this.lastEmit = now;
    // appliedCamera stays the prop's: a parent that keeps its camera does not pull the map back.
    this.callbacks.onCamera(this.currentCamera(), final);
  }

  private flyToSelection(selection: Selection): void {
    if (!this.map) return;
    if (selection.kind === 'grid') {
      const shape = this.grids?.byCode.get(selection.id);
      if (!shape) return;
      this.fitBounds(shape.bounds);
      return;
    }
    const at = this.locate(selection);
    if (!at) return;
    const center = this.datum.toDisplay(at[0], at[1]);
    this.map.flyTo({ center, zoom: Math.max(this.map.getZoom(), 15.5), speed: 1.4, essential: true }, { griddeckFlight: true });
  }

  private fitBounds(bounds: [number, number, number, number]): void {
    if (!this.map) return;
    const sw = this.datum.toDisplay(bounds[0], bounds[1]);
    const ne = this.datum.toDisplay(bounds[2], bounds[3]);
    const pad = Math.round(Math.min(this.container.clientWidth, this.container.clientHeight) * 0.12);
    this.map.fitBounds([sw, ne], { padding: pad, maxZoom: 16.5, duration: 900, essential: true }, { griddeckFlight: true });
  }

  /** The whole town (every grid) in view: the wall's overview. */
  overview(animate = true): void {
    const b = this.grids ? boundsOf(this.grids.shapes.filter((s) => s.level === 1)) ?? boundsOf(this.grids.shapes) : null;
    if (!b || !this.map) return;
    if (animate) this.fitBounds(b);
    else {
      const sw = this.datum.toDisplay(b[0], b[1]);
      const ne = this.datum.toDisplay(b[2], b[3]);
      this.map.fitBounds([sw, ne], { padding: 40, duration: 0 }, { griddeckFlight: true });
    }
  }

  // ================================================================= pointer

  private resolvePick(info: PickingInfo | null | undefined): Picked | null {
    return pickedSelection(info, (i) => this.positions.idAt(i));
  }

  private onClick(info: PickingInfo): void {
    if (this.callbacks.onPickLocation) {
      const c = info.coordinate;
      if (c && c.length >= 2) this.callbacks.onPickLocation(this.datum.fromDisplay(c[0]!, c[1]!));
      return;
    }
    const picked = this.resolvePick(info);
    if (picked?.kind === 'cluster') {
      const zoom = this.clusters.expansionZoom(picked.clusterId);
      const c = info.coordinate;
      if (this.map && c && zoom !== null) this.map.easeTo({ center: [c[0]!, c[1]!], zoom: Math.min(zoom + 0.2, 18) }, { griddeckFlight: true });
      return;
    }
    // A desk mark selects what it marks: the grid, the worker (a resource or device: nothing).
    const selection: Selection | null = picked?.kind === 'desk' ? (picked.mark === 'unpatrolled' ? { kind: 'grid', id: picked.id } : picked.mark === 'nearby' || picked.mark === 'notified' ? { kind: 'worker', id: picked.id } : null) : picked;
    this.ownSelection = selection;
    this.callbacks.onSelect(selection);
  }

  private onHover(info: PickingInfo): void {
    if (!this.style.hover || !this.interactive) return;
    const picked = this.resolvePick(info);
    if (!picked) {
      this.callbacks.onHover(null);
      return;
    }
    const text = this.describe(picked);
    this.callbacks.onHover(text ? { x: info.x, y: info.y, ...text } : null);
  }

  private lastFillClasses = '';

  /** Tells the legend the fill's classes when they (or the grids per class) changed. */
  private reportFillClasses(metrics: Derived['metrics']): void {
    if (!this.grids) return;
    const classes = fillClasses(metrics, this.grids.byCode.size);
    const key = JSON.stringify(classes);
    if (key === this.lastFillClasses) return;
    this.lastFillClasses = key;
    this.callbacks.onFillClasses?.(classes);
  }

  /** What the tooltip says about a picked thing (console only; the wall shows no hover-only information). */
  describe(picked: Picked): { title: string; lines: string[] } | null {
    if (picked.kind === 'desk') {
      if (picked.mark === 'unpatrolled') return { title: this.grids?.byCode.get(picked.id)?.name ?? picked.id, lines: ['今日尚未巡查'] };
      return { title: picked.label, lines: [DESK_MARK_LABELS[picked.mark]] };
    }
    if (picked.kind === 'grid') {
      const g = this.grids?.byCode.get(picked.id);
      if (!g) return null;
      const m = this.derived?.metrics;
      return { title: g.name, lines: [`编码 ${g.code}`, `在办事件 ${m?.load.get(g.code) ?? 0} 件,超时 ${m?.overdue.get(g.code) ?? 0} 件`] };
    }
    if (picked.kind === 'worker') {
      const w = this.workers.get(picked.id);
      const fix = this.positions.fixOf(picked.id);
      const age = fix ? Math.max(0, Math.round((Date.now() - fix.at) / 60_000)) : null;
      return {
        title: w ? `${w.name}(${WORKER_ROLE_LABELS[w.role]})` : picked.id,
        lines: [w ? (w.onDuty ? '在岗' : '不在岗') : '', age === null ? '' : age < 1 ? '定位:刚刚' : `定位:${age} 分钟前`].filter(Boolean),
      };
    }
    if (picked.kind === 'event') {
      const e = this.data.events.get(picked.id);
      if (!e) return null;
      const p = this.derived?.points.find((x) => x.id === picked.id);
      return {
        title: e.title || e.code,
        lines: [
          `${e.code} · ${this.categories.nameOf(e.category)}`,
          `${URGENCY_LABELS[e.urgency]} · ${STATUS_LABELS[e.status]}${p?.overdue ? ' · 已超时' : ''}`,
          e.location.address,
        ].filter(Boolean),
      };
    }
    return { title: '事件聚合', lines: ['点击放大查看'] };
  }

  // ================================================================= test hook

  /** What is drawn at a point of the page (client pixels), optionally of one kind only. */
  pickAt(x: number, y: number, kind?: Picked['kind']): Picked | null {
    if (!this.overlay) return null;
    const rect = this.container.getBoundingClientRect();
    const at = { x: x - rect.left, y: y - rect.top, radius: 3 };
    if (kind) {
      const hits = this.overlay.pickMultipleObjects({ ...at, layerIds: PICK_LAYERS[kind], depth: 8 });
      for (const hit of hits) {
        const p = this.resolvePick(hit);
        if (p && p.kind === kind) return p;
      }
      return null;
    }
    return this.resolvePick(this.overlay.pickObject(at));
  }

  /** Everything of one kind drawn at a point (events reported at the same spot lie on top of each other). */
  pickAllAt(x: number, y: number, kind: Picked['kind']): Picked[] {
    if (!this.overlay) return [];
    const rect = this.container.getBoundingClientRect();
    const hits = this.overlay.pickMultipleObjects({ x: x - rect.left, y: y - rect.top, radius: 3, layerIds: PICK_LAYERS[kind], depth: 32 });
    return hits.map((h) => this.resolvePick(h)).filter((p): p is Picked => p !== null && p.kind === kind);
  }

  /** Where a WGS84 point is drawn, in client pixels. */
  project(lon: number, lat: number): [number, number] | null {
    if (!this.map) return null;
    const rect = this.container.getBoundingClientRect();
    const p = this.map.project(this.datum.toDisplay(lon, lat));
    return [p.x + rect.left, p.y + rect.top];
  }

  /** Moves the camera now (tests); resolves once deck.gl has drawn the new view (what picking reads; base map tiles may still load). */
  jumpTo(camera: Partial<Camera> & { lon: number; lat: number }): Promise<void> {
    const map = this.map;
    if (!map) return Promise.resolve();
    map.jumpTo({ center: this.datum.toDisplay(camera.lon, camera.lat), ...(camera.zoom !== undefined ? { zoom: camera.zoom } : {}) }, { griddeckFlight: true });
    // The deck.gl overlay takes the camera from the base map's 'render' event, which comes in
    // maplibre's next frame: deck.gl frames drawn before it still show (and pick) the old view.
    // A synchronous redraw hands the new camera over now.
    map.redraw();
    return this.frames(2);
  }

  /**
   * Resolves after `n` more deck.gl frames, each drawn with the layers built for the
   * view of its animation frame. The frames are drawn on purpose: a map at rest draws
   * only when something changed (issue 14), and a test's jump back to the same view
   * changes nothing.
   */
  private frames(n: number): Promise<void> {
    return new Promise((resolve) => {
      const target = this.stats.frames + n;
      const check = (): void => {
        if (this.destroyed || this.stats.frames >= target) return resolve();
        // The rebuild asked for below ran earlier in this animation frame: draw its layers now.
        const deck = (this.overlay as unknown as { _deck?: DeckWithLoop } | null)?._deck;
        deck?.layerManager?.updateLayers();
        deck?.redraw('a test or a benchmark waits for a frame');
        this.invalidate();
        requestAnimationFrame(check);
      };
      this.invalidate();
      requestAnimationFrame(check);
    });
  }

  /** Moves the camera at once, without waiting (benchmarks move it every frame). */
  setCamera(camera: Partial<Camera> & { lon: number; lat: number }): void {
    this.map?.jumpTo({ center: this.datum.toDisplay(camera.lon, camera.lat), ...(camera.zoom !== undefined ? { zoom: camera.zoom } : {}) });
  }

  /** Resolves after the base map is idle and two more deck.gl frames are drawn. */
  settled(): Promise<void> {
    const map = this.map;
    if (!map) return Promise.resolve();
    return new Promise((resolve) => {
      const afterFrames = (): void => void this.frames(2).then(resolve);
      if (map.loaded() && !map.isMoving()) afterFrames();
      else map.once('idle', afterFrames);
    });
  }

  /** Grid shape by code (tests and the console's fly-to). */
  grid(code: string): GridShape | undefined {
    return this.grids?.byCode.get(code);
  }
}
