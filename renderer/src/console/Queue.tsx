// The queue: every event the town can see, by stage, most pressing first. Only the
// rows on screen are drawn and only their pages are fetched (windowing with a fixed
// row height), so 100,000 rows scroll as smoothly as 100.
import { useEffect, useLayoutEffect, useState, type ReactNode, type RefObject } from 'react';
import { ExportButton } from '../assessment/ExportButton';
import { ledgerFilter } from '../assessment/ledger-filter';
import type { ResultOf } from '../../../core/api/contract';
import { SOURCE_LABELS } from '../../../core/events/labels';
import type { EventSource, GridEvent, Urgency } from '../../../core/model';
import { pressingClock } from './clocks';
import { CALENDAR, GroupedOptions, PendingBadge, StatusBadge, URGENCY_LABELS, UrgencyBadge, categoryGroups, formatShort, useNow } from './common';
import type { QueuePages } from './data';
import { scrollGeometry, scrollToRow, visibleRows } from './paging';
import { categoryLabel, gridLabel, useReference, type Reference } from './reference';
import { TABS, isoToLocalInput, localInputToIso, tabCount, type QueueFilters, type QueueSort, type TabKey } from './tabs';

export const ROW_HEIGHT = 58;

interface Props {
  tab: TabKey;
  onTab: (tab: TabKey) => void;
  filters: QueueFilters;
  onFilters: (filters: QueueFilters) => void;
  sort: QueueSort;
  onSort: (sort: QueueSort) => void;
  counts: ResultOf<'events.counts'> | undefined;
  pages: QueuePages;
  cursor: number;
  openId: string | null;
  onPick: (index: number, event: GridEvent) => void;
  searchRef: RefObject<HTMLInputElement | null>;
  listRef: RefObject<HTMLDivElement | null>;
  toolbar?: ReactNode;
}

export function Queue(props: Props) {
  const { tab, onTab, filters, onFilters, sort, onSort, counts, pages, cursor, openId, onPick, searchRef, listRef } = props;
  const ref = useReference();
  const [text, setText] = useState(filters.text ?? '');
  const [showFilters, setShowFilters] = useState(false);

  // The search box updates the query once typing pauses, from three characters on: one
  // or two characters have no trigram in the search index and scan every event (seconds
  // with a million), so those search on Enter only.
  const chars = [...text.trim()].length;
  const shortText = chars > 0 && chars < 3 && (filters.text ?? '') !== text;
  useEffect(() => {
    if (shortText) return;
    const timer = setTimeout(() => {
      if ((filters.text ?? '') !== text) onFilters({ ...filters, text });
    }, 300);
    return () => clearTimeout(timer);
  }, [text, filters, onFilters, shortText]);

  const active = [filters.category, filters.grid, filters.source, filters.urgency, filters.from, filters.to].filter(Boolean).length;

  return (
    <section className="queue" aria-label="事件队列">
      <div className="queue-tabs" role="tablist" aria-label="按环节">
        {TABS.map((t) => {
          const n = tabCount(t, counts);
          return (
            <button
              key={t.key}
              type="button"
              role="tab"
              aria-selected={tab === t.key}
              className={`qtab${tab === t.key ? ' on' : ''}${t.key === 'overdue' && (n ?? 0) > 0 ? ' qtab-bad' : ''}`}
              onClick={() => onTab(t.key)}
            >
              {t.label}
              <span className="qtab-count" data-testid={`count-${t.key}`}>
                {n ?? '…'}
              </span>
            </button>
          );
        })}
      </div>
      <div className="queue-tools">
        <input
          ref={searchRef}
          type="search"
          className="queue-search"
          placeholder="搜索案卷号、标题、描述、地址（按 / 键）"
          aria-label="搜索事件"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onFilters({ ...filters, text });
          }}
        />
        <select aria-label="排序" value={sort} onChange={(e) => onSort(e.target.value as QueueSort)}>
          <option value="risk">按时限风险</option>
          <option value="reportedAt">按上报时间</option>
        </select>
        <button type="button" className={`btn${active > 0 ? ' btn-on' : ''}`} aria-expanded={showFilters} onClick={() => setShowFilters((v) => !v)}>
          筛选{active > 0 ? `(${active})` : ''}
        </button>
        <ExportButton kind="events" args={{ filter: ledgerFilter(tab, filters, sort) }} label="导出台账" />
        {props.toolbar}
      </div>
      {filters.ids && (
        <p className="queue-hint small" data-testid="queue-drill">
          考核明细：{filters.idsLabel ?? '指定事件'}（{filters.ids.length} 件）
          <button type="button" className="btn" onClick={() => onFilters({ ...filters, ids: undefined, idsLabel: undefined })}>
            清除
          </button>
        </p>
      )}
      {shortText && <p className="queue-hint muted small">少于 3 个字的搜索需逐条比对，按回车开始搜索。</p>}
      {showFilters && <FilterPanel filters={filters} onFilters={onFilters} refData={ref} />}
      <QueueList pages={pages} cursor={cursor} openId={openId} onPick={onPick} listRef={listRef} refData={ref} />
      <div className="queue-foot muted small" aria-live="polite">
        {pages.error ? <span className="error">{pages.error}</span> : pages.total === null ? '正在读取…' : `共 ${pages.total} 条`}
      </div>
    </section>
  );
}

function FilterPanel({ filters, onFilters, refData }: { filters: QueueFilters; onFilters: (f: QueueFilters) => void; refData: Reference }) {
  const set = (patch: Partial<QueueFilters>): void => onFilters({ ...filters, ...patch });
  const villages = refData.tree?.children ?? [];
  return (
    <div className="queue-filters" role="group" aria-label="筛选条件">
      <label>
        类别
        <select value={filters.category ?? ''} onChange={(e) => set({ category: e.target.value || undefined })}>
          <option value="">全部类别</option>
          <GroupedOptions groups={categoryGroups(refData.categories)} whole />
        </select>
      </label>
      <label>
        网格
        <select value={filters.grid ?? ''} onChange={(e) => set({ grid: e.target.value || undefined })}>
          <option value="">全镇</option>
          <GroupedOptions groups={villages} whole />
        </select>
      </label>
      <label>
        来源
        <select value={filters.source ?? ''} onChange={(e) => set({ source: (e.target.value || undefined) as EventSource | undefined })}>
          <option value="">全部来源</option>
          {(Object.keys(SOURCE_LABELS) as EventSource[]).map((s) => (
            <option key={s} value={s}>
              {SOURCE_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        紧急程度
        <select value={filters.urgency ?? ''} onChange={(e) => set({ urgency: (e.target.value || undefined) as Urgency | undefined })}>
          <option value="">全部</option>
          {(['critical', 'urgent', 'normal'] as const).map((u) => (
            <option key={u} value={u}>
              {URGENCY_LABELS[u]}
            </option>
          ))}
        </select>
      </label>
      <label>
        上报时间自
        <input type="datetime-local" value={isoToLocalInput(filters.from)} onChange={(e) => set({ from: localInputToIso(e.target.value) })} />
      </label>
      <label>
        至
        <input type="datetime-local" value={isoToLocalInput(filters.to)} onChange={(e) => set({ to: localInputToIso(e.target.value) })} />
      </label>
      <button type="button" className="btn" onClick={() => onFilters(filters.text ? { text: filters.text } : {})}>
        清除筛选
      </button>
    </div>
  );
}

function QueueList({
  pages,
  cursor,
  openId,
  onPick,
  listRef,
  refData,
}: {
  pages: QueuePages;
  cursor: number;
  openId: string | null;
  onPick: (index: number, event: GridEvent) => void;
  listRef: RefObject<HTMLDivElement | null>;
  refData: Reference;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const now = useNow(15_000);
  const total = pages.total ?? 0;

  useLayoutEffect(() => {
    const el = listRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    setHeight(el.clientHeight);
    return () => observer.disconnect();
  }, [listRef]);

  const geometry = scrollGeometry(scrollTop, height, ROW_HEIGHT, total);
  const win = visibleRows(geometry.virtualTop, height, ROW_HEIGHT, total);
  const { need } = pages;
  useEffect(() => {
    need(win.first, Math.max(win.first, win.last));
  }, [need, win.first, win.last]);

  // Keep the cursor row in view when the keyboard moves it.
  useEffect(() => {
    const el = listRef.current;
    if (!el || cursor < 0 || cursor >= total) return;
    const g = scrollGeometry(el.scrollTop, el.clientHeight, ROW_HEIGHT, total);
    const next = scrollToRow(cursor, g.virtualTop, el.clientHeight, ROW_HEIGHT);
    if (next !== g.virtualTop) el.scrollTop = g.toReal(next);
  }, [cursor, total, listRef]);

  const rows: ReactNode[] = [];
  for (let i = win.first; i <= win.last; i++) {
    const event = pages.row(i);
    rows.push(
      <QueueRow
        key={event?.id ?? `i${i}`}
        index={i}
        top={geometry.top(i)}
        event={event}
        pending={event ? pages.isPending(event.id) : false}
        active={i === cursor}
        open={event !== undefined && event.id === openId}
        now={now}
        refData={refData}
        onPick={onPick}
      />,
    );
  }

  const cursorEvent = pages.row(cursor);
  return (
    <div
      ref={listRef}
      className="queue-list"
      role="listbox"
      aria-label="事件列表"
      tabIndex={0}
      aria-activedescendant={cursorEvent ? `qrow-${cursorEvent.id}` : undefined}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div className="queue-spacer" style={{ height: geometry.spacer }}>
        {rows}
      </div>
      {pages.total === 0 && <p className="queue-empty muted">没有符合条件的事件。</p>}
    </div>
  );
}

function QueueRow({
  index,
  top,
  event,
  pending,
  active,
  open,
  now,
  refData,
  onPick,
}: {
  index: number;
  /** Where the row is drawn in the list's content (see scrollGeometry). */
  top: number;
  event: GridEvent | undefined;
  pending: boolean;
  active: boolean;
  open: boolean;
  now: number;
  refData: Reference;
  onPick: (index: number, event: GridEvent) => void;
}) {
  const style = { top, height: ROW_HEIGHT };
  if (!event) {
    return (
      <div className="qrow qrow-loading" style={style} aria-hidden="true">
        <span className="muted">…</span>
      </div>
    );
  }
  const clock = pressingClock(event, now, CALENDAR);
  const risk = clock?.status.state === 'overdue' ? 'bad' : clock?.status.state === 'warning' ? 'warn' : 'ok';
  return (
    <div
      id={`qrow-${event.id}`}
      role="option"
      aria-selected={active}
      data-event-id={event.id}
      data-code={event.code}
      className={`qrow qrow-risk-${clock ? risk : 'none'}${active ? ' active' : ''}${open ? ' open' : ''}`}
      style={style}
      onClick={() => onPick(index, event)}
    >
      <div className="qrow-line">
        <UrgencyBadge urgency={event.urgency} />
        <span className="qrow-title">{event.title}</span>
        {pending && <PendingBadge />}
        <span className="qrow-code mono">{event.code}</span>
      </div>
      <div className="qrow-line qrow-sub">
        <StatusBadge status={event.status} />
        <span className="qrow-meta">{categoryLabel(refData, event.category)}</span>
        <span className="qrow-meta">{gridLabel(refData, event.grid)}</span>
        <span className="qrow-time">{formatShort(event.reportedAt)}</span>
        {clock && <span className={`qrow-clock qrow-clock-${risk}`}>{clock.remaining}</span>}
      </div>
    </div>
  );
}
