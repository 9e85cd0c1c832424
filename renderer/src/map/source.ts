// Where the map gets its data. In the app: the app API through renderer/src/platform
// (queries, and the `positions` and `entities.changed` pushes). The benchmark
// harness gives the map a synthetic source of the same shape instead.
import type { BasemapConfig } from '../../../core/api/basemap';
import { DEMO_BASEMAP } from '../../../core/api/basemap';
import { EVENTS_PAGE_MAX } from '../../../core/api/contract';
import type { Category, EventStatus, Grid, GridEvent, PositionFix, Worker } from '../../../core/model';
import type { ApiClient } from '../../../core/api/client';
import type { EventStore } from '../platform/event-store';
import type { Bbox, RegisterPoints } from './register-layers';

export interface EventQuery {
  status?: EventStatus[];
  /** ISO instants: events reported in [from, to]. */
  from?: string;
  to?: string;
  /** At most this many events (the newest first when bounded by time). */
  limit: number;
}

export interface MapDataSource {
  basemap(): Promise<BasemapConfig>;
  grids(): Promise<Grid[]>;
  workers(): Promise<Worker[]>;
  positions(): Promise<PositionFix[]>;
  categories(): Promise<Category[]>;
  events(query: EventQuery): Promise<GridEvent[]>;
  event(id: string): Promise<GridEvent | null>;
  track(workerId: string, from: string, to: string): Promise<PositionFix[]>;
  onPositions(listener: (fixes: PositionFix[]) => void): () => void;
  /**
   * The replica changed: types, ids when known, and the changed events the source
   * already has (null: gone), so the map needs no call for them; `arrivedAt`
   * (performance.now()) is when the change reached the page.
   */
  onChanged(listener: (types: readonly string[], ids: readonly string[] | undefined, events?: ReadonlyMap<string, GridEvent | null>, arrivedAt?: number) => void): () => void;
  /** The registers' house and organisation points in a WGS84 box (register-layers.ts); absent: no register layers. */
  registerPoints?(bbox: Bbox, limit: number): Promise<RegisterPoints>;
}

/** Pages of events.list until the query is exhausted or the limit reached. */
async function allEvents(api: ApiClient, query: EventQuery): Promise<GridEvent[]> {
  const out: GridEvent[] = [];
  for (let offset = 0; out.length < query.limit; ) {
    const limit = Math.min(EVENTS_PAGE_MAX, query.limit - out.length);
    const page = await api.call('events.list', {
      ...(query.status ? { status: query.status } : {}),
      ...(query.from ? { from: query.from } : {}),
      ...(query.to ? { to: query.to } : {}),
      paging: { offset, limit },
      sort: 'reportedAt',
    });
    out.push(...page.items);
    offset += page.items.length;
    if (page.items.length < limit || offset >= page.total) break;
  }
  return out;
}

/** The app's own data: the replica through the app API, single events and changes through the event store. */
export function platformSource({ api, store }: { api: ApiClient; store: EventStore }): MapDataSource {
  return {
    basemap: async () => (await api.call('app.info')).basemap ?? DEMO_BASEMAP,
    grids: () => api.call('grids.list', {}),
    workers: () => api.call('workers.list', {}),
    positions: () => api.call('workers.positions'),
    categories: () => api.call('categories.list'),
    events: (query) => allEvents(api, query),
    event: (id) => store.load(id),
    track: (workerId, from, to) => api.call('workers.track', { workerId, from, to }),
    onPositions: (listener) => api.on('positions', (payload) => listener(payload.items)),
    onChanged: (listener) => store.subscribe((change) => listener(change.types, change.ids ?? undefined, change.events, change.arrivedAt)),
    registerPoints: (bbox, limit) => api.call('registers.layers', { bbox, limit }),
  };
}
