// Residents' personal data leaves the data service only as the caller's role may see it
// (core/privacy/mask.ts, maskLevel): phone and ID numbers are masked for every role,
// names and addresses too for the roles that do not work a case (the wall, the meeting
// screen, the admin). Applied once around a service's `handle`, after the handlers, so
// that every query, today's and tomorrow's, is covered by the same rule rather than by
// each handler remembering. The one way to a number unmasked is its own call
// (personal.reveal: a reason, allowed by role, recorded), which this leaves as it is.
//
// The queue and the event detail read the events already masked at the caller's level
// (`screenLevel`; the replica stores each event masked at every level when it writes it:
// replica/event-masks.ts); the walk here recognises them and does not mask them twice.
// Every other answer, and every push, is masked here by the same rules.
import type { Caller } from '../../core/api/channels';
import type { ApiResponse, PayloadOf, PushTopic } from '../../core/api/contract';
import { REVEAL_METHODS } from '../../core/api/contract';
import { maskLevel, maskPersonalData, type MaskLevel } from '../../core/privacy/mask';
import type { ApiService, PushListener } from './service';

/** The role of a call that names none: an in-process caller (tests, the service's own tools). */
export const DEFAULT_CALLER: Caller = { role: 'dispatcher' };

/** Fields a room's screen has no use for and should not learn (the demo county's loopback control URL). */
const HIDDEN_FROM_ROOMS: Readonly<Record<string, readonly string[]>> = { 'app.info': ['demoCounty'] };

/** Answers given as they are: the reveal is the recorded exception to masking. */
const UNMASKED_METHODS: ReadonlySet<string> = new Set(Object.keys(REVEAL_METHODS));

/** The mask level of a caller's screens (core/privacy/mask.ts maskLevel): what every answer and push to it is masked at. */
export function screenLevel(caller: Caller): MaskLevel {
  return maskLevel(caller.role, 'screen');
}

export function withPrivacy(handle: ApiService['handle']): ApiService['handle'] {
  return async (method, args, caller = DEFAULT_CALLER) => {
    const response = await handle(method, args, caller);
    if (!response.ok || UNMASKED_METHODS.has(method)) return response;
    return { ok: true, result: masked(method, response.result, screenLevel(caller)) } satisfies ApiResponse;
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

function masked(method: string, result: unknown, level: MaskLevel): unknown {
  const out = maskPersonalData(result, level);
  const hidden = level === 'all' ? HIDDEN_FROM_ROOMS[method] : undefined;
  if (!hidden || typeof out !== 'object' || out === null) return out;
  return Object.fromEntries(Object.entries(out).filter(([k]) => !hidden.includes(k)));
}

/**
 * A push listener that receives each push as `caller` may see it: the events an
 * `entities.changed` push carries, and the meeting's state (its agenda and the event on
 * screen), are masked at the caller's level, like every answer of `handle`. Each push is
 * masked once per level however many callers listen.
 */
export function pushForCaller(listener: PushListener, caller: Caller = DEFAULT_CALLER): PushListener {
  const level = screenLevel(caller);
  const forward = listener as (topic: PushTopic, payload: unknown) => void;
  return ((topic: PushTopic, payload: unknown) =>
    forward(topic, topic === 'entities.changed' ? maskedChange(payload as PayloadOf<'entities.changed'>, level) : topic === 'meeting.state' ? maskedOnce(payload, level) : payload)) as PushListener;
}

const maskedStates = new WeakMap<object, Partial<Record<MaskLevel, unknown>>>();

/** A push masked as a whole (meeting.state: the agenda's titles, the event on screen), once per level. */
function maskedOnce(payload: unknown, level: MaskLevel): unknown {
  if (typeof payload !== 'object' || payload === null) return payload;
  const cached = maskedStates.get(payload) ?? {};
  if (!(level in cached)) {
    cached[level] = maskPersonalData(payload, level);
    maskedStates.set(payload, cached);
  }
  return cached[level];
}

const maskedPushes = new WeakMap<object, Partial<Record<MaskLevel, PayloadOf<'entities.changed'>>>>();

function maskedChange(payload: PayloadOf<'entities.changed'>, level: MaskLevel): PayloadOf<'entities.changed'> {
  if (!payload.events) return payload;
  const cached = maskedPushes.get(payload) ?? {};
  let out = cached[level];
  if (!out) {
    // `masked` tells a view that the push holds less than a case worker's events.get would (a room's screen).
    out = { ...payload, events: maskPersonalData(payload.events, level), ...(level === 'all' ? { masked: true } : {}) };
    cached[level] = out;
    maskedPushes.set(payload, cached);
  }
  return out;
}
