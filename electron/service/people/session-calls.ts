// What the transports call (SessionService, electron/service/service.ts): the call's
// context (the token the client presented, its seat, the view it asks for) becomes a
// Caller, or the call answers `unauthorized`. PUBLIC_METHODS run without a session;
// the Electron wall window runs as a viewer without one. A page that asks for the wall
// view gets a viewer whoever's session it holds.
import type { CallContext, Caller, Seat } from '../../../core/api/channels';
import type { ApiResponse } from '../../../core/api/contract';
import { PUBLIC_METHODS, apiError, isMethodName } from '../../../core/api/contract';
import type { ApiService, ServiceLog, SessionService } from '../service';
import { internalError } from '../service';
import type { People } from './people';

type Resolution = { caller: Caller } | { reason: 'none' | 'ended' };

function isSeat(seat: unknown): seat is Seat {
  if (typeof seat !== 'object' || seat === null) return false;
  const s = seat as Record<string, unknown>;
  if (s.kind === 'window') return s.window === 'console' || s.window === 'wall';
  if (s.kind === 'remote') return typeof s.address === 'string' && s.address.length <= 200;
  if (s.kind === 'local') return typeof s.name === 'string' && s.name.length <= 100;
  return false;
}

/** A context as a transport must hand it (anything else is refused like no session). */
export function isCallContext(context: unknown): context is CallContext {
  if (typeof context !== 'object' || context === null) return false;
  const c = context as Record<string, unknown>;
  return isSeat(c.seat) && (c.token === undefined || typeof c.token === 'string') && (c.view === undefined || c.view === 'wall');
}

const isWallWindow = (context: CallContext): boolean => context.seat.kind === 'window' && context.seat.window === 'wall' && context.view === 'wall';

/** The caller of a context: its session's, narrowed to a viewer for the wall view. */
function resolveContext(people: People | null, context: CallContext): Resolution {
  const resolved = people && context.token ? people.resolve(context.token) : ({ ok: false, reason: 'none' } as const);
  if (resolved.ok) {
    const caller = people!.callerOf(resolved, context.seat);
    return { caller: context.view === 'wall' ? { ...caller, role: 'viewer' } : caller };
  }
  // The Electron wall window shows the wall without anyone logging in, as a viewer.
  if (isWallWindow(context)) return { caller: { role: 'viewer', seat: context.seat } };
  return { reason: resolved.reason };
}

const UNAUTHORIZED = {
  none: '请先登录',
  ended: '登录已失效,请重新登录',
} as const;

export function createSessionCalls(people: People | null, handle: ApiService['handle'], log: ServiceLog): SessionService {
  return {
    resolve: (context) => {
      try {
        if (!isCallContext(context)) return null;
        const r = resolveContext(people, context);
        return 'caller' in r ? r.caller : null;
      } catch (error) {
        log.error('[service] could not resolve a session', error);
        return null;
      }
    },
    call: async (method, args, context): Promise<ApiResponse> => {
      try {
        if (!isCallContext(context)) return apiError('unauthorized', UNAUTHORIZED.none);
        const r = resolveContext(people, context);
        if ('caller' in r) return await handle(method, args, r.caller);
        // Without a session only the public methods: as the least of roles, at the caller's seat.
        if (isMethodName(method) && PUBLIC_METHODS.includes(method)) return await handle(method, args, { role: 'viewer', seat: context.seat });
        return apiError('unauthorized', UNAUTHORIZED[r.reason]);
      } catch (error) {
        log.error('[service] a call failed before its handler', error);
        return internalError(log);
      }
    },
    onSessionEnded: (listener) => (people ? people.onSessionEnded(listener) : () => undefined),
  };
}
