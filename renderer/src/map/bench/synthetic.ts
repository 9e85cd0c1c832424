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
  const events = new Map(data.events.map((e) => [e.id, e]));
  const fixes = data.positions.map((f) => ({ ...f }));
  const positionListeners = new Set<(fixes: PositionFix[]) => void>();
  const changeListeners = new Set<(types: string[], ids: string[] | undefined) => void>();
  let seed = 12345;
  const random = (): number => {
    // A small LCG: the harness must not depend on Math.random for repeatable runs.
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296;
  };
  let added = 0;
  let cursor = 0;

  const source: MapDataSource = {
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
      positionListeners.add(l);
      return () => positionListeners.delete(l);
    },
    onChanged: (l) => {
      changeListeners.add(l);
      return () => changeListeners.delete(l);
    },
  };

  return {
    source,
    moveSome(count, stepM, at) {
      const dLat = stepM / 111_000;
      const batch: PositionFix[] = [];
      for (let k = 0; k < Math.min(count, fixes.length); k++) {
        const f = fixes[cursor]!;
        cursor = (cursor + 1) % fixes.length;
        const heading = random() * 360;
        const rad = (heading * Math.PI) / 180;
        f.lat += Math.cos(rad) * dLat;
        f.lon += (Math.sin(rad) * dLat) / Math.cos((f.lat * Math.PI) / 180);
        f.heading = heading;
        f.at = at;
        batch.push({ ...f });
      }
      for (const l of positionListeners) l(batch);
      return batch.length;
    },
    addEvent(at) {
      const template = data.events[added % Math.max(1, data.events.length)];
      const grid = data.grids.find((g) => g.level === 3);
      added++;
      const id = `bench-new-${added}`;
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
      const e: GridEvent = { ...base, id, code: id, status: 'reported', urgency: 'urgent', reportedAt: toIso(at), location: { ...base.location, lon: data.camera.lon, lat: data.camera.lat } };
      events.set(id, e);
      for (const l of changeListeners) l(['event'], [id]);
      return id;
    },
  };
}
