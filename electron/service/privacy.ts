// Residents' personal data leaves the data service only for roles that may see it
// (core/privacy: a viewer, i.e. the wall and read-only screens, never does). Applied
// once around a service's `handle`, after the handlers, so that every query, today's
// and tomorrow's, is covered by the same rule rather than by each handler remembering.
import type { Caller } from '../../core/api/channels';
import type { ApiResponse, PayloadOf, PushTopic } from '../../core/api/contract';
import { maskPersonalData, maySeePersonalData } from '../../core/privacy/mask';
import type { ApiService, PushListener } from './service';

/** The role of a call that names none: an in-process caller (tests, the service's own tools). */
export const DEFAULT_CALLER: Caller = { role: 'dispatcher' };

/** Fields a viewer has no use for and should not learn (the demo county's loopback control URL). */
const HIDDEN_FROM_VIEWERS: Readonly<Record<string, readonly string[]>> = { 'app.info': ['demoCounty'] };

export function withPrivacy(handle: ApiService['handle']): ApiService['handle'] {
  return async (method, args, caller = DEFAULT_CALLER) => {
    const response = await handle(method, args, caller);
    if (!response.ok || maySeePersonalData(caller.role, 'screen')) return response;
    return { ok: true, result: forViewer(method, response.result) } satisfies ApiResponse;
  };
}

/**
 * The caller a request from the Electron main process names (by its window: the wall
 * is a viewer). None named: a dispatcher (the console, in-process callers). A
 * malformed or unknown caller gets the most restricted role, never more.
 */
export function callerOf(message: { context?: unknown }): Caller {
  const context = message.context;
  if (context === undefined) return DEFAULT_CALLER;
  const view = typeof context === 'object' && context !== null ? (context as { view?: unknown }).view : 'wall';
  return view === undefined ? DEFAULT_CALLER : { role: 'viewer' };
}

function forViewer(method: string, result: unknown): unknown {
  const masked = maskPersonalData(result);
  const hidden = HIDDEN_FROM_VIEWERS[method];
  if (!hidden || typeof masked !== 'object' || masked === null) return masked;
  return Object.fromEntries(Object.entries(masked).filter(([k]) => !hidden.includes(k)));
}

/**
 * A push listener that receives each push as `caller` may see it: the events an
 * `entities.changed` push carries are masked for a viewer, like every answer of
 * `handle`. The masked payload is made once per push however many viewers listen.
 */
export function pushForCaller(listener: PushListener, caller: Caller = DEFAULT_CALLER): PushListener {
  if (maySeePersonalData(caller.role, 'screen')) return listener;
  const forward = listener as (topic: PushTopic, payload: unknown) => void;
  return ((topic: PushTopic, payload: unknown) =>
    forward(topic, topic === 'entities.changed' ? maskedChange(payload as PayloadOf<'entities.changed'>) : payload)) as PushListener;
}

const maskedPushes = new WeakMap<object, PayloadOf<'entities.changed'>>();

function maskedChange(payload: PayloadOf<'entities.changed'>): PayloadOf<'entities.changed'> {
  if (!payload.events) return payload;
  let masked = maskedPushes.get(payload);
  if (!masked) {
    masked = { ...payload, events: maskPersonalData(payload.events), masked: true };
    maskedPushes.set(payload, masked);
  }
  return masked;
}
