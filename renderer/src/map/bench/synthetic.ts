// A map data source over a fixed data set, for the benchmark harness: the same
// interface as the app API's (source.ts), with the pushes driven by the harness
// (workers moving, new events arriving) instead of a county.
import type { BasemapConfig } from '../../../../core/api/basemap';
import type { Category, Grid, GridEvent, PositionFix, Worker } from '../../../../core/model';
import { toIso } from '../../../../core/time/shanghai';
import type { MapDataSource } from '../source';
import { freshWorkflow } from '../../../../core/events/transition';

export interface BenchData {
  grids: Grid[];
  workers: Worker[];
  positions: PositionFix[];
  events: GridEvent[];
  categories: Category[];
  camera: { lon: number; lat: number; zoom: number };
}

export interface SyntheticSource {
  source: MapDataSource;
  /**
   * A share of the workers (the next `count` in turn) take a step of a random walk
   * of about `stepM` metres, and one push carries their fixes, as the data service
   * pushes the fixes that arrived since its last push.
   */
  moveSome(count: number, stepM: number, at: number): number;
  /** A new event at a known grid's point, announced like the replica announces one; returns its id. */
  addEvent(at: number): string;
}

export function syntheticSource(data: BenchData, basemap: BasemapConfig = { kind: 'demo' }): SyntheticSource {
  const state: SourceState = {
    events: new Map(data.events.map((e) => [e.id, e])),
    fixes: data.positions.map((f) => ({ ...f })),
    positionListeners: new Set(),
    changeListeners: new Set(),
  };
  const random = lcg(12345);
  let added = 0;
  let cursor = 0;

  return {
    source: stateSource(data, basemap, state),
    moveSome(count, stepM, at) {
      const dLat = stepM / 111_000;
      const { fixes } = state;
      const batch: PositionFix[] = [];
      for (let k = 0; k < Math.min(count, fixes.length); k++) {
        const f = fixes[cursor]!;
        cursor = (cursor + 1) % fixes.length;
        step(f, random() * 360, dLat, at);
        batch.push({ ...f });
      }
      for (const l of state.positionListeners) l(batch);
      return batch.length;
    },
    addEvent(at) {
      const template = data.events[added % Math.max(1, data.events.length)];
      added++;
      const e = benchEvent(data, template, `bench-new-${added}`, at);
      state.events.set(e.id, e);
      for (const l of state.changeListeners) l(['event'], [e.id]);
      return e.id;
    },
  };
}

interface SourceState {
  events: Map<string, GridEvent>;
  fixes: PositionFix[];
  positionListeners: Set<(fixes: PositionFix[]) => void>;
  changeListeners: Set<(types: string[], ids: string[] | undefined) => void>;
}

/** A small LCG: the harness must not depend on Math.random for repeatable runs. */
export function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** One step of the random walk: `dLat` degrees of latitude's length along `heading`, at `at`. */
function step(f: PositionFix, heading: number, dLat: number, at: number): void {
  const rad = (heading * Math.PI) / 180;
  f.lat += Math.cos(rad) * dLat;
  f.lon += (Math.sin(rad) * dLat) / Math.cos((f.lat * Math.PI) / 180);
  f.heading = heading;
  f.at = at;
}

/** The app API's data source interface over the fixed data set and its live state. */
function stateSource(data: BenchData, basemap: BasemapConfig, state: SourceState): MapDataSource {
  const { events, fixes } = state;
  return {
    basemap: () => Promise.resolve(basemap),
    grids: () => Promise.resolve(data.grids),
    workers: () => Promise.resolve(data.workers),
    positions: () => Promise.resolve(fixes.map((f) => ({ ...f }))),
    categories: () => Promise.resolve(data.categories),
    events: (q) =>
      Promise.resolve(
        [...events.values()].filter((e) => (!q.status || q.status.includes(e.status)) && (!q.from || e.reportedAt >= q.from) && (!q.to || e.reportedAt <= q.to)).slice(0, q.limit),
      ),
    event: (id) => Promise.resolve(events.get(id) ?? null),
    track: (workerId, from, to) =>
      Promise.resolve(fixes.filter((f) => f.workerId === workerId && f.at >= Date.parse(from) && f.at <= Date.parse(to))),
    onPositions: (l) => {
      state.positionListeners.add(l);
      return () => state.positionListeners.delete(l);
    },
    onChanged: (l) => {
      state.changeListeners.add(l);
      return () => state.changeListeners.delete(l);
    },
  };
}

/** A new urgent event at the camera's centre: a copy of `template`, or a made-up one when the data set has none. */
function benchEvent(data: BenchData, template: GridEvent | undefined, id: string, at: number): GridEvent {
  const grid = data.grids.find((g) => g.level === 3);
  const base: GridEvent = template ?? {
    id,
    code: id,
    title: '基准测试事件',
    description: '',
    category: data.categories[0]?.code ?? '0101',
    status: 'reported',
    urgency: 'urgent',
    source: 'patrol',
    location: { lon: data.camera.lon, lat: data.camera.lat, address: '' },
    grid: grid?.code ?? '',
    reportedAt: toIso(at),
    reporter: null,
    ...freshWorkflow(),
    tier: 'simple',
  };
  return { ...base, id, code: id, status: 'reported', urgency: 'urgent', reportedAt: toIso(at), location: { ...base.location, lon: data.camera.lon, lat: data.camera.lat } };
}
