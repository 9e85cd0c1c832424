// What a scoped role may see (issue 9, people): a village operator (村（社区）工作站) or
// an account given a grid scope sees only the events, workers and figures of its grids;
// a department operator sees the events of its department. The rule is written once
// here as a predicate; the replica runs the same rule as SQL over its indexed columns
// (electron/service/replica/event-index.ts, scopeSql) so that a scoped page costs no
// more than an unscoped one. electron/service/scope.ts resolves a caller into a scope.
import type { GridEvent, Worker } from '../model';
import { CODE_LENGTH } from '../grid/codes';

export interface EventScope {
  /** Basic grid codes the caller is confined to (expanded from its village or grid codes); empty: none. */
  grids?: readonly string[];
  /**
   * A department operator's department: the events it takes part in (departmentsOf):
   * those it leads or cooperates on, and those it acted on.
   */
  department?: string;
}

/**
 * The departments that take part in an event: the assignee's lead and cooperating
 * departments, and every department that acted on it (a history entry's departmentId,
 * which the workflow stamps from a department operator's account). The replica keeps
 * them as rows (event_parties) so a department's queue is an index range.
 */
export function departmentsOf(event: GridEvent): string[] {
  const out = new Set<string>();
  const a = event.assignee;
  if (a?.kind === 'department') {
    out.add(a.id);
    for (const c of a.cooperating) out.add(c);
  }
  for (const h of event.history) if (h.departmentId !== undefined) out.add(h.departmentId);
  return [...out];
}

/** Does the scope hold this event? No scope: the whole town. */
export function eventInScope(event: GridEvent, scope: EventScope | null): boolean {
  if (scope === null) return true;
  if (scope.grids !== undefined && !scope.grids.includes(event.grid)) return false;
  if (scope.department !== undefined && !departmentsOf(event).includes(scope.department)) return false;
  return true;
}

/** May a village or grid scope see events of this grid (a report there, a dispatch suggestion)? */
export function gridInScope(grid: string, scope: EventScope | null): boolean {
  return scope?.grids === undefined || scope.grids.includes(grid);
}

/**
 * Does the scope hold this grid worker? A worker answers for grids (or a village, or the
 * town); the scope holds the workers of its grids and of the villages they lie in, not
 * the town's own workers (they answer for every village). A department scope holds no
 * worker: its operators follow their tasks, not the patrols.
 */
export function workerInScope(worker: Pick<Worker, 'grids'>, scope: EventScope | null): boolean {
  if (scope === null) return true;
  if (scope.department !== undefined) return false;
  const grids = scope.grids;
  if (grids === undefined) return true;
  return worker.grids.some((g) => g.length >= CODE_LENGTH[2] && grids.some((s) => s.startsWith(g) || g.startsWith(s)));
}
