// The field desk's marks on the console's map (issue 13: "on the map the grid workers,
// teams and resources within a chosen radius"; "today's grids not yet patrolled, live, on
// the map"): the emergency's search circle, the workers found in it and those notified
// (ringed where the map holds them now, so they are seen converging as the positions
// push), the teams and resources, the unpatrolled grids, the county's devices. The desk's
// views set them (renderer/src/emergency/FieldDesk.tsx useDeskMarks); the map draws them
// as layers of its own, above the grids and around the live workers.
import type { Layer, PickingInfo } from '@deck.gl/core';
import { PolygonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Position } from 'geojson';
import { circleBox } from '../../../core/emergency/radius';
// Types only from layers.ts (which imports this module's pick helpers): no cycle at run time.
import type { LayerEnv } from './layers';
import type { Rgba } from './theme';

export type DeskWorkerTone = 'nearby' | 'notified';
export type DeskPointTone = 'team' | 'materials' | 'shelter' | 'vehicle' | 'device-normal' | 'device-alarm' | 'device-fault' | 'device-offline';
export type DeskMark = DeskWorkerTone | 'unpatrolled' | 'resource' | 'device';

export interface MapMarks {
  /** What the marks are about ("emergency:<id>", "patrol"): the map fits them once per key. */
  key: string;
  /** The search circle around an incident (WGS84, metres). */
  circle?: { lon: number; lat: number; radiusM: number } | null;
  /** Grid workers ringed where the map holds them now (its own live positions). */
  workers?: readonly { id: string; tone: DeskWorkerTone; label: string }[];
  /** Fixed points: teams and resources, devices (WGS84). */
  points?: readonly { id: string; lon: number; lat: number; tone: DeskPointTone; label: string }[];
  /** Basic grids highlighted (today's unpatrolled ones), by code. */
  grids?: readonly string[];
}

export const DESK_LAYER_IDS = { grids: 'desk-grids', radius: 'desk-radius', points: 'desk-points', workers: 'desk-workers' } as const;

/** The layers a desk mark is picked from (the test hook's `pickAt(x, y, 'desk')`). */
export const DESK_PICK_LAYERS: string[] = [DESK_LAYER_IDS.grids, DESK_LAYER_IDS.points, DESK_LAYER_IDS.workers];

export const DESK_COLOURS: { radius: Rgba; radiusFill: Rgba; unpatrolled: Rgba; unpatrolledFill: Rgba; worker: Record<DeskWorkerTone, Rgba>; halo: Record<DeskWorkerTone, Rgba>; point: Record<DeskPointTone, Rgba> } = {
  radius: [220, 38, 38, 230],
  radiusFill: [220, 38, 38, 28],
  unpatrolled: [234, 88, 12, 235],
  unpatrolledFill: [251, 146, 60, 90],
  worker: { nearby: [37, 99, 235, 235], notified: [220, 38, 38, 255] },
  halo: { nearby: [37, 99, 235, 45], notified: [220, 38, 38, 45] },
  point: {
    team: [22, 163, 74, 235],
    materials: [202, 138, 4, 235],
    shelter: [8, 145, 178, 235],
    vehicle: [124, 58, 237, 235],
    'device-normal': [22, 163, 74, 220],
    'device-alarm': [220, 38, 38, 255],
    'device-fault': [202, 138, 4, 235],
    'device-offline': [107, 114, 128, 220],
  },
};

export interface DeskPick {
  kind: 'desk';
  id: string;
  mark: DeskMark;
  label: string;
}

interface Drawn {
  id: string;
  mark: DeskMark;
  label: string;
}
interface GridRow extends Drawn {
  polygon: Position[][];
}
interface PointRow extends Drawn {
  position: [number, number];
  tone: DeskPointTone | DeskWorkerTone;
}

export interface DeskContext {
  /** A grid's outline rings on the base map (the map's prepared grids). */
  rings(code: string): Position[][] | undefined;
  /** Where the map holds a worker now, on the base map; null if it holds no fix. */
  workerAt(id: string): [number, number] | null;
  /** WGS84 → the base map's datum. */
  toDisplay(lon: number, lat: number): [number, number];
}

/** The grids' rows, kept while the marks' grids and the map's grids stay the same (a polygon is tessellated once). */
let gridCache: { codes: readonly string[]; rings: DeskContext['rings']; rows: GridRow[] } | null = null;

function gridRows(marks: MapMarks, ctx: DeskContext): GridRow[] {
  const codes = marks.grids ?? [];
  if (gridCache && gridCache.codes === codes && gridCache.rings === ctx.rings) return gridCache.rows;
  const rows = codes.flatMap((code) => {
    const rings = ctx.rings(code);
    // A multi-part grid: its rings drawn as one polygon each (outer rings only; grids have no holes).
    return rings ? rings.map((ring) => ({ id: code, mark: 'unpatrolled' as const, label: code, polygon: [ring] })) : [];
  });
  gridCache = { codes, rings: ctx.rings, rows };
  return rows;
}

/** The desk's layers: grids and circle under the markers, the points and the worker rings above them. */
export function deskLayers(marks: MapMarks | null, ctx: DeskContext, env: LayerEnv): { under: Layer[]; over: Layer[] } {
  if (!marks) return { under: [], over: [] };
  const under: Layer[] = [];
  const over: Layer[] = [];
  const grids = gridRows(marks, ctx);
  if (grids.length > 0) {
    under.push(
      new PolygonLayer<GridRow>({
        id: DESK_LAYER_IDS.grids,
        data: grids,
        getPolygon: (d) => d.polygon,
        getFillColor: DESK_COLOURS.unpatrolledFill,
        getLineColor: DESK_COLOURS.unpatrolled,
        getLineWidth: 2.5 * env.scale,
        lineWidthUnits: 'pixels',
        stroked: true,
        pickable: true,
      }),
    );
  }
  if (marks.circle) {
    const c = marks.circle;
    under.push(
      new ScatterplotLayer<{ position: [number, number] }>({
        id: DESK_LAYER_IDS.radius,
        data: [{ position: ctx.toDisplay(c.lon, c.lat) }],
        getPosition: (d) => d.position,
        getRadius: c.radiusM,
        radiusUnits: 'meters',
        getFillColor: DESK_COLOURS.radiusFill,
        getLineColor: DESK_COLOURS.radius,
        getLineWidth: 2.5 * env.scale,
        lineWidthUnits: 'pixels',
        stroked: true,
        updateTriggers: { getRadius: c.radiusM },
      }),
    );
  }
  const points: PointRow[] = (marks.points ?? []).map((p) => ({ id: p.id, mark: p.tone.startsWith('device') ? 'device' : 'resource', label: p.label, tone: p.tone, position: ctx.toDisplay(p.lon, p.lat) }));
  if (points.length > 0) {
    over.push(
      new ScatterplotLayer<PointRow>({
        id: DESK_LAYER_IDS.points,
        data: points,
        getPosition: (d) => d.position,
        getRadius: 7 * env.scale,
        radiusUnits: 'pixels',
        getFillColor: (d) => DESK_COLOURS.point[d.tone as DeskPointTone],
        getLineColor: [255, 255, 255, 240],
        getLineWidth: 2 * env.scale,
        lineWidthUnits: 'pixels',
        stroked: true,
        pickable: true,
      }),
    );
  }
  const workers: PointRow[] = (marks.workers ?? []).flatMap((w) => {
    const at = ctx.workerAt(w.id);
    return at ? [{ id: w.id, mark: w.tone, label: w.label, tone: w.tone, position: at }] : [];
  });
  if (workers.length > 0) {
    over.push(
      new ScatterplotLayer<PointRow>({
        id: DESK_LAYER_IDS.workers,
        data: workers,
        getPosition: (d) => d.position,
        getRadius: (d) => (d.tone === 'notified' ? 13 : 11) * env.scale,
        radiusUnits: 'pixels',
        // A faint halo inside the ring: the worker stays visible under it, and a pick at the worker finds the mark.
        getFillColor: (d) => DESK_COLOURS.halo[d.tone as DeskWorkerTone],
        stroked: true,
        getLineColor: (d) => DESK_COLOURS.worker[d.tone as DeskWorkerTone],
        getLineWidth: (d) => (d.tone === 'notified' ? 3.5 : 2.5) * env.scale,
        lineWidthUnits: 'pixels',
        pickable: true,
      }),
    );
  }
  return { under, over };
}

/** A pick of one of the desk's layers. */
export function deskPicked(info: Pick<PickingInfo, 'layer' | 'object'>): DeskPick | null {
  if (!info.layer || !DESK_PICK_LAYERS.includes(info.layer.id)) return null;
  const o = info.object as Drawn | null | undefined;
  return o ? { kind: 'desk', id: o.id, mark: o.mark, label: o.label } : null;
}

/** The box (WGS84) the marks ask the map to show: the circle's, with a margin; null when there is no circle. */
export function marksBounds(marks: MapMarks): [number, number, number, number] | null {
  if (!marks.circle) return null;
  return circleBox(marks.circle.lon, marks.circle.lat, marks.circle.radiusM * 1.15);
}
