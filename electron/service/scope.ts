// What a scoped caller may see and act on (issue 9, people). A village operator, or any
// account given a grid scope, sees only the events, workers and figures of its grids; a
// department operator the events of its department (core/privacy/scope.ts states the
// rule). This file turns a Caller into that scope, with the replica's grids, and applies
// it to every answer that carries events, workers or figures, and to the pushes:
// - lists and counts pass the scope down to the replica's SQL (a page is never
//   filtered after the fact: replica/event-index.ts, scopeSql);
// - a single event out of scope answers like one that does not exist (null, not-found);
// - a command on an event out of scope, or a report outside the caller's grids, is
//   `forbidden`, before the workflow looks at it.
import type { Caller } from '../../core/api/channels';
import type { MethodName, PayloadOf, PushTopic, ResultOf } from '../../core/api/contract';
import { COMMAND_NAMES, type CommandName } from '../../core/events/commands';
import { COMMAND_LABELS, ROLE_LABELS } from '../../core/events/labels';
import type { GridEvent, PositionFix, Worker } from '../../core/model';
import { eventInScope as inScope, gridInScope, workerInScope, type EventScope } from '../../core/privacy/scope';
import { CODE_LENGTH } from '../../core/grid/codes';
import type { Replica } from './replica/replica';
import type { Handlers, PushListener } from './service';
import { ApiFailure } from './service';
import { screenLevel } from './privacy';

/** What resolving scopes reads from the replica. */
export type ScopeReplica = Pick<Replica, 'grids' | 'getEvent' | 'workers'>;

export interface Scopes {
  /** The caller's scope; null: the whole town. Scoped roles without their scope (a village without grids) see nothing. */
  of(caller: Caller): EventScope | null;
  /** May this caller see this event? (The reveal of personal data asks it too.) */
  eventInScope(event: GridEvent, caller: Caller): boolean;
  /** The ids of the workers the caller may see; null: every worker. Kept a few seconds (positions arrive ten times a second). */
  visibleWorkers(caller: Caller): ReadonlySet<string> | null;
  /** The replica's grids changed: scopes are expanded afresh. */
  invalidateGrids(): void;
}

/** How long the set of a scope's workers is reused: a worker given other grids shows up this late at most. */
export const VISIBLE_WORKERS_MS = 5000;

type RejectedCommand = ResultOf<'commands.rejected'>[number];

/** Nothing at all: the scope of a scoped role that lacks what confines it. */
const NOTHING: EventScope = { grids: [] };

export function createScopes(replica: Pick<ScopeReplica, 'grids' | 'workers'>, clock: () => number = Date.now): Scopes {
  let basic: string[] | null = null;
  const expanded = new Map<string, readonly string[]>();
  const workerSets = new Map<string, { at: number; ids: ReadonlySet<string> }>();

  /** Village, town or grid codes → the basic grid codes under them (a basic code the replica does not know yet stays). */
  const expand = (codes: readonly string[]): readonly string[] => {
    const key = [...codes].sort().join(',');
    const held = expanded.get(key);
    if (held) return held;
    basic ??= replica.grids(3).map((g) => g.code);
    const out = new Set<string>();
    for (const code of codes) {
      if (code === '') continue;
      for (const b of basic) if (b.startsWith(code)) out.add(b);
      if (code.length === CODE_LENGTH[3]) out.add(code);
    }
    const result = [...out].sort();
    expanded.set(key, result);
    return result;
  };

  const of = (caller: Caller): EventScope | null => {
    const grids = caller.grids === undefined ? undefined : expand(caller.grids);
    if (caller.role === 'department') {
      const id = caller.departmentId ?? caller.user?.departmentId;
      if (id === undefined || id === '') return NOTHING;
      return { department: id, ...(grids ? { grids } : {}) };
    }
    if (caller.role === 'village' && (grids === undefined || caller.grids?.length === 0)) return NOTHING;
    return grids === undefined ? null : { grids };
  };

  const visibleWorkers = (caller: Caller): ReadonlySet<string> | null => {
    const scope = of(caller);
    if (scope === null) return null;
    const key = JSON.stringify(scope);
    const held = workerSets.get(key);
    const now = clock();
    if (held && now - held.at >= 0 && now - held.at < VISIBLE_WORKERS_MS) return held.ids;
    const ids = new Set(replica.workers({}).filter((w) => workerInScope(w, scope)).map((w) => w.id));
    workerSets.set(key, { at: now, ids });
    return ids;
  };

  return {
    of,
    eventInScope: (event, caller) => inScope(event, of(caller)),
    visibleWorkers,
    invalidateGrids: () => {
      basic = null;
      expanded.clear();
      workerSets.clear();
    },
  };
}

type Table = Record<MethodName, (args: unknown, caller: Caller) => unknown>;

/** The event a command names (its `id`), and the merge's target (`into`). */
function namedEvents(args: unknown): string[] {
  if (typeof args !== 'object' || args === null) return [];
  const { id, into } = args as { id?: unknown; into?: unknown };
  return [id, into].filter((v): v is string => typeof v === 'string');
}

function refuse(caller: Caller, name: CommandName, why: string): never {
  throw new ApiFailure('forbidden', `${ROLE_LABELS[caller.role]}不能${why}执行“${COMMAND_LABELS[name]}”`);
}

/**
 * The workflow commands, refused for a scoped caller on an event out of its scope (an
 * event that does not exist is left to the workflow's not-found), and a report outside
 * its grids.
 */
function scopedCommands(table: Table, scopes: Scopes, replica: Pick<ScopeReplica, 'getEvent'>): Partial<Table> {
  const out: Partial<Table> = {};
  for (const name of COMMAND_NAMES) {
    const inner = table[name];
    out[name] = (args, caller) => {
      const scope = scopes.of(caller);
      if (scope !== null) {
        if (name === 'event.create') {
          const grid = (args as { grid?: unknown }).grid;
          if (typeof grid === 'string' && !gridInScope(grid, scope)) refuse(caller, name, '在本人负责范围以外的网格');
        }
        for (const id of namedEvents(args)) {
          const event = replica.getEvent(id);
          if (event !== null && !inScope(event, scope)) refuse(caller, name, '对本人负责范围以外的事件');
        }
      }
      return inner(args, caller);
    };
  }
  return out;
}

/** A command (a rejected one, say) about an event in scope; a report that never became an event, by its grid. */
function commandInScope(command: { name: string; args: unknown }, scope: EventScope, replica: Pick<ScopeReplica, 'getEvent'>): boolean {
  const [id] = namedEvents(command.args);
  const event = id === undefined ? null : replica.getEvent(id);
  if (event !== null) return inScope(event, scope);
  const grid = (command.args as { grid?: unknown } | null)?.grid;
  return command.name === 'event.create' && scope.department === undefined && typeof grid === 'string' && gridInScope(grid, scope);
}

/**
 * The handlers with the caller's scope applied to every answer that carries events or
 * workers. The console's queries and the figures take the scope themselves
 * (console-queries.ts, stats.ts: they pass it to the replica's SQL).
 */
export function withScope(handlers: Handlers, scopes: Scopes, replica: ScopeReplica, clock: () => number): Handlers {
  const table = handlers as unknown as Table;
  const workersOf = (caller: Caller, workers: Worker[]): Worker[] => {
    const scope = scopes.of(caller);
    return scope === null ? workers : workers.filter((w) => workerInScope(w, scope));
  };
  const scoped: Partial<Table> = {
    'events.list': (args, caller) => {
      const scope = scopes.of(caller);
      if (scope === null) return table['events.list'](args, caller);
      return (replica as unknown as Pick<Replica, 'listEvents'>).listEvents({ ...(args as Parameters<Replica['listEvents']>[0]), scope }, clock(), screenLevel(caller));
    },
    'events.get': async (args, caller) => {
      const event = (await table['events.get'](args, caller)) as GridEvent | null;
      return event !== null && scopes.eventInScope(event, caller) ? event : null;
    },
    'workers.list': async (args, caller) => workersOf(caller, (await table['workers.list'](args, caller)) as Worker[]),
    'workers.positions': async (args, caller) => {
      const fixes = (await table['workers.positions'](args, caller)) as PositionFix[];
      const visible = scopes.visibleWorkers(caller);
      return visible === null ? fixes : fixes.filter((f) => visible.has(f.workerId));
    },
    'workers.track': async (args, caller) => {
      const visible = scopes.visibleWorkers(caller);
      if (visible !== null && !visible.has((args as { workerId: string }).workerId)) return [];
      return table['workers.track'](args, caller);
    },
    'commands.rejected': async (args, caller) => {
      const rejected = (await table['commands.rejected'](args, caller)) as RejectedCommand[];
      const scope = scopes.of(caller);
      return scope === null ? rejected : rejected.filter((c) => commandInScope(c, scope, replica));
    },
    ...scopedCommands(table, scopes, replica),
  };
  return { ...handlers, ...(scoped as unknown as Partial<Handlers>) } as Handlers;
}

/**
 * A push listener that receives each push as far as `caller`'s scope reaches: a change's
 * events and ids only those in scope (a change with nothing in scope is not sent), and
 * no tab counts (they are the town's: a scoped screen refetches its own); positions of
 * the workers in scope. Unscoped callers get every push as it is.
 */
export function pushInScope(listener: PushListener, caller: Caller, scopes: Scopes, replica: ScopeReplica): PushListener {
  const forward = listener as (topic: PushTopic, payload: unknown) => void;
  return ((topic: PushTopic, payload: unknown) => {
    const scope = scopes.of(caller);
    if (scope === null) return forward(topic, payload);
    if (topic === 'entities.changed') {
      const change = scopedChange(payload as PayloadOf<'entities.changed'>, scope, replica);
      if (change) forward(topic, change);
      return;
    }
    if (topic === 'positions') {
      const p = payload as PayloadOf<'positions'>;
      const visible = scopes.visibleWorkers(caller) ?? new Set<string>();
      const items = p.items.filter((f) => visible.has(f.workerId));
      if (items.length > 0) forward(topic, { ...p, items });
      return;
    }
    forward(topic, payload);
  }) as PushListener;
}

function scopedChange(change: PayloadOf<'entities.changed'>, scope: EventScope, replica: ScopeReplica): PayloadOf<'entities.changed'> | null {
  const { counts: _counts, ...rest } = change;
  // Without ids (a snapshot past the bound) the views refetch: their queries are scoped.
  if (!change.types.includes('event') || change.ids === undefined) return rest;
  const events = change.events ?? [];
  const known = new Map(events.map((e) => [e.id, e]));
  const gone = new Set(change.gone ?? []);
  // Events out of scope are not announced at all (a village's screen learns nothing of another's).
  const ids = change.ids.filter((id) => {
    if (gone.has(id)) return true;
    const event = known.get(id) ?? replica.getEvent(id);
    return event !== null && inScope(event, scope);
  });
  if (ids.length === 0) return null;
  const shown = new Set(ids);
  return {
    ...rest,
    ids,
    ...(change.events ? { events: events.filter((e) => shown.has(e.id)) } : {}),
    ...(change.pending ? { pending: change.pending.filter((id) => shown.has(id)) } : {}),
  };
}
