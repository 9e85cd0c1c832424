// Dispatch by rule (方案4: 平台根据事件类型和所属区域自动派遣): an event reported or
// accepted that a rule marked `auto` covers is accepted and dispatched by the center's
// automation (RULES_ACTOR), through the outbox like any command (queued while the county is away, sent
// once), with the rule named in the history. Once per event: a row in
// desk_auto_dispatch (written with the dispatch, or for a failed attempt) keeps it from
// happening again, and a case that was ever dispatched (a returned one) is left to the
// dispatcher.
import type { Caller } from '../../../core/api/channels';
import { autoDispatchNote, proposeDispatch, type DispatchContext } from '../../../core/desk/rules';
import type { Actor, GridEvent } from '../../../core/model';
import type { DeskReplica, RunCommand } from './handlers';
import type { RulesSource } from './rules-file';
import type { DeskStore } from './store';

/**
 * The actor the rules act as: the center's own automation, so it speaks with the
 * dispatcher's role (a county accepts commands from the town's operators only, never
 * from a `system` actor: county/simulator/county.ts TOWN_ACTOR_ROLES) under an id and a
 * name of its own, which the history and the audit trail show.
 */
export const RULES_ACTOR: Actor = { id: 'system:dispatch-rules', role: 'dispatcher', name: '自动派遣（派遣规则）' };
const RULES_CALLER: Caller = { role: 'dispatcher' };

/** Events a sweep reads at most, per status. */
const SWEEP_LIMIT = 500;

export interface AutoDispatchDeps {
  replica: DeskReplica;
  store: DeskStore;
  rules: RulesSource;
  run: RunCommand;
  clock: () => number;
  log: { error(message: string, detail?: unknown): void };
}

export interface AutoDispatcher {
  /** Looks at these events (or, without ids, the reported and accepted ones) and dispatches those a rule says to. Returns how many. */
  check(ids?: readonly string[]): number;
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function createAutoDispatcher(deps: AutoDispatchDeps): AutoDispatcher {
  const { replica, store } = deps;
  const dispatchOne = (event: GridEvent, ctx: DispatchContext): boolean => {
    if (event.status !== 'reported' && event.status !== 'accepted') return false;
    if (store.autoDispatched(event.id) || event.history.some((h) => h.action === 'event.dispatch')) return false;
    const p = proposeDispatch(event, ctx);
    if (!p.auto || p.to === null || p.rule === null) return false;
    const rule = p.rule;
    const note = autoDispatchNote(rule);
    try {
      if (event.status === 'reported') deps.run('event.accept', { id: event.id, note }, RULES_CALLER, { actor: RULES_ACTOR });
      deps.run('event.dispatch', { id: event.id, to: p.to, cooperating: p.cooperating, note }, RULES_CALLER, {
        actor: RULES_ACTOR,
        alongside: (n) => store.recordAuto(event.id, rule, deps.clock(), n),
      });
      return true;
    } catch (error) {
      // Refused (the workflow, a department gone): not tried again; the dispatcher sees the case as it is.
      store.write(() => store.recordAuto(event.id, rule, deps.clock(), null));
      deps.log.error(`[desk] rule ${rule.id} could not dispatch ${event.code}: ${errorText(error)}`);
      return false;
    }
  };

  return {
    check(ids) {
      const rules = deps.rules.current().rules;
      if (!rules.some((r) => r.auto)) return 0;
      const events =
        ids === undefined
          ? replica.listEvents({ status: ['reported', 'accepted'], paging: { offset: 0, limit: SWEEP_LIMIT }, sort: 'risk' }, deps.clock()).items
          : ids.map((id) => replica.getEvent(id)).filter((e): e is GridEvent => e !== null);
      const waiting = events.filter((e) => (e.status === 'reported' || e.status === 'accepted') && !e.history.some((h) => h.action === 'event.dispatch'));
      if (waiting.length === 0) return 0;
      // The town's reference data, read once per check and only when some event waits.
      const ctx: DispatchContext = { rules, categories: replica.categories(), departments: replica.departments(), workers: replica.workers({}) };
      let done = 0;
      for (const event of waiting) if (dispatchOne(event, ctx)) done++;
      return done;
    },
  };
}
