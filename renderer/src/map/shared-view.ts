// One screen shares its map view, others follow it (view.share / view.shared, docs/api.md):
// the console casting to the wall now, the consultation meeting's one view later.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SharedView } from '../../../core/api/contract';
import { useApi } from '../platform/context';
import { usePush, useQuery } from '../platform/hooks';
import { throttle } from '../wall/throttle';
import { parseViewState, serializeViewState, type MapViewState } from './view-state';

/** What a follower shows: the shared view, validated, or why it shows its own. */
export type Followed = { view: MapViewState; by: string; version: number } | { view: null; by: null; version: number; error?: string };

/**
 * The newest of what the follower had and what arrived (pushes can overtake the first
 * query's answer): a lower version is ignored; an invalid view is not followed.
 */
export function follow(current: Followed, shared: SharedView | null, version = shared?.version ?? current.version + 1): Followed {
  if (version < current.version) return current;
  if (!shared) return { view: null, by: null, version };
  const parsed = parseViewState(shared.view);
  if (!parsed.ok) return { view: null, by: null, version, error: `${shared.by}共享的视图无法显示:${parsed.error}` };
  return { view: parsed.view, by: shared.by, version };
}

const NONE: Followed = { view: null, by: null, version: 0 };

/** The shared view this screen follows, live. */
export function useFollowedView(): Followed {
  const [state, setState] = useState<Followed>(NONE);
  const first = useQuery('view.shared');
  useEffect(() => {
    // The first answer may arrive after a push: a null answer is then older than it.
    if (first.status === 'ok') setState((s) => follow(s, first.data, first.data?.version ?? 0));
  }, [first.status, first.data]);
  // A null push carries no version: it is newer than anything this screen has.
  usePush('view.shared', useCallback((shared: SharedView | null) => setState((s) => follow(s, shared)), []));
  return state;
}

/** The most share calls per second while the view moves (the map's own camera events come every 120 ms). */
const SHARE_EVERY_MS = 125;

/**
 * While `on`, shares every change of `view` (throttled, the last one always sent); turning it
 * off or leaving stops the sharing. Returns the last error (e.g. the link to the service is down).
 */
export function useShareView(view: MapViewState, on: boolean, by = '调度台'): string | null {
  const [error, setError] = useState<string | null>(null);
  const api = useApi();
  const latest = useRef(view);
  latest.current = view;
  const text = useMemo(() => serializeViewState(view), [view]);
  const share = useMemo(
    () =>
      throttle(() => {
        api.call('view.share', { view: JSON.parse(serializeViewState(latest.current)) as Record<string, unknown>, by }).then(
          () => setError(null),
          (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
        );
      }, SHARE_EVERY_MS),
    [api, by],
  );
  useEffect(() => {
    if (on) share();
  }, [on, text, share]);
  useEffect(() => {
    if (!on) return;
    return () => {
      share.cancel();
      void api.call('view.share', { view: null, by }).catch(() => {});
    };
  }, [api, on, by, share]);
  return on ? error : null;
}
