// The queue's tabs (by stage) and filters, and how they become the arguments of
// events.list and events.counts. Pure: the views and the tests share it.
import type { ArgsOf, ResultOf } from '../../../core/api/contract';
import type { EventSource, EventStatus, Urgency } from '../../../core/model';
import { OPEN_STATUSES } from '../../../core/model';
import { STATUS_LABELS } from '../../../core/events/labels';

export type TabKey = 'all' | 'reported' | 'accepted' | 'dispatched' | 'handled' | 'verified' | 'overdue' | 'escalated' | 'closed';

export interface TabSpec {
  key: TabKey;
  label: string;
  /** What the tab shows: statuses, or the overdue clocks, or everything. */
  status?: EventStatus[];
  overdue?: true;
}

/** In the order of the workflow: 待受理 → 待派遣 → 处置中 → 待核查 → 待结案, then 超时, 县级, 已结案. */
export const TABS: readonly TabSpec[] = [
  { key: 'all', label: '全部' },
  { key: 'reported', label: STATUS_LABELS.reported, status: ['reported'] },
  { key: 'accepted', label: STATUS_LABELS.accepted, status: ['accepted'] },
  { key: 'dispatched', label: STATUS_LABELS.dispatched, status: ['dispatched'] },
  { key: 'handled', label: STATUS_LABELS.handled, status: ['handled'] },
  { key: 'verified', label: STATUS_LABELS.verified, status: ['verified'] },
  { key: 'overdue', label: '超时', overdue: true },
  { key: 'escalated', label: STATUS_LABELS.escalated, status: ['escalated'] },
  { key: 'closed', label: STATUS_LABELS.closed, status: ['closed'] },
];

export function tabSpec(key: TabKey): TabSpec {
  return TABS.find((t) => t.key === key) ?? (TABS[0] as TabSpec);
}

/** The live count of a tab from one events.counts answer. */
export function tabCount(tab: TabSpec, counts: ResultOf<'events.counts'> | undefined): number | null {
  if (counts === undefined) return null;
  if (tab.overdue) return counts.overdue;
  if (tab.status === undefined) return counts.all;
  return tab.status.reduce((sum, s) => sum + (counts.byStatus[s] ?? 0), 0);
}

export interface QueueFilters {
  category?: string;
  grid?: string;
  source?: EventSource;
  urgency?: Urgency;
  /** ISO instants (+08:00). */
  from?: string;
  to?: string;
  text?: string;
  /** Only these events: an assessment figure's drill-down (renderer/src/assessment/drill.ts). */
  ids?: string[];
  /** What the id set is, for the chip that clears it ("2026年11月 超时数 · 公安派出所"). */
  idsLabel?: string;
}

export type QueueSort = 'risk' | 'reportedAt';

/** Drops empty values, so that equal filters give equal query keys. */
export function cleanFilters(filters: QueueFilters): QueueFilters {
  const out: QueueFilters = {};
  if (filters.category) out.category = filters.category;
  if (filters.grid) out.grid = filters.grid;
  if (filters.source) out.source = filters.source;
  if (filters.urgency) out.urgency = filters.urgency;
  if (filters.from) out.from = filters.from;
  if (filters.to) out.to = filters.to;
  const text = filters.text?.trim();
  if (text) out.text = text.slice(0, 100);
  if (filters.ids) out.ids = filters.ids;
  return out;
}

/** events.list arguments for one page of a tab. */
export function listArgs(tab: TabKey, filters: QueueFilters, sort: QueueSort, offset: number, limit: number): ArgsOf<'events.list'> {
  const spec = tabSpec(tab);
  return {
    ...cleanFilters(filters),
    ...(spec.status ? { status: spec.status } : {}),
    ...(spec.overdue ? { overdue: true } : {}),
    sort,
    paging: { offset, limit },
  };
}

/** "2026-11-28T09:00" from an <input type="datetime-local">, read as Shanghai time. */
export function localInputToIso(value: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return undefined;
  return `${m[1]}T${m[2]}:${m[3] ?? '00'}+08:00`;
}

/** The reverse: an ISO instant (+08:00) as an input value. */
export function isoToLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})/.exec(iso);
  return m ? (m[1] as string) : '';
}

/** Events still being handled (not closed, rejected or merged): what the alerts watch. */
export { OPEN_STATUSES };
