// The desk's lists as the screens read them: asked again when events change (coalesced)
// and every minute (a deadline passes without any change), and a file the service made
// handed to the browser as a download.
import { useCallback, useEffect, useState } from 'react';
import type { ArgsOf, ResultOf } from '../../../core/api/contract';
import { useApi } from '../platform/context';
import { useEventChanges } from '../platform/hooks';
import type { EventChange } from '../platform/event-store';
import { errorText, useCoalesced } from '../console/data';

type DeskQuery = 'desk.supervisions' | 'desk.worklist';

export interface Live<T> {
  data: T | undefined;
  error: string | null;
  reload: () => void;
}

const REFRESH_MS = 60_000;
/** Changes of events come in bursts: a list is asked again at most this often for them. */
const CHANGE_COALESCE_MS = 2000;

/** A desk query kept current; `enabled` false asks nothing (a role without the method). */
export function useDeskQuery<M extends DeskQuery>(method: M, args: ArgsOf<M>, enabled = true): Live<ResultOf<M>> {
  const api = useApi();
  const key = JSON.stringify(args);
  const [state, setState] = useState<{ key: string; data?: ResultOf<M>; error: string | null }>({ key, error: null });
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const call = api.call as (m: M, a: unknown) => Promise<ResultOf<M>>;
    call(method, JSON.parse(key)).then(
      (data) => live && setState({ key, data, error: null }),
      (e: unknown) => live && setState((prev) => ({ ...prev, key, error: errorText(e) })),
    );
    return () => {
      live = false;
    };
  }, [api, method, key, round, enabled]);
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const changed = useCoalesced(reload, CHANGE_COALESCE_MS);
  const eventId = (JSON.parse(key) as { eventId?: string }).eventId;
  useEventChanges(useCallback((change: EventChange) => (method !== 'desk.supervisions' || concernsSupervisions(change, eventId) ? changed() : undefined), [method, eventId, changed]));
  return { data: state.key === key ? state.data : undefined, error: state.error, reload };
}

/**
 * Does a change of events concern a list of supervisions (of the town, or of one event)?
 * Only a supervised event can change one (its supervisionCount says so); a new report or
 * a comment on an event nobody supervised does not, and the console asks nothing back for it (issue 8's rule). A change
 * too large to name its events, or naming one the screen does not hold, is taken to.
 */
export function concernsSupervisions(change: Pick<EventChange, 'ids' | 'events'>, eventId?: string): boolean {
  if (change.ids === null) return true;
  const ids = eventId === undefined ? change.ids : change.ids.filter((id) => id === eventId);
  return ids.some((id) => {
    const event = change.events.get(id);
    return event === undefined || (event !== null && event.supervisionCount > 0);
  });
}

/** A file the service sent (base64) as an object URL the page can save under its name (revoke it when done). */
export function fileUrl(file: ResultOf<'desk.supervisionDocument'>): string {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type: file.mime }));
}

/**
 * Saves it at once. A browser lets a page start a download only shortly after a click
 * (and a second one not at all without asking): a file that took long to make is also
 * offered as a link (DocumentButtons), which saves it on the person's own click.
 */
export function saveNow(url: string, filename: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
}
