// An assessment figure's events, handed to the console's queue: the assessment screen
// stores the ids (assessment.events) in the tab's sessionStorage and opens the queue
// (#/queue), whose first state takes them as its id filter (events.list `ids`), so the
// queue shows exactly the events the figure counts. One hand-over, read once.
import type { ConsoleState } from '../console/console-state';

const KEY = 'griddeck.assessment.drill';

export interface Drill {
  ids: string[];
  label: string;
}

export function storeDrill(drill: Drill): void {
  sessionStorage.setItem(KEY, JSON.stringify(drill));
}

/** The drill waiting for the queue, removed as it is read; null when none or unreadable. */
export function takeDrill(): Drill | null {
  const raw = sessionStorage.getItem(KEY);
  if (raw === null) return null;
  sessionStorage.removeItem(KEY);
  try {
    const d = JSON.parse(raw) as Partial<Drill>;
    return Array.isArray(d.ids) && d.ids.every((x) => typeof x === 'string') && typeof d.label === 'string' ? { ids: d.ids, label: d.label } : null;
  } catch {
    return null;
  }
}

/** The console's first state, with a waiting drill as its queue's id filter (the "all" tab, so no event is hidden). */
export function withDrill(state: ConsoleState): ConsoleState {
  const drill = window.location.hash.startsWith('#/queue') ? takeDrill() : null;
  if (!drill) return state;
  return { ...state, tab: 'all', filters: { ...state.filters, ids: drill.ids, idsLabel: drill.label } };
}

/** The hash routes of the assessment screens. */
export type AssessmentRoute = 'assessment' | 'analysis' | 'report';

export function assessmentRoute(hash: string): AssessmentRoute | null {
  const m = /^#\/(assessment|analysis|report)(?:[/?]|$)/.exec(hash);
  return m ? (m[1] as AssessmentRoute) : null;
}
