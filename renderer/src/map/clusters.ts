// Events grouped into clusters when zoomed out (supercluster). The index is built
// once per events version; the clusters of a zoom level are computed once per
// (version, integer zoom) and reused while the camera moves within that level.
import Supercluster from 'supercluster';
import type { ClusterProperties } from 'supercluster';
import type { EventPoint } from './events';
import { URGENCY_RANK } from './events';
import type { Urgency } from '../../../core/model';

/** From this zoom on every event is drawn on its own. */
export const CLUSTER_MAX_ZOOM = 15;

export interface ClusterItem {
  id: string;
  position: [number, number];
  count: number;
  /** The most pressing urgency inside. */
  urgency: Urgency;
  overdue: number;
  /** supercluster's own id, for its expansion zoom. */
  clusterId: number;
}

export interface ClusteredEvents {
  clusters: ClusterItem[];
  /** Events not merged into any cluster at this zoom (the very objects given to load). */
  singles: EventPoint[];
}

interface Props {
  i: number;
  rank: number;
  overdue: number;
}

const URGENCIES: Urgency[] = ['normal', 'urgent', 'critical'];

export class EventClusters {
  private index: Supercluster<Props, Props> | null = null;
  private points: readonly EventPoint[] = [];
  private cache = new Map<number, ClusteredEvents>();
  private unclustered: ClusteredEvents | null = null;
  /** Index builds so far (tests: recomputed only when the data changes). */
  builds = 0;

  constructor(
    private readonly radiusPx = 46,
    private readonly maxZoom = CLUSTER_MAX_ZOOM - 1,
  ) {}

  /** Takes a new list of events; the same array again changes nothing. */
  load(points: readonly EventPoint[]): void {
    if (points === this.points && this.index) return;
    this.points = points;
    this.cache.clear();
    this.unclustered = null;
    this.index = new Supercluster<Props, Props>({
      radius: this.radiusPx,
      maxZoom: this.maxZoom,
      map: (p) => ({ i: p.i, rank: p.rank, overdue: p.overdue }),
      reduce: (acc, p) => {
        acc.rank = Math.max(acc.rank, p.rank);
        acc.overdue += p.overdue;
      },
    });
    this.index.load(
      points.map((p, i) => ({
        type: 'Feature' as const,
        properties: { i, rank: URGENCY_RANK[p.urgency], overdue: p.overdue ? 1 : 0 },
        geometry: { type: 'Point' as const, coordinates: p.position },
      })),
    );
    this.builds++;
  }

  /** Clusters and single events at a zoom (only its integer part matters). */
  at(zoom: number): ClusteredEvents {
    const z = Math.max(0, Math.floor(zoom));
    if (!this.index || z > this.maxZoom) {
      // The same object for the same data: a new array per frame would make deck.gl recompute
      // every event attribute on every frame close up.
      this.unclustered ??= { clusters: [], singles: [...this.points] };
      return this.unclustered;
    }
    const hit = this.cache.get(z);
    if (hit) return hit;
    const clusters: ClusterItem[] = [];
    const singles: EventPoint[] = [];
    for (const f of this.index.getClusters([-180, -85, 180, 85], z)) {
      const props = f.properties as Partial<ClusterProperties> & Props;
      if (props.cluster) {
        clusters.push({
          id: `cluster:${z}:${props.cluster_id}`,
          position: f.geometry.coordinates as [number, number],
          count: props.point_count ?? 0,
          urgency: URGENCIES[props.rank] ?? 'normal',
          overdue: props.overdue,
          clusterId: props.cluster_id ?? -1,
        });
      } else {
        const p = this.points[props.i];
        if (p) singles.push(p);
      }
    }
    const result = { clusters, singles };
    this.cache.set(z, result);
    return result;
  }

  /** The zoom at which a cluster falls apart (click to expand). */
  expansionZoom(clusterId: number): number | null {
    try {
      return this.index ? this.index.getClusterExpansionZoom(clusterId) : null;
    } catch {
      return null;
    }
  }
}
