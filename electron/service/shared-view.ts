// The map view one screen shares and the others follow (view.share / view.shared): the
// console casting its map to the wall, later the consultation meeting's one view. Kept
// in memory only: it is a presentation state of this center, not county data, and a
// restarted service starts with nobody sharing.
import { SHARED_VIEW_MAX_BYTES, type SharedView } from '../../core/api/contract';
import { toIso } from '../../core/time/shanghai';
import type { Handler, PushHub } from './service';
import { ApiFailure } from './service';

export function createSharedView(pushes: PushHub, clock: () => number): { 'view.share': Handler<'view.share'>; 'view.shared': Handler<'view.shared'> } {
  let current: SharedView | null = null;
  let version = 0;
  return {
    'view.share': ({ view, by }) => {
      if (view !== null && JSON.stringify(view).length > SHARED_VIEW_MAX_BYTES) {
        throw new ApiFailure('invalid', `共享视图过大(超过 ${SHARED_VIEW_MAX_BYTES} 字节),未共享`);
      }
      version++;
      current = view === null ? null : { view, by, at: toIso(clock()), version };
      pushes.emit('view.shared', current);
      return current;
    },
    'view.shared': () => current,
  };
}
