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
type Payload = PayloadOf<'entities.changed'>;

/** How many holders an event has, and how many of them need it in full. */
export interface Hold {
  count: number;
  full: number;
}

export function createEventStore(api: Pick<ApiClient, 'call'>, subscribeChanges: Subscribe): EventStore {
  const held = new Map<string, Hold>();
  const cache = createCache(api, held);
  const listeners = new Set<(change: EventChange) => void>();
  let lastCounts: EventCounts | null = null;

  const onPush = (payload: Payload): void => {
    const arrivedAt = performance.now();
    const isEvent = payload.types.includes('event');
    const known = isEvent ? absorb(payload, cache.put) : new Map<string, GridEvent | null>();
    if (isEvent && payload.counts) lastCounts = payload.counts;
    const change = changeOf(payload, known, isEvent, arrivedAt);
    const missing = isEvent ? staleIds(held, payload, known) : [];
    if (missing.length === 0) {
      emit(listeners, change);
      return;
    }
    // One call per held event not carried, then one resolved change for every view.
    void Promise.all(missing.map((id) => cache.fetch(id).then((e) => known.set(id, e), () => undefined))).then(() => emit(listeners, change));
  };

  const unsubscribe = subscribeChanges(onPush);

  return {
    get: (id) => cache.entries.get(id)?.event,
    load: (id, full = false) => {
      const entry = cache.entries.get(id);
      if (entry && (entry.full || !full)) return Promise.resolve(entry.event);
      return cache.fetch(id);
    },
    hold: (id, full = false) => hold(held, id, full),
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

/**
 * The events known to the store, the most recently put last: beyond KEEP, the oldest
 * that nobody holds are dropped. `fetch` asks for one event in full; concurrent asks share the call.
 */
function createCache(api: Pick<ApiClient, 'call'>, held: ReadonlyMap<string, Hold>) {
  const entries = new Map<string, Entry>();
  const loading = new Map<string, Promise<GridEvent | null>>();

  const put = (id: string, entry: Entry): void => {
    entries.delete(id);
    entries.set(id, entry);
    if (entries.size <= KEEP) return;
    for (const old of entries.keys()) {
      if (entries.size <= KEEP) break;
      if (!held.has(old)) entries.delete(old);
    }
  };

  const fetch = (id: string): Promise<GridEvent | null> => {
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

  return { entries: entries as ReadonlyMap<string, Entry>, put, fetch };
}

/** Puts the events an event push carried (and those it says are gone); returns them by id. */
function absorb(payload: Payload, put: (id: string, entry: Entry) => void): Map<string, GridEvent | null> {
  const known = new Map<string, GridEvent | null>();
  for (const event of payload.events ?? []) {
    known.set(event.id, event);
    put(event.id, { event, full: payload.masked !== true });
  }
  for (const id of payload.gone ?? []) {
    known.set(id, null);
    put(id, { event: null, full: true });
  }
  return known;
}

/** The change handed to the views; `known` is filled further before it is emitted when held events were fetched. */
function changeOf(payload: Payload, known: ReadonlyMap<string, GridEvent | null>, isEvent: boolean, arrivedAt: number): EventChange {
  return {
    types: payload.types,
    ids: payload.ids ?? null,
    events: known,
    pending: payload.pending ? new Set(payload.pending) : null,
    counts: isEvent ? (payload.counts ?? null) : null,
    rejected: payload.rejected === true,
    arrivedAt,
  };
}

/** Held ids the push did not make current: carried masked to a full holder, or not carried at all. */
export function staleIds(held: ReadonlyMap<string, Hold>, payload: Payload, known: ReadonlyMap<string, GridEvent | null>): string[] {
  const named = payload.ids ?? [...held.keys()];
  return named.filter((id) => {
    const h = held.get(id);
    if (!h) return false;
    if (!known.has(id)) return true;
    return payload.masked === true && h.full > 0 && known.get(id) !== null;
  });
}

/** Counts one more holder of `id`; the returned release counts it off once, however often it is called. */
function hold(held: Map<string, Hold>, id: string, full: boolean): () => void {
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
}

/** Every listener in turn; one that throws does not keep the change from the others. */
function emit(listeners: ReadonlySet<(change: EventChange) => void>, change: EventChange): void {
  for (const listener of [...listeners]) {
    try {
      listener(change);
    } catch (error) {
      console.error('event store listener failed', error);
    }
  }
}
