// The map view one screen shares and the others follow (view.share / view.shared): the
// console casting its map to the wall, and the consultation meeting's presenter (whose
// meeting.present moves it too: electron/service/meeting/). With the replica's meeting
// tables (`persist`) it is kept in the replica's presenter_state row, numbered across
// restarts, so a restarted service shows the same view; without them, in memory.
import { SHARED_VIEW_MAX_BYTES, type SharedView } from '../../core/api/contract';
import { toIso } from '../../core/time/shanghai';
import type { Handler, PushHub } from './service';
import { ApiFailure } from './service';

/** Where the shared view is kept (electron/service/meeting/store.ts). */
export interface SharedViewStore {
  sharedView(): SharedView | null;
  /** Stores the view (null: nobody shares) and answers its version. */
  setSharedView(view: SharedView['view'] | null, by: string, at: number): number;
}

export interface SharedViewHandlers {
  'view.share': Handler<'view.share'>;
  'view.shared': Handler<'view.shared'>;
}

export function createSharedView(pushes: PushHub, clock: () => number, persist?: SharedViewStore): SharedViewHandlers {
  let current: SharedView | null = null;
  let version = 0;
  const share = (view: SharedView['view'] | null, by: string): SharedView | null => {
    if (view !== null && JSON.stringify(view).length > SHARED_VIEW_MAX_BYTES) {
      throw new ApiFailure('invalid', `共享视图过大(超过 ${SHARED_VIEW_MAX_BYTES} 字节),未共享`);
    }
    const at = clock();
    version = persist ? persist.setSharedView(view, by, at) : version + 1;
    current = view === null ? null : { view, by, at: toIso(at), version };
    pushes.emit('view.shared', current);
    return current;
  };
  return {
    'view.share': ({ view, by }) => share(view, by),
    'view.shared': () => (persist ? persist.sharedView() : current),
  };
}
