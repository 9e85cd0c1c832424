// The renderer's one subscriber to `entities.changed`. It keeps the events views have
// asked for (and those pushes brought) and hands every view the same resolved change:
// the events the push carried, or, for an event a view holds that the push did not
// carry, one `events.get` shared by every holder. So a change costs each screen at most
// one call per event, and none when the push carried the event.
import type { ApiClient } from '../../../core/api/client';
import type { PayloadOf, ResultOf } from '../../../core/api/contract';
import type { GridEvent } from '../../../core/model';

export type EventCounts = ResultOf<'events.counts'>;

export interface EventChange {
  readonly types: readonly string[];
  /** The changed ids; null when the change was too large to name them (views reload what they show). */
  readonly ids: readonly string[] | null;
  /** The changed events known now (null: the replica no longer has it). An id absent here is unknown: neither carried nor held. */
  readonly events: ReadonlyMap<string, GridEvent | null>;
  /** Which of the carried events show commands the county has not settled; null when the push did not say. */
  readonly pending: ReadonlySet<string> | null;
  /** The unfiltered tab counts after the change, when the push carried them. */
  readonly counts: EventCounts | null;
  /** A dispatcher command was rejected (the list of rejected commands changed). */
  readonly rejected: boolean;
  /** performance.now() when the push arrived. */
  readonly arrivedAt: number;
}

export interface EventStore {
  /** The event as last known (null: gone), undefined when the store does not have it. */
  get(id: string): GridEvent | null | undefined;
  /** The event from the store when it has it in full, else one call (concurrent asks share it). */
  load(id: string, full?: boolean): Promise<GridEvent | null>;
  /**
   * Keeps an event current while held: a change that does not carry it is fetched once
   * for all holders. `full`: the holder shows personal data, so an event pushed masked
   * (the Electron host pushes as for a viewer) is fetched too.
   */
  hold(id: string, full?: boolean): () => void;
  /** Every change, resolved; listeners run in order of subscription. */
  subscribe(listener: (change: EventChange) => void): () => void;
  /** The latest pushed unfiltered tab counts. */
  counts(): EventCounts | null;
  close(): void;
}

/** Events kept beyond the held ones: enough for the map's and alerts' working set of a town. */
const KEEP = 5000;

interface Entry {
  event: GridEvent | null;
  /** Not masked: good for a view that shows personal data. */
  full: boolean;
}

type Subscribe = (listener: (payload: PayloadOf<'entities.changed'>) => void) => () => void;

export function createEventStore(api: Pick<ApiClient, 'call'>, subscribeChanges: Subscribe): EventStore {
  const cache = new Map<string, Entry>();
  const held = new Map<string, { count: number; full: number }>();
  const loading = new Map<string, Promise<GridEvent | null>>();
  const listeners = new Set<(change: EventChange) => void>();
  let lastCounts: EventCounts | null = null;

  const put = (id: string, entry: Entry): void => {
    cache.delete(id);
    cache.set(id, entry);
    if (cache.size <= KEEP) return;
    for (const old of cache.keys()) {
      if (cache.size <= KEEP) break;
      if (!held.has(old)) cache.delete(old);
    }
  };

  const fetchOne = (id: string): Promise<GridEvent | null> => {
    const running = loading.get(id);
    if (running) return running;
    const p = api.call('events.get', { id }).then(
      (event) => {
        loading.delete(id);
        put(id, { event, full: true });
        return event;
      },
      (error: unknown) => {
        loading.delete(id);
        throw error;
      },
    );
    loading.set(id, p);
    return p;
  };

  const emit = (change: EventChange): void => {
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch (error) {
        console.error('event store listener failed', error);
      }
    }
  };

  /** Held ids the push did not make current: carried masked to a full holder, or not carried at all. */
  const stale = (payload: PayloadOf<'entities.changed'>, known: ReadonlyMap<string, GridEvent | null>): string[] => {
    const named = payload.ids ?? [...held.keys()];
    return named.filter((id) => {
      const h = held.get(id);
      if (!h) return false;
      if (!known.has(id)) return true;
      return payload.masked === true && h.full > 0 && known.get(id) !== null;
    });
  };

  const onPush = (payload: PayloadOf<'entities.changed'>): void => {
    const arrivedAt = performance.now();
    const isEvent = payload.types.includes('event');
    const known = new Map<string, GridEvent | null>();
    if (isEvent) {
      for (const event of payload.events ?? []) {
        known.set(event.id, event);
        put(event.id, { event, full: payload.masked !== true });
      }
      for (const id of payload.gone ?? []) {
        known.set(id, null);
        put(id, { event: null, full: true });
      }
      if (payload.counts) lastCounts = payload.counts;
    }
    const change = {
      types: payload.types,
      ids: payload.ids ?? null,
      events: known,
      pending: payload.pending ? new Set(payload.pending) : null,
      counts: isEvent ? (payload.counts ?? null) : null,
      rejected: payload.rejected === true,
      arrivedAt,
    };
    const missing = isEvent ? stale(payload, known) : [];
    if (missing.length === 0) {
      emit(change);
      return;
    }
    // One call per held event not carried, then one resolved change for every view.
    void Promise.all(missing.map((id) => fetchOne(id).then((e) => known.set(id, e), () => undefined))).then(() => emit(change));
  };

  const unsubscribe = subscribeChanges(onPush);

  return {
    get: (id) => cache.get(id)?.event,
    load: (id, full = false) => {
      const entry = cache.get(id);
      if (entry && (entry.full || !full)) return Promise.resolve(entry.event);
      return fetchOne(id);
    },
    hold: (id, full = false) => {
      const h = held.get(id) ?? { count: 0, full: 0 };
      h.count++;
      if (full) h.full++;
      held.set(id, h);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        h.count--;
        if (full) h.full--;
        if (h.count <= 0) held.delete(id);
      };
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    counts: () => lastCounts,
    close: () => {
      unsubscribe();
      listeners.clear();
    },
  };
}
