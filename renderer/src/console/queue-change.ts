// What a changed event does to the queue's loaded rows, decided locally from the event
// the push carried: nothing (it neither was nor is in the list), replace its row in
// place (still in the list, same place in the order), or re-list the rows on screen
// (it enters or leaves the list, or its place in the order may have moved). Pure.
import type { ArgsOf } from '../../../core/api/contract';
import type { GridEvent } from '../../../core/model';
import { parseIso } from '../../../core/time/shanghai';

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
