// The dispatcher console's own questions to the replica: the queue's tab counts, the
// likely duplicates of a new report, whom to send (the nearest on-duty grid workers),
// which grid a point on the map falls in, and dropping a rejected command from the
// list once dealt with. The domain rules come from core/ (recommendWorkers, GridIndex);
// this file only feeds them the replica's data.
import { distance } from '@turf/distance';
import type { ResultOf } from '../../core/api/contract';
import { recommendWorkers } from '../../core/catalog/catalog';
import { GridIndex } from '../../core/grid/spatial';
import type { EventStatus, GridEvent } from '../../core/model';
import { EVENT_STATUSES, OPEN_STATUSES } from '../../core/model';
import { parseIso, toIso } from '../../core/time/shanghai';
import type { Replica } from './replica/replica';
import type { Handlers } from './service';
import { ApiFailure } from './service';
import type { Caller } from '../../core/api/channels';
import { eventInScope, workerInScope, type EventScope } from '../../core/privacy/scope';

/** What the console's queries read from the replica: derived from Replica (electron/service/replica/replica.ts). */
export type ConsoleReplica = Pick<
  Replica,
  'getEvent' | 'grids' | 'workers' | 'positions' | 'countEvents' | 'eventsOfCategoryBetween' | 'dismissRejected' | 'pendingCommands'
>;

/** "Close in space and time" for a likely duplicate: the seed's one incident reported twice nearby. */
export const DUPLICATE_RADIUS_M = 200;
export const DUPLICATE_WINDOW_MS = 48 * 3_600_000;
const DUPLICATE_MAX = 10;
/** Candidates read from the replica before the distance filter (same category, same two days). */
const DUPLICATE_SCAN = 500;

type ConsoleMethod = 'events.counts' | 'events.duplicates' | 'dispatch.recommend' | 'grids.locate' | 'commands.pending' | 'commands.dismiss';
export type ConsoleHandlers = Required<Pick<Handlers, ConsoleMethod>>;

export interface ConsoleQueries {
  handlers: ConsoleHandlers;
  /** Grids changed in the replica: the spatial index is rebuilt on next use. */
  invalidateGrids(): void;
}

/** The commands waiting for the county on an event; none for an event out of the caller's scope. */
function pendingInScope(replica: ConsoleReplica, eventId: string, scope: EventScope | null): ReturnType<ConsoleReplica['pendingCommands']> {
  if (scope !== null) {
    const event = replica.getEvent(eventId);
    if (event !== null && !eventInScope(event, scope)) return [];
  }
  return replica.pendingCommands(eventId);
}

/**
 * `scopeOf`: a caller's scope (electron/service/scope.ts): counts, duplicates and
 * recommendations are those of its grids or department; an event out of scope is not found.
 */
export function createConsoleQueries(replica: ConsoleReplica, clock: () => number, scopeOf: (caller: Caller) => EventScope | null = () => null): ConsoleQueries {
  let index: GridIndex | null = null;
  const gridIndex = (r: ConsoleReplica): GridIndex => (index ??= new GridIndex(r.grids()));

  const need = (): ConsoleReplica => replica;

  const eventOrFail = (r: ConsoleReplica, id: string, scope: EventScope | null): GridEvent => {
    const event = r.getEvent(id);
    if (event === null || !eventInScope(event, scope)) throw new ApiFailure('not-found', `事件不存在：${id}`);
    return event;
  };

  const handlers: ConsoleHandlers = {
    'events.counts': (filter, caller) => {
      const now = clock();
      const counted = need().countEvents({ ...filter, scope: scopeOf(caller) }, now);
      const byStatus = Object.fromEntries(EVENT_STATUSES.map((s) => [s, counted.byStatus[s] ?? 0])) as Record<EventStatus, number>;
      return { all: counted.all, byStatus, overdue: counted.overdue, at: toIso(now) };
    },

    'events.duplicates': ({ id }, caller) => {
      const r = need();
      const scope = scopeOf(caller);
      const event = eventOrFail(r, id, scope);
      const reported = parseIso(event.reportedAt);
      const here: [number, number] = [event.location.lon, event.location.lat];
      const candidates = r.eventsOfCategoryBetween(
        event.category,
        reported - DUPLICATE_WINDOW_MS,
        reported + DUPLICATE_WINDOW_MS,
        OPEN_STATUSES,
        event.id,
        DUPLICATE_SCAN,
      );
      const out: ResultOf<'events.duplicates'> = [];
      for (const other of candidates) {
        if (!eventInScope(other, scope)) continue;
        const distanceM = distance(here, [other.location.lon, other.location.lat], { units: 'meters' });
        if (!(distanceM <= DUPLICATE_RADIUS_M)) continue;
        const minutesApart = Math.abs(parseIso(other.reportedAt) - reported) / 60_000;
        out.push({ event: other, distanceM, minutesApart });
      }
      out.sort((a, b) => a.distanceM - b.distanceM || a.minutesApart - b.minutesApart || (a.event.id < b.event.id ? -1 : 1));
      return out.slice(0, DUPLICATE_MAX);
    },

    'dispatch.recommend': ({ eventId, limit }, caller) => {
      const r = need();
      const scope = scopeOf(caller);
      const event = eventOrFail(r, eventId, scope);
      const positions = new Map(r.positions().map((p) => [p.workerId, p]));
      const grids = gridIndex(r);
      const ranked = recommendWorkers({
        grid: event.grid,
        at: { lon: event.location.lon, lat: event.location.lat },
        workers: r.workers({ onDuty: true }).filter((w) => workerInScope(w, scope)),
        positions,
        neighbours: (code) => grids.neighbours(code),
        now: clock(),
        limit,
      });
      return ranked.map((rec) => ({ ...rec, position: positions.get(rec.worker.id) ?? null }));
    },

    'grids.locate': ({ lon, lat }) => {
      const grids = gridIndex(need());
      const grid = grids.locate(lon, lat, 3);
      if (grid === null) return null;
      const village = grid.parent === null ? undefined : grids.get(grid.parent);
      return {
        grid: { code: grid.code, name: grid.name, kind: grid.kind },
        village: village === undefined ? null : { code: village.code, name: village.name },
      };
    },

    'commands.pending': ({ eventId }, caller) => pendingInScope(need(), eventId, scopeOf(caller)),

    'commands.dismiss': ({ n }) => ({ n, dismissed: need().dismissRejected(n) }),
  };

  return {
    handlers,
    invalidateGrids: () => {
      index = null;
    },
  };
}
