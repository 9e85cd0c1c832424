// The map's whole view as one serializable value: camera, visible layers, grid
// fill, selection, time window, filters and a worker's track replay. The console,
// the wall and (later) the consultation meeting's shared view pass it around,
// store it and send it to other screens; GridMap is a controlled component over it.
//
// Coordinates in the view are always WGS84 (the county link's datum), whatever the
// base map's datum: a screen on a GCJ-02 base map and one on the demo map follow
// the same view and show the same place.
import * as z from 'zod';
import { IsoTimeSchema, EventStatusSchema, UrgencySchema } from '../../../core/api/schemas';
import { addDays, shanghaiDate, shanghaiMidnight, toIso } from '../../../core/time/shanghai';

export const SelectionSchema = z.object({
  kind: z.enum(['grid', 'worker', 'event']),
  id: z.string().min(1).max(128),
});
export type Selection = z.infer<typeof SelectionSchema>;

export const CameraSchema = z.object({
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-85).max(85),
  zoom: z.number().min(0).max(22),
  bearing: z.number().min(-360).max(360).default(0),
  pitch: z.number().min(0).max(85).default(0),
});
export type Camera = z.infer<typeof CameraSchema>;

export const LAYER_KEYS = ['grids', 'gridLabels', 'workers', 'trails', 'events', 'density', 'houses', 'organisations'] as const;
export type LayerKey = (typeof LAYER_KEYS)[number];

export const LayersSchema = z.object({
  grids: z.boolean().default(true),
  gridLabels: z.boolean().default(true),
  workers: z.boolean().default(true),
  trails: z.boolean().default(true),
  events: z.boolean().default(true),
  density: z.boolean().default(false),
  /** The registers' houses and organisations (only for the roles that may read the registers). */
  houses: z.boolean().default(false),
  organisations: z.boolean().default(false),
});

/** The layers drawn from the registers: their switches show only to the roles that may read them. */
export const REGISTER_LAYER_KEYS: readonly LayerKey[] = ['houses', 'organisations'];

export const GridFillSchema = z.enum(['load', 'overdue', 'none']);
export type GridFill = z.infer<typeof GridFillSchema>;

const TimeWindowSchema = z
  .object({ from: IsoTimeSchema, to: IsoTimeSchema })
  .refine((w) => Date.parse(w.from) <= Date.parse(w.to), { message: '起始时间不能晚于结束时间', path: ['to'] });

export const FiltersSchema = z.object({
  /** Category codes; an event matches a code or any code below it (a group code matches its leaves). */
  categories: z.array(z.string().min(1).max(32)).max(200).optional(),
  urgency: z.array(UrgencySchema).optional(),
  status: z.array(EventStatusSchema).optional(),
});
export type MapFilters = z.infer<typeof FiltersSchema>;

export const ReplaySchema = z
  .object({
    workerId: z.string().min(1).max(128),
    from: IsoTimeSchema,
    to: IsoTimeSchema,
    /** The replay's cursor; absent: the end of the period. */
    at: IsoTimeSchema.optional(),
  })
  .refine((r) => Date.parse(r.from) <= Date.parse(r.to), { message: '起始时间不能晚于结束时间', path: ['to'] });
export type Replay = z.infer<typeof ReplaySchema>;

/** The demo town's overview (古培镇): where a map without a stored view opens. */
export const DEFAULT_CAMERA: Camera = { lon: 112.8995, lat: 28.611, zoom: 12.2, bearing: 0, pitch: 0 };

export const MapViewStateSchema = z.object({
  camera: CameraSchema.default(DEFAULT_CAMERA),
  layers: LayersSchema.default(LayersSchema.parse({})),
  gridFill: GridFillSchema.default('load'),
  selection: SelectionSchema.nullable().default(null),
  /** The period of the density layer (and of the events drawn, when set); null: the last 7 days for density, open events otherwise. */
  timeWindow: TimeWindowSchema.nullable().default(null),
  filters: FiltersSchema.default({}),
  replay: ReplaySchema.nullable().optional(),
});

/** The view as every screen holds it (all fields present). */
export type MapViewState = z.output<typeof MapViewStateSchema>;
/** What a caller may pass to parse: any field may be missing and takes its default. */
export type MapViewStateInput = z.input<typeof MapViewStateSchema>;

export function defaultViewState(overrides: MapViewStateInput = {}): MapViewState {
  return MapViewStateSchema.parse(overrides);
}

export type ParsedView = { ok: true; view: MapViewState } | { ok: false; error: string };

/** Reads a view from another window, a stored setting or a URL: missing fields take their defaults, bad ones are refused. */
export function parseViewState(input: unknown): ParsedView {
  let raw = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch {
      return { ok: false, error: '视图不是有效的 JSON' };
    }
  }
  const parsed = MapViewStateSchema.safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, error: `视图无效:${parsed.error.issues.map((i) => `${i.path.join('.') || '(根)'} ${i.message}`).join(';')}` };
  return { ok: true, view: parsed.data };
}

/** A stable JSON text of the view (fixed key order, rounded camera), fit to send, store or compare. */
export function serializeViewState(view: MapViewState): string {
  const c = view.camera;
  const ordered = {
    camera: { lon: round(c.lon, 6), lat: round(c.lat, 6), zoom: round(c.zoom, 3), bearing: round(c.bearing, 2), pitch: round(c.pitch, 2) },
    layers: Object.fromEntries(LAYER_KEYS.map((k) => [k, view.layers[k]])),
    gridFill: view.gridFill,
    selection: view.selection ? { kind: view.selection.kind, id: view.selection.id } : null,
    timeWindow: view.timeWindow ? { from: view.timeWindow.from, to: view.timeWindow.to } : null,
    filters: {
      ...(view.filters.categories ? { categories: [...view.filters.categories] } : {}),
      ...(view.filters.urgency ? { urgency: [...view.filters.urgency] } : {}),
      ...(view.filters.status ? { status: [...view.filters.status] } : {}),
    },
    replay: view.replay ? { workerId: view.replay.workerId, from: view.replay.from, to: view.replay.to, ...(view.replay.at ? { at: view.replay.at } : {}) } : null,
  };
  return JSON.stringify(ordered);
}

const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** Cameras closer than this are the same view (a round trip through the map's own float math). */
export function sameCamera(a: Camera, b: Camera): boolean {
  return (
    Math.abs(a.lon - b.lon) < 1e-6 &&
    Math.abs(a.lat - b.lat) < 1e-6 &&
    Math.abs(a.zoom - b.zoom) < 1e-3 &&
    Math.abs(normalizeBearing(a.bearing) - normalizeBearing(b.bearing)) < 1e-2 &&
    Math.abs(a.pitch - b.pitch) < 1e-2
  );
}

export function normalizeBearing(bearing: number): number {
  const b = ((bearing % 360) + 360) % 360;
  return b > 180 ? b - 360 : b;
}

export const sameSelection = (a: Selection | null | undefined, b: Selection | null | undefined): boolean =>
  (a ?? null) === (b ?? null) || (!!a && !!b && a.kind === b.kind && a.id === b.id);

export function withSelection(view: MapViewState, selection: Selection | null): MapViewState {
  return sameSelection(view.selection, selection) ? view : { ...view, selection };
}

export function withCamera(view: MapViewState, camera: Camera): MapViewState {
  return sameCamera(view.camera, camera) ? view : { ...view, camera };
}

export function withLayer(view: MapViewState, key: LayerKey, on: boolean): MapViewState {
  return view.layers[key] === on ? view : { ...view, layers: { ...view.layers, [key]: on } };
}

/** The map's time window presets (Asia/Shanghai days, today included). */
export type PeriodKey = 'today' | '7d' | '30d';
export const PERIODS: readonly { key: PeriodKey; label: string; days: number }[] = [
  { key: 'today', label: '今天', days: 1 },
  { key: '7d', label: '近7天', days: 7 },
  { key: '30d', label: '近30天', days: 30 },
];

/** The window of a preset: from the start of the first day to the end of today, Shanghai time. */
export function periodWindow(key: PeriodKey, nowMs: number): { from: string; to: string } {
  const days = PERIODS.find((p) => p.key === key)?.days ?? 1;
  const today = shanghaiDate(nowMs);
  return { from: toIso(shanghaiMidnight(addDays(today, 1 - days))), to: toIso(shanghaiMidnight(addDays(today, 1)) - 1000) };
}

/** Which preset a window is today ('' for none: no window; 'custom' for another one, e.g. from a shared view). */
export function periodOf(window: { from: string; to: string } | null, nowMs: number): PeriodKey | '' | 'custom' {
  if (!window) return '';
  const hit = PERIODS.find((p) => {
    const w = periodWindow(p.key, nowMs);
    return Date.parse(w.from) === Date.parse(window.from) && Date.parse(w.to) === Date.parse(window.to);
  });
  return hit?.key ?? 'custom';
}
