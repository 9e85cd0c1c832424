// Following the meeting's presenter (会商, issue 10): the state every follower shows
// (meeting.state: the agenda, the item on screen, the map's view), live from the
// meeting.state push, asked again on (re)connection so that a screen joining late or
// coming back after the data service restarted shows the current item at once. A
// follower may break away (脱离跟随) to look at another item, and rejoin.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { GridEvent } from '../../../core/model';
import type { MeetingState } from '../../../core/meeting/model';
import { useApi } from '../platform/context';
import { useConnection, usePush } from '../platform/hooks';
import { defaultViewState, parseViewState, type MapViewState } from '../map/view-state';

const RETRY_MS = 3_000;

/** The newer of two states (pushes can overtake a query's answer); null (meeting over) wins when it arrives as a push. */
export function newerState(current: MeetingState | null, next: MeetingState | null, fromPush: boolean): MeetingState | null {
  if (next === null) return fromPush || current === null ? null : current;
  if (current === null || current.meeting.id !== next.meeting.id) return next;
  return next.version >= current.version ? next : current;
}

/** The meeting in progress, live; null when there is none. */
export function useMeetingState(): { state: MeetingState | null; error: string | null } {
  const api = useApi();
  const connection = useConnection();
  const [state, setState] = useState<MeetingState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const online = connection.state === 'connected';
  // A failed read is tried again every few seconds (a loaded service times calls out).
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (error === null) return;
    const timer = setTimeout(() => setRound((r) => r + 1), RETRY_MS);
    return () => clearTimeout(timer);
  }, [error, round]);
  useEffect(() => {
    if (!online) return;
    let live = true;
    api.call('meeting.state').then(
      (s) => {
        if (!live) return;
        setError(null);
        // The answer is the service's state now: it replaces what this screen had (a restart may have ended the meeting).
        setState((current) => (s === null ? null : newerState(current, s, false)));
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [api, online, round]);
  usePush('meeting.state', useCallback((s: MeetingState | null) => setState((current) => newerState(current, s, true)), []));
  return { state, error };
}

/**
 * The events of the agenda's items: the one on screen as the meeting's state carries it
 * (pushed with each move, so a follower shows it without asking back), the others read
 * once each (a handful per meeting) when the agenda changes, for a screen that looks at
 * another item while away.
 */
export function useAgendaEvents(items: readonly { eventId: string | null }[] | undefined, presented: GridEvent | null | undefined): Map<string, GridEvent> {
  const api = useApi();
  const [read, setRead] = useState<Map<string, GridEvent>>(new Map());
  const ids = useMemo(() => [...new Set((items ?? []).flatMap((i) => (i.eventId ? [i.eventId] : [])))].sort().join(','), [items]);
  useEffect(() => {
    let live = true;
    const wanted = ids === '' ? [] : ids.split(',');
    void Promise.all(wanted.map((id) => api.call('events.get', { id }).catch(() => null))).then((list) => {
      if (live) setRead(new Map(list.flatMap((e) => (e ? [[e.id, e] as const] : []))));
    });
    return () => {
      live = false;
    };
    // Read again when the agenda changes, not with every move of the presenter.
  }, [api, ids]);
  return useMemo(() => (presented ? new Map(read).set(presented.id, presented) : read), [read, presented]);
}

export interface Follower {
  state: MeetingState | null;
  /** The events of the agenda (masked by the service as this screen may see them). */
  events: Map<string, GridEvent>;
  /** The item this screen shows: the presenter's while following, its own choice while away. */
  itemId: string | null;
  following: boolean;
  /** The map view to show while in a meeting, or null (the screen's own). */
  view: MapViewState | null;
  breakAway(): void;
  rejoin(): void;
  /** While away: look at another item. */
  look(itemId: string): void;
}

/** A follower of the presenter, with 脱离跟随 / 重新跟随. */
export function useFollower(): Follower {
  const { state } = useMeetingState();
  const events = useAgendaEvents(state?.items, state?.event);
  const [away, setAway] = useState<{ itemId: string | null } | null>(null);
  const presented = useMemo(() => {
    if (!state?.view) return null;
    const parsed = parseViewState(state.view);
    return parsed.ok ? parsed.view : null;
  }, [state]);
  // A meeting that ends brings a screen that had broken away back to following (the next one starts afresh).
  useEffect(() => {
    if (state === null) setAway(null);
  }, [state]);
  const itemId = away ? away.itemId : (state?.itemId ?? null);
  const awayView = useMemo(() => {
    if (!away || away.itemId === null) return presented;
    const item = state?.items.find((i) => i.id === away.itemId);
    const at = item?.eventId ? events.get(item.eventId)?.location : undefined;
    return at ? defaultViewState({ ...(presented ?? {}), camera: { lon: at.lon, lat: at.lat, zoom: 16, bearing: 0, pitch: 0 }, selection: { kind: 'event', id: item!.eventId! } }) : presented;
  }, [away, presented, state, events]);
  return {
    state,
    events,
    itemId,
    following: away === null,
    view: state === null ? null : away ? awayView : presented,
    breakAway: () => setAway({ itemId: state?.itemId ?? null }),
    rejoin: () => setAway(null),
    look: (id) => setAway({ itemId: id }),
  };
}
