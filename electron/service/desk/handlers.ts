// The desk's methods (core/api/desk.ts) over the replica: supervisions kept beside the
// event.supervise that goes to the county (one transaction), the 督办单 files, the work
// lists, the dispatch proposal; and the rules that dispatch by themselves (auto-dispatch.ts).
import type { Caller } from '../../../core/api/channels';
import type { CommandReceipt, ParsedArgsOf, ResultOf } from '../../../core/api/contract';
import type { CommandName } from '../../../core/events/commands';
import { proposeDispatch, ruleProblems } from '../../../core/desk/rules';
import {
  answeredAt,
  followUp,
  superviseNote,
  supervisionDeadline,
  supervisionNumber,
  supervisionState,
  supervisionYear,
  type Supervision,
} from '../../../core/desk/supervision';
import { WORK_LIST_STATUSES, dueSoonHorizon, workListItem, workListOrder, type WorkListItem } from '../../../core/desk/worklists';
import type { Actor, GridEvent } from '../../../core/model';
import { WorkCalendar } from '../../../core/sla/calendar';
import { parseIso, toIso } from '../../../core/time/shanghai';
import type { Replica } from '../replica/replica';
import type { Scopes } from '../scope';
import { ApiFailure, type Handler } from '../service';
import { supervisionFile } from './document';
import type { RulesSource } from './rules-file';
import type { DeskStore } from './store';

export type DeskReplica = Pick<Replica, 'getEvent' | 'listEvents' | 'categories' | 'departments' | 'workers' | 'grids' | 'command' | 'pendingCommands'>;

/** A workflow command run as the service runs a caller's (audit, push, link kick), with `alongside` in its transaction. */
export type RunCommand = (name: CommandName, args: unknown, caller: Caller, extra?: { actor?: Actor; alongside?: (n: number) => void }) => CommandReceipt;

export interface DeskDeps {
  replica: DeskReplica;
  /** Null: a replica without the desk's tables (a test's fake): the desk answers `unavailable`. */
  store: DeskStore | null;
  clock: () => number;
  calendar?: WorkCalendar;
  scopes: Pick<Scopes, 'of' | 'eventInScope'>;
  rules: RulesSource;
  run: RunCommand;
  /** Records an export in the audit trail (null without a people store). */
  auditExport(caller: Caller, target: string, detail: string): void;
}

type DeskMethod = 'desk.supervisions' | 'desk.supervise' | 'desk.supervisionDocument' | 'desk.worklist' | 'desk.dispatchProposal' | 'desk.rules';
export type DeskHandlers = { [M in DeskMethod]: Handler<M> };

/** Pages of a status read for a work list, at most (500 events a page). */
const MAX_SCAN_PAGES = 10;

export function deskHandlers(deps: DeskDeps): DeskHandlers {
  const { replica, clock } = deps;
  const calendar = deps.calendar ?? new WorkCalendar();
  const store = (): DeskStore => {
    if (deps.store === null) throw new ApiFailure('unavailable', '本地数据库没有督办与工作清单的数据表');
    return deps.store;
  };
  /** The event as the caller may see it: out of its scope is not found. */
  const eventFor = (id: string, caller: Caller): GridEvent | null => {
    const event = replica.getEvent(id);
    return event !== null && deps.scopes.eventInScope(event, caller) ? event : null;
  };
  const item = (s: Supervision, event: GridEvent | null, now: number): ResultOf<'desk.supervisions'>[number] => ({
    supervision: s,
    state: supervisionState(s, event, now),
    event,
    answeredAt: answeredAt(s, event),
    followUp: followUp(s, event),
  });

  return {
    'desk.supervisions': ({ state, eventId, limit }, caller) => {
      const now = clock();
      const scoped = deps.scopes.of(caller) !== null;
      const out: ResultOf<'desk.supervisions'> = [];
      for (const s of store().list(eventId === undefined ? 5000 : limit, eventId)) {
        const event = eventFor(s.eventId, caller);
        if (event === null && scoped) continue;
        const it = item(s, event, now);
        if (state !== undefined && it.state !== state) continue;
        out.push(it);
        if (out.length >= limit) break;
      }
      return out;
    },
    'desk.supervise': (args, caller) => supervise(deps, store(), eventFor, args, caller, calendar),
    'desk.supervisionDocument': async ({ id, format }, caller) => {
      const s = store().get(id);
      const event = s === null ? null : eventFor(s.eventId, caller);
      if (s === null || event === null) throw new ApiFailure('not-found', '没有这份督办单');
      const file = await supervisionFile(replica, s, event, format, clock());
      deps.auditExport(caller, event.id, `督办单 ${s.number}（${format === 'docx' ? 'Word' : 'PDF'}）`);
      return file;
    },
    'desk.worklist': ({ kind, limit }, caller) => {
      const now = clock();
      const horizon = dueSoonHorizon(now, calendar);
      const scope = deps.scopes.of(caller);
      const found: WorkListItem[] = [];
      for (let page = 0; page < MAX_SCAN_PAGES; page++) {
        const args = { status: [...WORK_LIST_STATUSES[kind]], paging: { offset: page * 500, limit: 500 }, sort: 'risk' as const };
        const { items, total } = replica.listEvents(scope === null ? args : { ...args, scope }, now);
        for (const e of items) {
          const it = workListItem(kind, e, now, horizon);
          if (it !== null) found.push(it);
        }
        if ((page + 1) * 500 >= total) break;
      }
      found.sort(workListOrder);
      return { items: found.slice(0, limit), total: found.length, at: toIso(now) };
    },
    'desk.dispatchProposal': ({ eventId }, caller) => {
      const event = eventFor(eventId, caller);
      if (event === null) return null;
      return proposeDispatch(event, { rules: deps.rules.current().rules, categories: replica.categories(), departments: replica.departments(), workers: replica.workers({}) });
    },
    'desk.rules': () => {
      const { rules, errors, source } = deps.rules.current();
      const town = { categories: replica.categories(), departments: replica.departments(), workers: replica.workers({}) };
      return { rules, errors: [...errors, ...ruleProblems(rules, town)], source };
    },
  };
}

/** event.supervise through the outbox and the town's record of it, in one transaction. */
function supervise(
  deps: DeskDeps,
  store: DeskStore,
  eventFor: (id: string, caller: Caller) => GridEvent | null,
  args: ParsedArgsOf<'desk.supervise'>,
  caller: Caller,
  calendar: WorkCalendar,
): ResultOf<'desk.supervise'> {
  const event = eventFor(args.eventId, caller);
  if (event === null) throw new ApiFailure('not-found', `事件不存在：${args.eventId}`);
  // The wire carries seconds: the record keeps the command's own instant.
  const now = Math.floor(deps.clock() / 1000) * 1000;
  const deadline = supervisionDeadline(args.level, now, calendar, args.deadline);
  if (parseIso(deadline) <= now) throw new ApiFailure('invalid', '办理时限应晚于现在');
  const year = supervisionYear(now);
  const seq = store.nextSeq(year);
  const number = supervisionNumber(year, seq);
  const note = superviseNote({ level: args.level, number, deadline, requirement: args.requirement });
  let saved: Supervision | null = null;
  const receipt = deps.run('event.supervise', { id: event.id, note }, caller, {
    alongside: (n) => {
      const by = caller.user ? { id: caller.user.id, name: caller.user.name } : { id: caller.role, name: caller.role === 'leader' ? '领导' : '值班调度员' };
      saved = store.insert({
        event_id: event.id,
        year,
        seq,
        level: args.level,
        deadline_ms: parseIso(deadline),
        requirement: args.requirement,
        by_id: by.id,
        by_name: by.name,
        by_role: caller.role,
        at_ms: now,
        command_n: n,
      });
    },
  });
  if (saved === null) throw new ApiFailure('internal', '督办记录未能保存');
  return { supervision: saved, commandId: receipt.commandId, event: receipt.event };
}
