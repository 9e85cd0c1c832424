// The console's data hooks: the queue's pages (fetched as the dispatcher scrolls,
// refreshed when the replica changes), the tab counts, the county link's status and
// the list of rejected commands. Every push is coalesced: a busy county can change
// events many times a second, and a dispatcher needs the screen steady.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PayloadOf, ResultOf } from '../../../core/api/contract';
import type { GridEvent } from '../../../core/model';
import { ApiCallError, getApi } from '../platform';
import { usePush } from '../platform/hooks';
import { PAGE_SIZE, pagesToKeep } from './paging';
import { listArgs, cleanFilters, type QueueFilters, type QueueSort, type TabKey } from './tabs';

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

/** Runs `fn` on every `entities.changed` push naming events (coalesced). */
export function useEventsChanged(fn: (ids: readonly string[] | null) => void, ms = 400): void {
  const ids = useRef<Set<string> | null>(new Set());
  const latest = useRef(fn);
  latest.current = fn;
  const flush = useCoalesced(() => {
    const pending = ids.current;
    ids.current = new Set();
    latest.current(pending === null ? null : [...pending]);
  }, ms);
  usePush(
    'entities.changed',
    useCallback(
      (payload: PayloadOf<'entities.changed'>) => {
        if (!payload.types.includes('event')) return;
        if (payload.ids === undefined) ids.current = null;
        else if (ids.current !== null) for (const id of payload.ids) ids.current.add(id);
        flush();
      },
      [flush],
    ),
  );
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

export function useQueuePages(tab: TabKey, filters: QueueFilters, sort: QueueSort): QueuePages {
  const key = JSON.stringify([tab, cleanFilters(filters), sort]);
  const pages = useRef(new Map<number, Page>());
  const inFlight = useRef(new Map<number, number>());
  const generation = useRef(0);
  const shown = useRef<[number, number]>([0, 30]);
  const [total, setTotal] = useState<number | null>(null);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const fetchPage = useCallback(
    (page: number, force: boolean) => {
      if (!force && (pages.current.has(page) || inFlight.current.has(page))) return;
      const gen = generation.current;
      const ticket = (inFlight.current.get(page) ?? 0) + 1;
      inFlight.current.set(page, ticket);
      const [t, f, s] = JSON.parse(key) as [TabKey, QueueFilters, QueueSort];
      getApi()
        .call('events.list', listArgs(t, f, s, page * PAGE_SIZE, PAGE_SIZE))
        .then(
          (result) => {
            if (gen !== generation.current || inFlight.current.get(page) !== ticket) return;
            inFlight.current.delete(page);
            pages.current.set(page, { items: result.items, pending: new Set(result.pending ?? []) });
            setTotal(result.total);
            setError(null);
            setVersion((v) => v + 1);
          },
          (e: unknown) => {
            if (gen !== generation.current) return;
            inFlight.current.delete(page);
            setError(errorText(e));
          },
        );
    },
    [key],
  );

  const visiblePages = (): number[] => {
    const [first, last] = shown.current;
    const out: number[] = [];
    for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(Math.max(first, last) / PAGE_SIZE); p++) out.push(p);
    return out;
  };

  // A new tab, filter or order: start again from the top.
  useEffect(() => {
    generation.current++;
    pages.current = new Map();
    inFlight.current = new Map();
    setTotal(null);
    setVersion((v) => v + 1);
    for (const p of visiblePages()) fetchPage(p, true);
    // visiblePages reads a ref; the key (through fetchPage) is what matters here.
  }, [key, fetchPage]);

  const need = useCallback(
    (first: number, last: number) => {
      shown.current = [first, last];
      const needed: number[] = [];
      for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(Math.max(first, last) / PAGE_SIZE); p++) needed.push(p);
      const keep = pagesToKeep(needed);
      for (const p of [...pages.current.keys()]) if (!keep.has(p)) pages.current.delete(p);
      for (const p of needed) fetchPage(p, false);
    },
    [fetchPage],
  );

  const refresh = useCallback(() => {
    const visible = new Set(visiblePages());
    // Pages off screen would show a stale order when scrolled to: drop them.
    for (const p of [...pages.current.keys()]) if (!visible.has(p)) pages.current.delete(p);
    for (const p of visible) fetchPage(p, true);
  }, [fetchPage]);

  return useMemo<QueuePages>(
    () => ({
      total,
      row: (index) => pages.current.get(Math.floor(index / PAGE_SIZE))?.items[index % PAGE_SIZE],
      isPending: (id) => [...pages.current.values()].some((p) => p.pending.has(id)),
      need,
      refresh,
      error,
      version,
    }),
    [total, need, refresh, error, version],
  );
}

// ---------------------------------------------------------------- counts, link, rejected

export function useCounts(filters: QueueFilters): { counts: ResultOf<'events.counts'> | undefined; reload: () => void } {
  const key = JSON.stringify(cleanFilters(filters));
  const [counts, setCounts] = useState<ResultOf<'events.counts'> | undefined>(undefined);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    getApi()
      .call('events.counts', JSON.parse(key) as QueueFilters)
      .then(
        (c) => live && setCounts(c),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [key, round]);
  // Overdue grows with time alone: recount every half minute even when nothing changed.
  useEffect(() => {
    const timer = setInterval(() => setRound((r) => r + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { counts, reload };
}

export function useLinkStatus(): ResultOf<'link.status'> | null {
  const [status, setStatus] = useState<ResultOf<'link.status'> | null>(null);
  useEffect(() => {
    let live = true;
    getApi()
      .call('link.status')
      .then(
        (s) => live && setStatus(s),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, []);
  usePush('link.status', setStatus);
  return status;
}

export function useRejected(): { items: ResultOf<'commands.rejected'>; reload: () => void } {
  const [items, setItems] = useState<ResultOf<'commands.rejected'>>([]);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    getApi()
      .call('commands.rejected', { limit: 200 })
      .then(
        (r) => live && setItems(r),
        () => undefined,
      );
    return () => {
      live = false;
    };
  }, [round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  // A rejection changes the event back (a push) and the link's queue (a push).
  const coalesced = useCoalesced(reload, 500);
  useEventsChanged(coalesced, 300);
  usePush('link.status', coalesced);
  return { items, reload };
}
