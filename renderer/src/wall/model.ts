// What the wall says, as pure functions of the data service's answers: the link's
// banner and panel, the ticker's rows, and when an event deserves the map's attention.
import type { StatsOverview } from '../../../core/api/stats';
import type { EventStatus, GridEvent } from '../../../core/model';
import { FINAL_STATUSES } from '../../../core/model';
import { LINK_STATE_SHORT_LABELS, STATUS_LABELS, URGENCY_LABELS } from '../../../core/events/labels';
import { parseIso, shanghaiDate, toIso } from '../../../core/time/shanghai';

export type WallLink = StatsOverview['link'];

/** "09:12" in Shanghai time; "11-28 09:12" when the instant is not on `today`; "—" when unreadable. */
export function clockText(iso: string | null | undefined, today?: string): string {
  if (!iso) return '—';
  try {
    const local = toIso(parseIso(iso));
    const hm = local.slice(11, 16);
    return today !== undefined && local.slice(0, 10) !== today ? `${local.slice(5, 10)} ${hm}` : hm;
  } catch {
    return '—';
  }
}

/** The link is down: the wall shows the replica's data and says so. `none` (no county configured) is not an outage. */
export function linkDown(link: Pick<WallLink, 'state'>): boolean {
  return link.state === 'offline' || link.state === 'connecting' || link.state === 'refused';
}

/** When the link went down: offlineSince, else when it entered its state. */
export function downSince(link: WallLink): string {
  return link.offlineSince ?? link.since;
}

/**
 * The link to show: the newer of the stats' and the last pushed (either may be missing).
 * A state entered later wins; same state, the stats' figures.
 */
export function newerLink(fromStats: WallLink | null, pushed: WallLink | null): WallLink | null {
  if (!pushed) return fromStats;
  if (!fromStats) return pushed;
  return pushed.since > fromStats.since ? pushed : fromStats;
}

export function bannerText(link: WallLink, nowMs: number): string {
  return `县级联网中断 · 自 ${clockText(downSince(link), shanghaiDate(nowMs))} 起 · 本屏数据来自本地副本`;
}

export { LINK_STATE_SHORT_LABELS as LINK_LABELS, URGENCY_LABELS };

export function statusLabel(status: EventStatus): string {
  return STATUS_LABELS[status];
}

/** How long the map stays on an urgent event before it returns to the town. */
export const URGENT_HOLD_MS = 15_000;
/** An event reported longer ago than this is not "arriving": the wall does not fly to it. */
export const FRESH_MS = 10 * 60_000;

const FINISHED: ReadonlySet<EventStatus> = new Set(FINAL_STATUSES);

/** An urgent or critical event, still open, reported in the last minutes: the map flies to it. */
export function isArrivingUrgent(event: Pick<GridEvent, 'urgency' | 'status' | 'reportedAt'>, nowMs: number): boolean {
  if (event.urgency === 'normal' || FINISHED.has(event.status)) return false;
  let at: number;
  try {
    at = parseIso(event.reportedAt);
  } catch {
    return false;
  }
  return at >= nowMs - FRESH_MS && at <= nowMs + 60_000;
}

/** The ticker shows this many rows: every row legible from the back of the room. */
export const TICKER_ROWS = 5;

/** The village with the most open events (then the most overdue), from the stats' grid load and each grid's village. */
export interface HotVillage {
  code: string;
  name: string;
  open: number;
  overdue: number;
}

export function hottestVillage(
  load: readonly Pick<StatsOverview['gridLoad'][number], 'code' | 'open' | 'overdue'>[],
  grids: readonly { code: string; parent: string | null }[],
  villages: readonly { code: string; name: string }[],
): HotVillage | null {
  const parentOf = new Map(grids.map((g) => [g.code, g.parent]));
  const sums = new Map<string, HotVillage>();
  for (const g of load) {
    const parent = parentOf.get(g.code);
    const village = parent ? villages.find((v) => v.code === parent) : undefined;
    if (!village || g.open <= 0) continue;
    const sum = sums.get(village.code) ?? { code: village.code, name: village.name, open: 0, overdue: 0 };
    sum.open += g.open;
    sum.overdue += g.overdue;
    sums.set(village.code, sum);
  }
  let best: HotVillage | null = null;
  for (const v of sums.values()) {
    if (!best || v.open > best.open || (v.open === best.open && (v.overdue > best.overdue || (v.overdue === best.overdue && v.code < best.code)))) best = v;
  }
  return best;
}

/** How long an event has been past its earliest running deadline ("3天2小时", "5小时", "20分钟"); null when it is not overdue. */
export function overdueText(e: Pick<GridEvent, 'status' | 'deadlines'>, nowMs: number): string | null {
  if (FINISHED.has(e.status)) return null;
  let earliest = Infinity;
  for (const clock of [e.deadlines.accept, e.deadlines.finish, e.deadlines.verify]) {
    if (!clock || clock.stoppedAt !== null || clock.remainingAtPause !== null) continue;
    const due = Date.parse(clock.dueAt);
    if (Number.isFinite(due) && due < nowMs) earliest = Math.min(earliest, due);
  }
  if (!Number.isFinite(earliest)) return null;
  const minutes = Math.max(1, Math.floor((nowMs - earliest) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days}天${hours > 0 ? `${hours}小时` : ''}`;
  return hours > 0 ? `${hours}小时` : `${minutes}分钟`;
}

/**
 * The new figures, with each part that did not change kept as the same object as before:
 * the charts drawn from a part are then not given a new option (and do not animate) when a
 * refresh brings the same values (the periodic refresh, a change elsewhere in the town).
 */
export function keepUnchanged<T extends object>(previous: T | undefined, next: T): T {
  if (!previous) return next;
  const kept = { ...next } as Record<string, unknown>;
  const before = previous as Record<string, unknown>;
  for (const key of Object.keys(kept)) {
    const value = kept[key];
    if (value !== null && typeof value === 'object' && JSON.stringify(value) === JSON.stringify(before[key])) kept[key] = before[key];
  }
  return kept as T;
}
