// The console's data hooks: the queue's pages (fetched as the dispatcher scrolls,
// kept current from the event store's changes), the tab counts, the county link's status
// and the list of rejected commands. A change the push carried is applied locally; what
// cannot be decided locally costs one coalesced call.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import type { GridEvent } from '../../../core/model';
import { ApiCallError } from '../platform';
import { useApi } from '../platform/context';
import type { EventChange } from '../platform/event-store';
import { useEventChanges, usePush } from '../platform/hooks';
import { PAGE_SIZE, pageFromAnswer, pageSpan, pagesToKeep } from './paging';
import { placeChange, queueVerdict } from './queue-change';
import { listArgs, cleanFilters, tabCount, tabSpec, type QueueFilters, type QueueSort, type TabKey } from './tabs';

export const errorText = (error: unknown): string => (error instanceof ApiCallError ? error.message : error instanceof Error ? error.message : String(error));

/** Calls `fn` at most once per `ms` (trailing), with a stable identity. */
export function useCoalesced(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, ms);
  }, [ms]);
}

// ---------------------------------------------------------------- the queue's pages

interface Page {
  items: GridEvent[];
  pending: Set<string>;
}

export interface QueuePages {
  /** Null until the first page answered. */
  total: number | null;
  row(index: number): GridEvent | undefined;
  isPending(id: string): boolean;
  /** The rows first..last are on screen: fetch their pages and drop far ones. */
  need(first: number, last: number): void;
  /** Fetch the pages on screen again (after a change in the replica). */
  refresh(): void;
  error: string | null;
  /** Increases with every page that arrives, for the views that depend on rows. */
  version: number;
}

/** Re-lists wait this long, so a burst of changes costs one call. */
const RELIST_MS = 250;

export function useQueuePages(tab: TabKey, filters: QueueFilters, sort: QueueSort, counts?: ResultOf<'events.counts'>): QueuePages {
  const key = JSON.stringify([tab, cleanFilters(filters), sort]);
  const loaded = useLoadedPages(key);
  const { pages, inFlight, fetchPages, reset, redraw, total, error, version } = loaded;
  const shown = useRef<[number, number]>([0, 30]);

  const fetchPage = useCallback(
    (page: number, force: boolean) => {
      if (!force && (pages.current.has(page) || inFlight.current.has(page))) return;
      fetchPages(page, page);
    },
    [pages, inFlight, fetchPages],
  );

  // A new tab, filter or order: start again from the top.
  useEffect(() => {
    reset();
    const [first, last] = pageSpan(...shown.current);
    fetchPages(first, last);
  }, [key, reset, fetchPages]);

  const need = useCallback(
    (first: number, last: number) => {
      shown.current = [first, last];
      const needed: number[] = [];
      const [from, to] = pageSpan(first, last);
      for (let p = from; p <= to; p++) needed.push(p);
      const keep = pagesToKeep(needed);
      for (const p of [...pages.current.keys()]) if (!keep.has(p)) pages.current.delete(p);
      for (const p of needed) fetchPage(p, false);
    },
    [pages, fetchPage],
  );

  const refresh = useCallback(() => {
    const [first, last] = pageSpan(...shown.current);
    // Pages off screen would show a stale order when scrolled to: drop them.
    for (const p of [...pages.current.keys()]) if (p < first || p > last) pages.current.delete(p);
    fetchPages(first, last);
  }, [pages, fetchPages]);

  useQueueChanges(key, { pages, inFlight }, refresh, redraw);

  // Without filters the tab's total is the pushed count: a change on a page not loaded still shows.
  const pushedTotal = Object.keys(cleanFilters(filters)).length === 0 ? tabCount(tabSpec(tab), counts) : null;
  const shownTotal = total === null ? null : (pushedTotal ?? total);

  return useMemo<QueuePages>(
    () => ({
      total: shownTotal,
      row: (index) => pages.current.get(Math.floor(index / PAGE_SIZE))?.items[index % PAGE_SIZE],
      isPending: (id) => [...pages.current.values()].some((p) => p.pending.has(id)),
      need,
      refresh,
      error,
      version,
    }),
    [pages, shownTotal, need, refresh, error, version],
  );
}

/**
 * The loaded pages of the list `key` names, and the calls that load them: an answer
 * that comes after a newer request for its page, or after the list changed, is dropped.
 */
function useLoadedPages(key: string) {
  const api = useApi();
  const pages = useRef(new Map<number, Page>());
  const inFlight = useRef(new Map<number, number>());
  const generation = useRef(0);
  const [total, setTotal] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);

  /** Fetches pages first..last (consecutive) in one events.list call and splits the answer. */
  const fetchPages = useCallback(
    (first: number, last: number) => {
      const gen = generation.current;
      const tickets = new Map<number, number>();
      for (let p = first; p <= last; p++) {
        const ticket = (inFlight.current.get(p) ?? 0) + 1;
        inFlight.current.set(p, ticket);
        tickets.set(p, ticket);
      }
      const [t, f, s] = JSON.parse(key) as [TabKey, QueueFilters, QueueSort];
      api.call('events.list', listArgs(t, f, s, first * PAGE_SIZE, (last - first + 1) * PAGE_SIZE)).then(
        (result) => {
          if (gen !== generation.current) return;
          const pending = new Set(result.pending ?? []);
          for (const [p, ticket] of tickets) {
            if (inFlight.current.get(p) !== ticket) continue;
            inFlight.current.delete(p);
            pages.current.set(p, pageFromAnswer(result.items, pending, p, first));
          }
          setTotal(result.total);
          setError(null);
          setVersion((v) => v + 1);
        },
        (e: unknown) => {
          if (gen !== generation.current) return;
          for (const p of tickets.keys()) inFlight.current.delete(p);
          setError(errorText(e));
        },
      );
    },
    [api, key],
  );

  /** Forgets every page and every call still out (a new list). */
  const reset = useCallback(() => {
    generation.current++;
    pages.current = new Map();
    inFlight.current = new Map();
    setTotal(null);
    setVersion((v) => v + 1);
  }, []);
  const redraw = useCallback(() => setVersion((v) => v + 1), []);

  return { pages, inFlight, fetchPages, reset, redraw, total, error, version };
}

/**
 * Applies the store's changes to the loaded rows: in place when the push decides it, placed
 * by the sort key when the event enters or moves (placeChange), else one coalesced re-list.
 */
function useQueueChanges(
  key: string,
  loaded: { pages: { current: Map<number, Page> }; inFlight: { current: Map<number, number> } },
  refresh: () => void,
  redraw: () => void,
): void {
  const { pages, inFlight } = loaded;
  const relist = useCoalesced(refresh, RELIST_MS);
  useEventChanges(
    useCallback(
      (change: EventChange) => {
        if (!change.types.includes('event')) return;
        if (change.ids === null) return relist();
        const [t, f, s] = JSON.parse(key) as [TabKey, QueueFilters, QueueSort];
        const args = listArgs(t, f, s, 0, 1);
        // Placed here only under the tab's own filters (their total is the pushed count) and
        // with no page on its way (its answer may or may not hold the change).
        const local = Object.keys(cleanFilters(f)).length === 0 && inFlight.current.size === 0;
        let replaced = false;
        for (const id of change.ids) {
          const at = findRow(pages.current, id);
          const now = change.events.get(id);
          const verdict = queueVerdict(now, at?.page.items[at.index], args, Date.now());
          if (verdict === 'relist') {
            const pending = change.pending ? change.pending.has(id) : null;
            const placed = local && now !== undefined ? placeChange(pages.current, { id, now, pending }, { args, sort: s, nowMs: Date.now() }) : null;
            if (placed === null) return relist();
            pages.current = placed;
            replaced = true;
            continue;
          }
          if (verdict === 'replace' && at) {
            at.page.items[at.index] = change.events.get(id) as GridEvent;
            if (change.pending?.has(id)) at.page.pending.add(id);
            else if (change.pending) at.page.pending.delete(id);
            replaced = true;
          }
        }
        if (replaced) redraw();
      },
      [key, pages, inFlight, relist, redraw],
    ),
  );
}

function findRow(pages: Map<number, Page>, id: string): { page: Page; index: number } | undefined {
  for (const page of pages.values()) {
    const index = page.items.findIndex((e) => e.id === id);
    if (index >= 0) return { page, index };
  }
  return undefined;
}

// ---------------------------------------------------------------- counts, link, rejected

export function useCounts(filters: QueueFilters): { counts: ResultOf<'events.counts'> | undefined; reload: () => void } {
  const api = useApi();
  const key = JSON.stringify(cleanFilters(filters));
  const [counts, setCounts] = useState<ResultOf<'events.counts'> | undefined>(undefined);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    api.call('events.counts', JSON.parse(key) as QueueFilters).then(
      (c) => live && setCounts(c),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, key, round]);
  // Overdue grows with time alone: recount every half minute even when nothing changed.
  useEffect(() => {
    const timer = setInterval(() => setRound((r) => r + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  // Unfiltered counts travel with the change; filtered ones are asked again, at most every two
  // seconds (one pass over an index, about 0.1 s with a million events).
  const recount = useCoalesced(reload, 2000);
  useEventChanges(
    useCallback(
      (change: EventChange) => {
        if (!change.types.includes('event')) return;
        if (key === '{}' && change.counts) setCounts(change.counts);
        else recount();
      },
      [key, recount],
    ),
  );
  return { counts, reload };
}

export function useLinkStatus(): ResultOf<'link.status'> | null {
  const [status, setStatus] = useState<ResultOf<'link.status'> | null>(null);
  const api = useApi();
  useEffect(() => {
    let live = true;
    api.call('link.status').then(
      (s) => live && setStatus(s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api]);
  usePush('link.status', setStatus);
  return status;
}

export function useRejected(): { items: ResultOf<'commands.rejected'>; reload: () => void } {
  const [items, setItems] = useState<ResultOf<'commands.rejected'>>([]);
  const [round, setRound] = useState(0);
  const api = useApi();
  useEffect(() => {
    let live = true;
    api.call('commands.rejected', { limit: 200 }).then(
      (r) => live && setItems(r),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  // The list changes only when the county rejects a command: the change says so.
  const coalesced = useCoalesced(reload, 500);
  useEventChanges(
    useCallback(
      (change: EventChange) => {
        if (change.rejected || (change.types.includes('event') && change.ids === null)) coalesced();
      },
      [coalesced],
    ),
  );
  return { items, reload };
}
