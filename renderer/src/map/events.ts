// Events as the map draws them: a flat point per event with what the layers
// colour and mark by (urgency, category group, overdue, new), the view's filters,
// and the per-grid figures that fill the grids (open-event load, overdue count).
import type { Category, EventStatus, GridEvent, Urgency } from '../../../core/model';
import { OPEN_STATUSES } from '../../../core/model';
import { URGENCY_LABELS } from '../../../core/events/labels';
import { parseIso } from '../../../core/time/shanghai';
import type { Datum } from './coords';
import { WGS84_DATUM } from './coords';
import type { MapFilters } from './view-state';

/** Events still in the town's hands: everything but closed, rejected and merged. */
export { OPEN_STATUSES };
const OPEN = new Set<EventStatus>(OPEN_STATUSES);
export const isOpen = (status: EventStatus): boolean => OPEN.has(status);

/** An event reported less than this ago is new and draws the eye. */
export const NEW_EVENT_MS = 10 * 60_000;

export const URGENCY_RANK: Record<Urgency, number> = { normal: 0, urgent: 1, critical: 2 };
export { URGENCY_LABELS };

export interface EventPoint {
  id: string;
  code: string;
  title: string;
  /** On the base map. */
  position: [number, number];
  /** As the replica says (WGS84). */
  lon: number;
  lat: number;
  grid: string;
  category: string;
  /** Top-level category code (事项大类). */
  group: string;
  /** One character marking the group on the map. */
  letter: string;
  urgency: Urgency;
  status: EventStatus;
  open: boolean;
  overdue: boolean;
  fresh: boolean;
  reportedAt: number;
  /** Due instants of the running clocks (not stopped, not paused): overdue is a comparison, not a parse, on every tick. */
  dues: number[];
}

/** Due instants of an event's running clocks (not stopped, not paused). */
export function runningDues(e: GridEvent): number[] {
  const dues: number[] = [];
  for (const clock of [e.deadlines.accept, e.deadlines.finish, e.deadlines.verify]) {
    if (!clock || clock.stoppedAt !== null || clock.remainingAtPause !== null) continue;
    const due = parseIso(clock.dueAt);
    if (Number.isFinite(due)) dues.push(due);
  }
  return dues;
}

/** True when a running deadline clock (not stopped, not paused) of an open event is past its due instant. */
export function isOverdue(e: GridEvent, now: number): boolean {
  return isOpen(e.status) && runningDues(e).some((due) => due < now);
}

const isFresh = (reportedAt: number, now: number): boolean => now - reportedAt < NEW_EVENT_MS && now >= reportedAt - 60_000;

/** Brings the time-dependent flags of a point up to `now`; true when one changed. */
export function refreshPoint(p: EventPoint, now: number): boolean {
  const overdue = p.open && p.dues.some((due) => due < now);
  const fresh = isFresh(p.reportedAt, now);
  if (overdue === p.overdue && fresh === p.fresh) return false;
  p.overdue = overdue;
  p.fresh = fresh;
  return true;
}

export interface CategoryIndex {
  groupOf(code: string): string;
  letterOf(group: string): string;
  nameOf(code: string): string;
}

/** Groups by the parent chain of the list of matters; a group's mark is the first Chinese character of its name (矛 安 环 治 热 …). */
export function categoryIndex(categories: readonly Category[]): CategoryIndex {
  const byCode = new Map(categories.map((c) => [c.code, c]));
  const groupOf = (code: string): string => {
    let c = byCode.get(code);
    const seen = new Set<string>();
    while (c && c.parent !== null && !seen.has(c.code)) {
      seen.add(c.code);
      const parent = byCode.get(c.parent);
      if (!parent) return c.parent;
      c = parent;
    }
    return c?.code ?? code;
  };
  return {
    groupOf,
    // The first Chinese character: "12345热线诉求" is 热, not 1.
    letterOf: (group) => {
      const name = byCode.get(group)?.name ?? '';
      return /\p{Script=Han}/u.exec(name)?.[0] ?? [...name][0] ?? '事';
    },
    nameOf: (code) => byCode.get(code)?.name ?? code,
  };
}

export function toEventPoint(e: GridEvent, now: number, categories: CategoryIndex, datum: Datum = WGS84_DATUM): EventPoint {
  const reportedAt = parseIso(e.reportedAt);
  const group = categories.groupOf(e.category);
  const open = isOpen(e.status);
  const dues = runningDues(e);
  return {
    id: e.id,
    code: e.code,
    title: e.title,
    position: datum.toDisplay(e.location.lon, e.location.lat),
    lon: e.location.lon,
    lat: e.location.lat,
    grid: e.grid,
    category: e.category,
    group,
    letter: categories.letterOf(group),
    urgency: e.urgency,
    status: e.status,
    open,
    overdue: open && dues.some((due) => due < now),
    fresh: isFresh(reportedAt, now),
    reportedAt,
    dues,
  };
}

/** The view's filters: categories by code prefix (a group matches its leaves), urgency and status exactly; default status: open. */
export function matchesFilters(p: EventPoint, filters: MapFilters, window: { from: number; to: number } | null): boolean {
  if (filters.status ? !filters.status.includes(p.status) : !p.open) return false;
  if (filters.urgency && !filters.urgency.includes(p.urgency)) return false;
  if (filters.categories && !filters.categories.some((c) => p.category === c || p.category.startsWith(c) || p.group === c)) return false;
  if (window && (p.reportedAt < window.from || p.reportedAt > window.to)) return false;
  return true;
}

export interface GridMetrics {
  /** Open events per level-3 grid code. */
  load: Map<string, number>;
  /** Overdue events per level-3 grid code. */
  overdue: Map<string, number>;
  /** The fill's class breaks for each figure, fitted to the town's own spread (fillBreaks). */
  breaks: FillBreaks;
}

export interface FillBreaks {
  load: readonly number[];
  overdue: readonly number[];
}

/** Fixed class breaks, the lower bound of each class above the first: before any count is known. */
export const LOAD_BREAKS = [1, 3, 6, 10] as const;
export const OVERDUE_BREAKS = [1, 2, 4] as const;
export const DEFAULT_FILL_BREAKS: FillBreaks = { load: LOAD_BREAKS, overdue: OVERDUE_BREAKS };

/** The figures per grid and their class breaks; `previous` breaks are kept while they still fit (fillBreaks). */
export function gridMetrics(points: readonly EventPoint[], previous: FillBreaks = DEFAULT_FILL_BREAKS): GridMetrics {
  const load = new Map<string, number>();
  const overdue = new Map<string, number>();
  for (const p of points) {
    if (!p.open) continue;
    load.set(p.grid, (load.get(p.grid) ?? 0) + 1);
    if (p.overdue) overdue.set(p.grid, (overdue.get(p.grid) ?? 0) + 1);
  }
  const breaks = {
    load: fillBreaks([...load.values()], LOAD_BREAKS.length, previous.load),
    overdue: fillBreaks([...overdue.values()], OVERDUE_BREAKS.length, previous.overdue),
  };
  return { load, overdue, breaks };
}

/** A break moves only when the new one is off by more than this share of it (and more than 1): small changes keep the classes. */
const BREAK_SLACK = 0.2;

/** Two significant figures: 137 → 140, 23.4 → 23, 4.6 → 5. */
const roundNice = (v: number): number => {
  if (v < 10) return Math.round(v);
  const unit = 10 ** (Math.floor(Math.log10(v)) - 1);
  return Math.round(v / unit) * unit;
};

/**
 * Class breaks fitted to the grids' own counts: class 0 is "none" (break 1), the other
 * `classes - 1` breaks are the quantiles of the non-zero counts, rounded to two figures,
 * so each class holds about as many grids whatever the town's load. Breaks rise strictly
 * (fewer classes when the counts are too few or too alike). The `previous` breaks are
 * kept while each new break is within BREAK_SLACK of the old one, so a few events more
 * or less do not reshuffle the map's colours.
 */
export function fillBreaks(counts: readonly number[], classes: number, previous?: readonly number[]): number[] {
  const positive = counts.filter((c) => Number.isFinite(c) && c > 0).sort((a, b) => a - b);
  const breaks = [1];
  for (let k = 1; k < classes && positive.length > 0; k++) {
    const q = positive[Math.min(positive.length - 1, Math.floor((k / classes) * positive.length))]!;
    const b = roundNice(q);
    if (b > breaks[breaks.length - 1]!) breaks.push(b);
  }
  if (previous && previous.length === breaks.length && previous[0] === 1) {
    const close = breaks.every((b, i) => Math.abs(b - previous[i]!) <= Math.max(1, BREAK_SLACK * previous[i]!));
    if (close) return [...previous];
  }
  return breaks;
}

/** Which class a value falls in: 0 below the first break, breaks.length from the last one up. */
export function classOf(value: number, breaks: readonly number[]): number {
  let k = 0;
  while (k < breaks.length && value >= breaks[k]!) k++;
  return k;
}

/** Legend rows for a set of breaks: "0", "1–2", "3–5", "6–9", "≥ 10". */
export function breakLabels(breaks: readonly number[]): string[] {
  const labels = [breaks[0] === 1 ? '0' : `< ${breaks[0]}`];
  for (let k = 0; k < breaks.length; k++) {
    const lo = breaks[k]!;
    const next = breaks[k + 1];
    if (next === undefined) labels.push(`≥ ${lo}`);
    else labels.push(next - 1 === lo ? `${lo}` : `${lo}–${next - 1}`);
  }
  return labels;
}

/** What the legend says of the fill: the breaks and how many grids fall in each class. */
export interface FillClasses {
  breaks: FillBreaks;
  grids: { load: number[]; overdue: number[] };
}

/** Grids per class for a figure; grids without a count are in class 0. */
export function gridsPerClass(counts: ReadonlyMap<string, number>, breaks: readonly number[], totalGrids: number): number[] {
  const out = new Array<number>(breaks.length + 1).fill(0);
  for (const c of counts.values()) out[classOf(c, breaks)]! += 1;
  out[0]! += Math.max(0, totalGrids - counts.size);
  return out;
}

export function fillClasses(metrics: GridMetrics, totalGrids: number): FillClasses {
  return {
    breaks: metrics.breaks,
    grids: { load: gridsPerClass(metrics.load, metrics.breaks.load, totalGrids), overdue: gridsPerClass(metrics.overdue, metrics.breaks.overdue, totalGrids) },
  };
}
