// What a changed event does to the queue's loaded rows, decided locally from the event
// the push carried: nothing (it neither was nor is in the list), replace its row in
// place (still in the list, same place in the order), or re-list the rows on screen
// (it enters or leaves the list, or its place in the order may have moved). A re-list
// is avoided where the rows' new order is known here (placeChange): the event's place
// comes from the same sort key the service sorts on (core/events/risk.ts). Pure.
import type { ArgsOf } from '../../../core/api/contract';
import { riskKey } from '../../../core/events/risk';
import type { GridEvent } from '../../../core/model';
import { parseIso } from '../../../core/time/shanghai';
import { PAGE_SIZE } from './paging';
import type { QueueSort } from './tabs';

export type QueueVerdict = 'none' | 'replace' | 'relist';

type ListArgs = ArgsOf<'events.list'> & { overdue?: boolean };

const CLOCKS = ['accept', 'finish', 'verify'] as const;

function overdueAt(event: GridEvent, nowMs: number): boolean {
  return CLOCKS.some((k) => {
    const c = event.deadlines[k];
    return c !== undefined && c.stoppedAt === null && c.pausedAt === null && parseIso(c.dueAt) < nowMs;
  });
}

/** The search box's match (trimmed, case-insensitive substring of case number, title, description, address). */
function matchesText(event: GridEvent, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') return true;
  return [event.code, event.title, event.description, event.location.address].some((f) => f.toLowerCase().includes(needle));
}

/** Whether events.list with these arguments would return the event (the filters apply to the view). */
export function matchesList(event: GridEvent, args: ListArgs, nowMs: number): boolean {
  if (args.status && args.status.length > 0 && !args.status.includes(event.status)) return false;
  if (args.overdue && !overdueAt(event, nowMs)) return false;
  if (args.category && !event.category.startsWith(args.category)) return false;
  if (args.grid && !event.grid.startsWith(args.grid)) return false;
  if (args.source && event.source !== args.source) return false;
  if (args.urgency && event.urgency !== args.urgency) return false;
  if (args.ids && !args.ids.includes(event.id)) return false;
  const reported = parseIso(event.reportedAt);
  if (args.from && reported < parseIso(args.from)) return false;
  if (args.to && reported > parseIso(args.to)) return false;
  return args.text === undefined || matchesText(event, args.text);
}

/** Same place in either order: what the risk key and the report time are computed from did not change. */
export function sameOrder(a: GridEvent, b: GridEvent): boolean {
  if (a.status !== b.status || a.urgency !== b.urgency || a.reportedAt !== b.reportedAt) return false;
  return CLOCKS.every((k) => {
    const x = a.deadlines[k];
    const y = b.deadlines[k];
    if (x === undefined || y === undefined) return x === y;
    return x.dueAt === y.dueAt && x.stoppedAt === y.stoppedAt && x.pausedAt === y.pausedAt;
  });
}

/**
 * `now`: the event as the push carried it (null: gone; undefined: not carried);
 * `row`: its row among the loaded ones, if any.
 */
export function queueVerdict(now: GridEvent | null | undefined, row: GridEvent | undefined, args: ListArgs, nowMs: number): QueueVerdict {
  if (now === undefined) return 'relist';
  if (now === null) return row ? 'relist' : 'none';
  const matches = matchesList(now, args, nowMs);
  if (!row) return matches ? 'relist' : 'none';
  return matches && sameOrder(row, now) ? 'replace' : 'relist';
}

// ---------------------------------------------------------------- placing a change locally

/** One loaded page of the queue: its rows and which of them show unsettled commands. */
export interface LoadedPage {
  items: GridEvent[];
  pending: Set<string>;
}

/**
 * The list's order as one ascending number: the risk key (events.list: `risk, seq`), or
 * the report time for newest first (`reported_at DESC, seq DESC`). Rows of equal key
 * are ordered by the replica's seq, which the renderer does not have.
 */
export function orderKey(event: GridEvent, sort: QueueSort): number {
  return sort === 'risk' ? riskKey(event) : -parseIso(event.reportedAt);
}

/**
 * Rows 0..n-1 of a sorted list after the event `id` changed: its old row (if loaded)
 * taken out, and `now` (the event, when it belongs to the list) put at its place by the
 * sort key. `complete`: the rows are the whole list. Null when the result cannot be
 * known here: a row of the same key (its place depends on the replica's seq), or a row
 * that would have to come in from beyond the loaded ones (one left and none came back).
 */
export function placeInRows(rows: readonly GridEvent[], complete: boolean, id: string, now: GridEvent | null, sort: QueueSort): GridEvent[] | null {
  const old = rows.findIndex((e) => e.id === id);
  const next = old >= 0 ? [...rows.slice(0, old), ...rows.slice(old + 1)] : [...rows];
  if (now === null) return old < 0 || complete ? next : null;
  const key = orderKey(now, sort);
  let at = 0;
  for (const row of next) {
    const k = orderKey(row, sort);
    if (k === key) return null;
    if (k > key) break;
    at++;
  }
  // Past the last loaded row of a longer list: the event is on a page not loaded.
  if (at === next.length && !complete) return old < 0 ? next : null;
  next.splice(at, 0, now);
  return next;
}

/**
 * The loaded pages after a change the push carried (`now`: the event, null: gone;
 * `pending`: whether it shows unsettled commands, null: not said), placed without asking
 * the service; null when only a re-list can be exact. Exact needs the loaded pages to
 * run from the top of the list without a gap (a page further down cannot know whether
 * the event was above it before), and the filters to be the renderer's own (the caller
 * checks that: a text search is the service's).
 */
export function placeChange(
  pages: ReadonlyMap<number, LoadedPage>,
  change: { id: string; now: GridEvent | null; pending: boolean | null },
  list: { args: ListArgs; sort: QueueSort; nowMs: number },
  pageSize = PAGE_SIZE,
): Map<number, LoadedPage> | null {
  const count = pages.size;
  if (count === 0) return null;
  const rows: GridEvent[] = [];
  const pending = new Set<string>();
  for (let p = 0; p < count; p++) {
    const page = pages.get(p);
    // Not a run from the top, or a short page before the last: not one list we can place in.
    if (page === undefined || (p < count - 1 && page.items.length !== pageSize)) return null;
    rows.push(...page.items);
    page.pending.forEach((id) => pending.add(id));
  }
  const complete = rows.length < count * pageSize;
  const { id, now } = change;
  const member = now !== null && matchesList(now, list.args, list.nowMs) ? now : null;
  const placed = placeInRows(rows, complete, id, member, list.sort);
  if (placed === null) return null;
  if (change.pending === true) pending.add(id);
  else if (change.pending === false) pending.delete(id);
  // A row pushed past the loaded pages belongs to the next page, which is not loaded.
  const kept = complete ? placed : placed.slice(0, rows.length);
  const out = new Map<number, LoadedPage>();
  for (let p = 0; p < count; p++) {
    const items = kept.slice(p * pageSize, (p + 1) * pageSize);
    out.set(p, { items, pending: new Set(items.filter((e) => pending.has(e.id)).map((e) => e.id)) });
  }
  return out;
}
