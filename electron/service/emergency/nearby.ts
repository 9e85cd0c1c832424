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
  fixes: RadiusIndex<PositionFix>;
  grids: RadiusIndex<Grid>;
  resources: RadiusIndex<Resource>;
  workers: Map<string, Worker>;
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
    this.built = {
      at: now,
      fixes: new RadiusIndex(this.src.positions(), pointBox),
      grids: new RadiusIndex(
        this.src.grids().filter((g) => g.level === 3),
        (g) => bbox(g.geometry) as [number, number, number, number],
      ),
      resources: new RadiusIndex(this.src.resources(), (r) => pointBox(r.location)),
      workers: new Map(this.src.workers().map((w) => [w.id, w])),
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
    const workers = ix.fixes.within(lon, lat, radiusM).flatMap((h) => {
      const worker = ix.workers.get(h.item.workerId);
      return worker ? [{ worker, distanceM: h.distanceM, position: h.item }] : [];
    });
    const resources = ix.resources.within(lon, lat, radiusM).map((h) => ({ resource: h.item, distanceM: h.distanceM }));
    const grids = ix.grids.within(lon, lat, radiusM).map((h) => ({ code: h.item.code, name: h.item.name, distanceM: h.distanceM }));
    return { center: { lon, lat }, radiusM, workers, resources, grids };
  }
}
