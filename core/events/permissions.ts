// Who may run which command in which status, written once as data. transition()
// enforces it and allowedCommands() offers it, so the console never shows a button
// the workflow would refuse for role or status reasons.
import type { Actor, ActorRole, EventSource, EventStatus, GridEvent } from '../model';
import { FINAL_STATUSES, OPEN_STATUSES } from '../model';
import { COMMAND_NAMES, type CommandName } from './commands';
import { COMMAND_LABELS, ROLE_LABELS, STATUS_LABELS } from './labels';
import type { Rejection, RejectionCode, TransitionContext } from './types';

/**
 * any: every actor of the role; assignee: only the event's current assignee (the
 * department of a department operator, or the grid worker named as the person);
 * ofGrid: only a grid worker responsible for the event's grid.
 */
export type Relation = 'any' | 'assignee' | 'ofGrid';

export type GuardName = 'selfHandled' | 'noPendingExtension' | 'pendingExtension' | 'notEvaluated';

export interface Clause {
  /** Statuses the command runs from; 'new' is "no event yet" (event.create). */
  from: readonly (EventStatus | 'new')[];
  by: Partial<Readonly<Record<ActorRole, Relation>>>;
  /** An extra condition on the event beyond its status. */
  when?: GuardName;
}

/** The center's workflow is the dispatcher's; a leader supervises and decides extensions (core/api/access.ts). */
const CENTER = { dispatcher: 'any' } as const;
const LEADS = { dispatcher: 'any', leader: 'any' } as const;
/**
 * What a leader decides at the consultation meeting (会商, issue 10) and runs signed with
 * their own name: dispatch, escalate to the county, close. The API's role table keeps
 * these off the leader's console: only meeting.decide runs them for a leader.
 */
const MEETING = LEADS;

export const PERMISSIONS: Readonly<Record<CommandName, readonly Clause[]>> = {
  'event.create': [{ from: ['new'], by: { ...CENTER, village: 'any', gridWorker: 'any', county: 'any', system: 'any' } }],
  'event.accept': [{ from: ['reported'], by: CENTER }],
  'event.reject': [{ from: ['reported'], by: CENTER }],
  'event.reclassify': [{ from: ['reported', 'accepted'], by: CENTER }],
  'event.dispatch': [{ from: ['accepted'], by: MEETING }],
  'event.return': [{ from: ['dispatched'], by: { department: 'assignee', gridWorker: 'assignee' } }],
  'event.feedback': [
    { from: ['dispatched'], by: { department: 'assignee', gridWorker: 'assignee' } },
    { from: ['escalated'], by: { county: 'any' } },
  ],
  'event.verify': [{ from: ['handled'], by: { dispatcher: 'any', gridWorker: 'ofGrid' } }],
  'event.rework': [{ from: ['handled', 'verified'], by: { dispatcher: 'any', gridWorker: 'ofGrid' } }],
  'event.close': [
    { from: ['verified'], by: MEETING },
    { from: ['handled'], by: MEETING, when: 'selfHandled' },
  ],
  'event.evaluate': [{ from: ['closed'], by: { ...CENTER, gridWorker: 'ofGrid' }, when: 'notEvaluated' }],
  'event.suspend': [{ from: ['accepted', 'dispatched', 'handled'], by: CENTER }],
  'event.resume': [{ from: ['suspended'], by: CENTER }],
  'event.requestExtension': [
    { from: ['dispatched'], by: { department: 'assignee', gridWorker: 'assignee' }, when: 'noPendingExtension' },
  ],
  'event.approveExtension': [{ from: ['dispatched'], by: LEADS, when: 'pendingExtension' }],
  'event.denyExtension': [{ from: ['dispatched'], by: LEADS, when: 'pendingExtension' }],
  'event.supervise': [{ from: OPEN_STATUSES, by: LEADS }],
  'event.escalate': [{ from: ['accepted', 'dispatched'], by: MEETING }],
  'event.merge': [{ from: ['reported', 'accepted'], by: CENTER }],
  'event.reopen': [{ from: ['closed', 'rejected'], by: CENTER }],
  'event.comment': [
    {
      from: [...OPEN_STATUSES, ...FINAL_STATUSES],
      by: { ...LEADS, department: 'any', village: 'any', gridWorker: 'any', county: 'any', system: 'any' },
    },
  ],
};

/** The sources each role may report under: the county assigns (上级交办), sensors are the system's. */
export const CREATE_SOURCES: Readonly<Partial<Record<ActorRole, readonly EventSource[]>>> = {
  dispatcher: ['hotline', 'wechat', 'walkIn', 'patrol', 'superior'],
  village: ['walkIn', 'patrol', 'wechat'],
  gridWorker: ['patrol', 'wechat', 'walkIn'],
  county: ['superior'],
  system: ['sensor'],
};

/** Why a command cannot run from a status, told the dispatcher's way. */
const STATUS_HINTS: Readonly<Record<CommandName, string>> = {
  'event.create': '事件已存在',
  'event.accept': '只能受理待受理的事件',
  'event.reject': '只能对待受理的事件作不予受理',
  'event.reclassify': '派遣后不能重新分类，需先由承办单位退回',
  'event.dispatch': '只能派遣待派遣的事件',
  'event.return': '只能退回处置中的事件',
  'event.feedback': '只能对处置中或已上报县级的事件反馈',
  'event.verify': '需先有处置反馈才能核查',
  'event.rework': '只能对待核查或待结案的事件要求返工',
  'event.close': '需先完成核查',
  'event.evaluate': '只能评价已结案的事件',
  'event.suspend': '只能对待派遣、处置中或待核查的事件挂账缓办',
  'event.resume': '只有挂账缓办的事件可以恢复办理',
  'event.requestExtension': '只能在处置中申请延期',
  'event.approveExtension': '只能在处置中审批延期',
  'event.denyExtension': '只能在处置中审批延期',
  'event.supervise': '事件已办结，无需督办',
  'event.escalate': '只能上报待派遣或处置中的事件',
  'event.merge': '只能合并待受理或待派遣的事件',
  'event.reopen': '只能重新启用已结案或不予受理的事件',
  'event.comment': '',
};

interface Guard {
  test(event: GridEvent): boolean;
  /** Without a code the failure reads as a status refusal (invalid-transition with the hint). */
  code?: RejectionCode;
  reason?: string;
}

const GUARDS: Readonly<Record<GuardName, Guard>> = {
  selfHandled: { test: (e) => e.selfHandled },
  noPendingExtension: {
    test: (e) => e.extensionRequest === null,
    code: 'conflict',
    reason: '已有一项延期申请待审批，需等审批后再申请',
  },
  pendingExtension: {
    test: (e) => e.extensionRequest !== null,
    code: 'invalid-transition',
    reason: '没有待审批的延期申请',
  },
  notEvaluated: { test: (e) => e.satisfaction === null, code: 'conflict', reason: '该事件已评价，不能重复评价' },
};

const reject = (code: RejectionCode, reason: string): Rejection => ({ ok: false, code, reason });

export function statusRefusal(status: EventStatus, name: CommandName): Rejection {
  return reject(
    'invalid-transition',
    `事件当前状态为“${STATUS_LABELS[status]}”，不能${COMMAND_LABELS[name]}：${STATUS_HINTS[name]}`,
  );
}

/** A grid worker answers for a grid, or for a village or town whose code prefixes the grid's. */
export function isWorkerOfGrid(actor: Actor, grid: string, ctx: Pick<TransitionContext, 'worker'>): boolean {
  const worker = ctx.worker(actor.id);
  return worker !== undefined && worker.grids.some((g) => grid.startsWith(g));
}

function isAssignee(actor: Actor, event: GridEvent): boolean {
  const a = event.assignee;
  if (a === null) return false;
  if (actor.role === 'department') return a.kind === 'department' && actor.departmentId === a.id;
  return actor.role === 'gridWorker' && a.kind === 'person' && actor.id === a.id;
}

function relationHolds(relation: Relation, actor: Actor, event: GridEvent | null, ctx: Pick<TransitionContext, 'worker'>): boolean {
  if (relation === 'any') return true;
  if (event === null) return false;
  return relation === 'assignee' ? isAssignee(actor, event) : isWorkerOfGrid(actor, event.grid, ctx);
}

const RELATION_REFUSALS: Readonly<Record<Exclude<Relation, 'any'>, string>> = {
  assignee: '只有本事件的承办单位（或被派遣的网格员）可以',
  ofGrid: '只有负责本网格的网格员可以',
};

/**
 * The role and status checks of one command, in this order: a role that may never
 * run it is forbidden; then a status it does not run from is an invalid transition;
 * then a role that may run it, but not from this status or not on this event, is forbidden.
 */
export function checkPermission(
  event: GridEvent | null,
  name: CommandName,
  actor: Actor,
  ctx: Pick<TransitionContext, 'worker'>,
): Rejection | null {
  const clauses = PERMISSIONS[name];
  const label = COMMAND_LABELS[name];
  const byRole = clauses.filter((c) => c.by[actor.role] !== undefined);
  if (byRole.length === 0) return reject('forbidden', `${ROLE_LABELS[actor.role]}无权执行“${label}”`);

  const status: EventStatus | 'new' = event?.status ?? 'new';
  const fromStatus = clauses.filter((c) => c.from.includes(status));
  if (fromStatus.length === 0) {
    return event === null ? reject('not-found', '事件不存在') : statusRefusal(event.status, name);
  }

  const passing = fromStatus.filter((c) => c.when === undefined || (event !== null && GUARDS[c.when].test(event)));
  if (passing.length === 0 && event !== null) {
    const failed = GUARDS[fromStatus[0]?.when ?? 'selfHandled'];
    return failed.code && failed.reason ? reject(failed.code, failed.reason) : statusRefusal(event.status, name);
  }

  const mine = passing.filter((c) => c.by[actor.role] !== undefined);
  if (mine.length === 0) {
    const where = event === null ? '' : `对“${STATUS_LABELS[event.status]}”的事件`;
    return reject('forbidden', `${ROLE_LABELS[actor.role]}不能${where}执行“${label}”`);
  }
  if (!mine.some((c) => relationHolds(c.by[actor.role] as Relation, actor, event, ctx))) {
    const relation = mine[0]?.by[actor.role] as Exclude<Relation, 'any'>;
    return reject('forbidden', `${RELATION_REFUSALS[relation]}${label}`);
  }
  return null;
}

/** The commands the console offers this actor on this event (null: a new report). */
export function allowedCommands(
  event: GridEvent | null,
  actor: Actor,
  ctx: Pick<TransitionContext, 'worker'>,
): CommandName[] {
  return COMMAND_NAMES.filter((name) => checkPermission(event, name, actor, ctx) === null);
}
