// The search around an incident over the replica: grid workers by their last fix, teams
// and resources, grids. Each set's flatbush index (core/emergency/radius.ts) is kept and
// rebuilt only when the set changes (the workers' at most every POSITIONS_TTL_MS: fixes
// stream in every few seconds), so a query is an index search and the distances.
import { RadiusIndex, pointBox } from '../../../core/emergency/radius';
import type { Resource } from '../../../core/emergency/resources';
import type { Grid, PositionFix, Worker } from '../../../core/model';
import type { ResultOf } from '../../../core/api/contract';
import bbox from '@turf/bbox';

export const POSITIONS_TTL_MS = 2000;

export interface NearbySources {
  positions(): PositionFix[];
  workers(): Worker[];
  grids(): Grid[];
  resources(): Resource[];
}

interface Indexes {
  at: number;
  /** The fixes of known workers only: each joined to its worker once, when the index is built. */
  fixes: RadiusIndex<PositionFix>;
  /** The worker of each fix, by the fix's index id (a parallel array: no lookup per hit). */
  workerOf: Worker[];
  grids: RadiusIndex<Grid>;
  /** Each grid's code and name by index id: the answer copies them without touching the (cold) grid record. */
  gridCode: string[];
  gridName: string[];
  resources: RadiusIndex<Resource>;
}

export class NearbySearch {
  private built: Indexes | null = null;

  constructor(
    private readonly src: NearbySources,
    private readonly clock: () => number,
  ) {}

  /** The indexes, rebuilt when older than POSITIONS_TTL_MS (the bench builds them first, then times queries). */
  indexes(): Indexes {
    const now = this.clock();
    const b = this.built;
    if (b && now - b.at <= POSITIONS_TTL_MS && now >= b.at) return b;
    const byId = new Map(this.src.workers().map((w) => [w.id, w]));
    const fixes: PositionFix[] = [];
    const workerOf: Worker[] = [];
    for (const fix of this.src.positions()) {
      const worker = byId.get(fix.workerId);
      if (worker === undefined) continue;
      fixes.push(fix);
      workerOf.push(worker);
    }
    const grids = this.src.grids().filter((g) => g.level === 3);
    this.built = {
      at: now,
      fixes: new RadiusIndex(fixes, pointBox),
      workerOf,
      grids: new RadiusIndex(grids, (g) => bbox(g.geometry) as [number, number, number, number]),
      gridCode: grids.map((g) => g.code),
      gridName: grids.map((g) => g.name),
      resources: new RadiusIndex(this.src.resources(), (r) => pointBox(r.location)),
    };
    return this.built;
  }

  /** Drops the indexes (the register changed). */
  invalidate(): void {
    this.built = null;
  }

  /** What lies within radiusM of the point, nearest first. */
  search(lon: number, lat: number, radiusM: number): ResultOf<'emergency.nearby'> {
    const ix = this.indexes();
    const { workerOf, gridCode, gridName } = ix;
    // Each answer built in its own loop over the sorted hits (one object shape per loop, no callback per hit).
    const fixes = ix.fixes.items;
    let count = ix.fixes.hits(lon, lat, radiusM);
    let keys = ix.fixes.hitKeys;
    let n = fixes.length;
    const workers: ResultOf<'emergency.nearby'>['workers'] = new Array(count);
    for (let k = 0; k < count; k++) {
      const distanceM = Math.floor(keys[k]! / n);
      const id = keys[k]! - distanceM * n;
      workers[k] = { worker: workerOf[id]!, distanceM, position: fixes[id]! };
    }
    const items = ix.resources.items;
    count = ix.resources.hits(lon, lat, radiusM);
    keys = ix.resources.hitKeys;
    n = items.length;
    const resources: ResultOf<'emergency.nearby'>['resources'] = new Array(count);
    for (let k = 0; k < count; k++) {
      const distanceM = Math.floor(keys[k]! / n);
      resources[k] = { resource: items[keys[k]! - distanceM * n]!, distanceM };
    }
    count = ix.grids.hits(lon, lat, radiusM);
    keys = ix.grids.hitKeys;
    n = gridCode.length;
    const grids: ResultOf<'emergency.nearby'>['grids'] = new Array(count);
    for (let k = 0; k < count; k++) {
      const distanceM = Math.floor(keys[k]! / n);
      const id = keys[k]! - distanceM * n;
      grids[k] = { code: gridCode[id]!, name: gridName[id]!, distanceM };
    }
    return { center: { lon, lat }, radiusM, workers, resources, grids };
  }
}
