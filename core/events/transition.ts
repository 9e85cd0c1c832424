// The event workflow as one pure function. The county simulator runs it as the
// authority and the town's client runs it for the optimistic view, so both sides
// refuse and accept exactly the same commands. It never throws on bad input: a
// refusal is a value with a zh-CN reason a dispatcher can act on.
import type { Actor, Category, Clock, ClockKind, EventStatus, GridEvent, HistoryEntry, Limit } from '../model';
import { isFinalStatus } from '../model';
import { extendClock, pauseClock, resumeClock, startClock, stopClock } from '../sla/clock';
import { toIso } from '../time/shanghai';
import { parseCommand, type CommandArgs, type CommandName, type EventCommand } from './commands';
import {
  COMMAND_LABELS,
  ROLE_LABELS,
  SATISFACTION_LABELS,
  SOURCE_LABELS,
  STATUS_LABELS,
  TIER_LABELS,
  formatLimit,
} from './labels';
import { CREATE_SOURCES, checkPermission, isWorkerOfGrid } from './permissions';
import { CENTER_ID, type Effect, type NotifyTarget, type Rejection, type RejectionCode, type TransitionContext, type TransitionResult } from './types';

/** Verification limit when the category names none: the next working day (核查 within 1 working day). */

/** The workflow state of a report nobody has acted on yet (new arrays on every call). */
export function freshWorkflow(): Pick<
  GridEvent,
  'deadlines' | 'assignee' | 'history' | 'selfHandled' | 'suspendedFrom' | 'reworkCount' | 'supervisionCount' | 'extensionRequest' | 'satisfaction' | 'mergedInto' | 'photos'
> {
  return {
    deadlines: {},
    assignee: null,
    history: [],
    selfHandled: false,
    suspendedFrom: null,
    reworkCount: 0,
    supervisionCount: 0,
    extensionRequest: null,
    satisfaction: null,
    mergedInto: null,
    photos: [],
  };
}
export const DEFAULT_VERIFY_LIMIT: Limit = { value: 1, unit: 'workDays' };

const CLOCK_KINDS: readonly ClockKind[] = ['accept', 'finish', 'verify'];
const CENTER: NotifyTarget = { kind: 'center', id: CENTER_ID };

const refuse = (code: RejectionCode, reason: string): Rejection => ({ ok: false, code, reason });

/** The event being built: a shallow copy whose top-level fields are replaced, never the caller's objects mutated. */
class Draft {
  readonly event: GridEvent;
  readonly effects: Effect[] = [];

  constructor(
    event: GridEvent,
    private readonly ctx: TransitionContext,
  ) {
    this.event = { ...event, deadlines: { ...event.deadlines } };
  }

  clock(kind: ClockKind): Clock | undefined {
    return this.event.deadlines[kind];
  }

  start(kind: ClockKind, limit: Limit): void {
    this.event.deadlines[kind] = startClock(kind, limit, this.ctx.now, this.ctx.calendar);
    this.effects.push({ type: 'clock', clock: kind, change: 'start' });
  }

  stop(kind: ClockKind): void {
    const clock = this.clock(kind);
    if (clock === undefined || clock.stoppedAt !== null) return;
    this.event.deadlines[kind] = stopClock(clock, this.ctx.now);
    this.effects.push({ type: 'clock', clock: kind, change: 'stop' });
  }

  stopAll(): void {
    for (const kind of CLOCK_KINDS) this.stop(kind);
  }

  notify(to: NotifyTarget, message: string): void {
    this.effects.push({ type: 'notify', to, message });
  }

  /** Tell whoever holds the event now: its assignee, or the center when nobody does. */
  notifyAssignee(message: string): void {
    const a = this.event.assignee;
    this.notify(a === null ? CENTER : { kind: a.kind, id: a.id }, message);
  }

  /** The grid worker who reported the event, who usually verifies it on the spot too. */
  notifyReporter(message: string): void {
    const workerId = this.event.reporter?.workerId;
    if (workerId !== undefined) this.notify({ kind: 'person', id: workerId }, message);
  }

  done(action: CommandName, note: string): TransitionResult {
    this.event.history = [...this.event.history, entry(this.ctx, action, note)];
    return { ok: true, event: this.event, effects: this.effects };
  }
}

/** One history entry, naming the person who acted (their name and role) so every history that copies it does too. */
function entry(ctx: TransitionContext, action: CommandName, note: string): HistoryEntry {
  const { id, name, role, departmentId } = ctx.actor;
  return { at: toIso(ctx.now), actor: id, action, note, ...(name ? { name } : {}), role, ...(departmentId ? { departmentId } : {}) };
}

/** "主文：补充" when there is an addition, else the main text alone. */
const withNote = (main: string, note: string | undefined): string => (note ? `${main}：${note}` : main);

const title = (e: GridEvent): string => `“${e.title}”`;

// ---------------------------------------------------------------- commands

function create(args: CommandArgs<'event.create'>, ctx: TransitionContext): TransitionResult {
  const { actor } = ctx;
  if (!(CREATE_SOURCES[actor.role] ?? []).includes(args.source)) {
    return refuse('forbidden', `${ROLE_LABELS[actor.role]}不能以“${SOURCE_LABELS[args.source]}”为来源上报事件`);
  }
  const category = ctx.category(args.category);
  if (category === undefined) return refuse('invalid', `未知的事件类别：${args.category}`);
  if (!ctx.gridExists(args.grid)) return refuse('invalid', `未知的网格：${args.grid}`);
  const reporterWorker = args.reporter?.workerId;
  if (reporterWorker !== undefined && ctx.worker(reporterWorker) === undefined) {
    return refuse('invalid', `未知的网格员：${reporterWorker}`);
  }
  const self = ctx.worker(actor.id);
  if (args.selfHandled !== undefined) {
    const refusal = selfHandlingRefusal(actor, category, args.grid, ctx);
    if (refusal) return refusal;
  }

  const now = toIso(ctx.now);
  const event: GridEvent = {
    id: args.id,
    code: args.code,
    title: args.title,
    description: args.description,
    category: category.code,
    status: 'reported',
    urgency: args.urgency,
    source: args.source,
    location: { ...args.location },
    grid: args.grid,
    reportedAt: now,
    reporter:
      args.reporter ??
      (actor.role === 'gridWorker' ? { name: self?.name ?? actor.name ?? actor.id, workerId: actor.id } : null),
    tier: category.tier,
    ...freshWorkflow(),
    photos: [...(args.photos ?? [])],
    ...(args.device !== undefined ? { device: args.device } : {}),
  };
  const draft = new Draft(event, ctx);
  const reportNote = `${SOURCE_LABELS[args.source]}上报`;

  if (args.selfHandled === undefined) {
    draft.start('accept', { value: category.acceptMinutes, unit: 'minutes' });
    draft.notify(CENTER, `新上报事件${title(event)}，待受理`);
    return draft.done('event.create', reportNote);
  }
  // 自巡自办: found, handled on the spot, then reported and fed back in one go.
  // No clock runs (nothing is waiting for anyone) and closing needs no verification.
  draft.event.status = 'handled';
  draft.event.selfHandled = true;
  draft.event.assignee = { kind: 'person', id: actor.id, cooperating: [] };
  draft.event.photos = [...draft.event.photos, ...(args.selfHandled.photos ?? [])];
  draft.event.history = [entry(ctx, 'event.create', `${reportNote}（自巡自办）`)];
  draft.notify(CENTER, `网格员自巡自办事件${title(event)}已处置，待结案`);
  return draft.done('event.feedback', args.selfHandled.note);
}

function selfHandlingRefusal(actor: Actor, category: Category, grid: string, ctx: TransitionContext): Rejection | null {
  if (actor.role !== 'gridWorker') return refuse('forbidden', '只有网格员可以自巡自办');
  if (category.tier !== 'simple') {
    return refuse(
      'invalid',
      `“${category.name}”属于${TIER_LABELS[category.tier]}事项，不能自巡自办，请按巡办分离流程上报派单`,
    );
  }
  if (!isWorkerOfGrid(actor, grid, ctx)) return refuse('forbidden', '只能对本人负责网格内的事项自巡自办');
  return null;
}

function reclassify(event: GridEvent, args: CommandArgs<'event.reclassify'>, ctx: TransitionContext): TransitionResult {
  const category = ctx.category(args.category);
  if (category === undefined) return refuse('invalid', `未知的事件类别：${args.category}`);
  if (category.code === event.category) return refuse('invalid', `事件已属于“${category.name}”类别，无需重新分类`);
  const before = ctx.category(event.category)?.name ?? event.category;
  const draft = new Draft(event, ctx);
  draft.event.category = category.code;
  // The finish limit is read from the category when the event is dispatched, so
  // a new category's limit applies to the dispatch that follows.
  draft.event.tier = category.tier;
  return draft.done('event.reclassify', withNote(`类别由“${before}”改为“${category.name}”`, args.note));
}

function dispatch(event: GridEvent, args: CommandArgs<'event.dispatch'>, ctx: TransitionContext): TransitionResult {
  const category = ctx.category(event.category);
  if (category === undefined) return refuse('invalid', `事件类别“${event.category}”已不存在，请先重新分类`);
  const { to } = args;
  let leadName: string;
  if (to.kind === 'department') {
    const dept = ctx.department(to.id);
    if (dept === undefined) return refuse('invalid', `未知的部门：${to.id}`);
    leadName = dept.name;
  } else {
    const worker = ctx.worker(to.id);
    if (worker === undefined) return refuse('invalid', `未知的网格员：${to.id}`);
    leadName = worker.name;
  }
  const cooperating =
    args.cooperating ??
    (to.kind === 'department'
      ? (category.cooperating ?? []).filter((d) => d !== to.id && ctx.department(d) !== undefined)
      : []);
  if (to.kind === 'person' && cooperating.length > 0) return refuse('invalid', '派遣给网格员时不能指定配合部门');
  if (cooperating.includes(to.id)) return refuse('invalid', '牵头部门不能同时作为配合部门');
  if (new Set(cooperating).size !== cooperating.length) return refuse('invalid', '配合部门重复');
  const unknown = cooperating.find((d) => ctx.department(d) === undefined);
  if (unknown !== undefined) return refuse('invalid', `未知的配合部门：${unknown}`);

  const draft = new Draft(event, ctx);
  draft.event.status = 'dispatched';
  draft.event.assignee = { kind: to.kind, id: to.id, cooperating: [...cooperating] };
  draft.event.extensionRequest = null;
  // Every dispatch, a redispatch after a return included, gives the new assignee the full limit.
  draft.start('finish', category.finishLimit);
  const due = draft.clock('finish')?.dueAt ?? '';
  draft.notify({ kind: to.kind, id: to.id }, `新派遣事件${title(event)}，请于 ${due} 前办结`);
  const names = cooperating.map((d) => ctx.department(d)?.name ?? d);
  for (const d of cooperating) draft.notify({ kind: 'department', id: d }, `请配合办理事件${title(event)}（牵头：${leadName}）`);
  const main = `派遣至${leadName}${names.length > 0 ? `，配合：${names.join('、')}` : ''}`;
  return draft.done('event.dispatch', withNote(main, args.note));
}

function feedback(event: GridEvent, args: CommandArgs<'event.feedback'>, ctx: TransitionContext): TransitionResult {
  const draft = new Draft(event, ctx);
  draft.event.status = 'handled';
  draft.event.extensionRequest = null;
  draft.event.photos = [...event.photos, ...(args.photos ?? [])];
  draft.stop('finish');
  draft.start('verify', ctx.category(event.category)?.verifyLimit ?? DEFAULT_VERIFY_LIMIT);
  draft.notify(CENTER, `事件${title(event)}已处置反馈，待核查`);
  draft.notifyReporter(`事件${title(event)}已处置，请现场核查`);
  return draft.done('event.feedback', args.note);
}

function rework(event: GridEvent, args: CommandArgs<'event.rework'>, ctx: TransitionContext): TransitionResult {
  const draft = new Draft(event, ctx);
  draft.event.reworkCount = event.reworkCount + 1;
  draft.event.selfHandled = false;
  draft.stop('verify');
  if (event.assignee === null) {
    // Fed back by the county after an escalation: the county handles it again.
    draft.event.status = 'escalated';
    draft.effects.push({ type: 'escalate-to-county', eventId: event.id, reason: `返工：${args.reason}` });
    return draft.done('event.rework', args.reason);
  }
  draft.event.status = 'dispatched';
  const finish = draft.clock('finish');
  if (finish === undefined) {
    // A self-handled event never had a finish clock: its rework starts one.
    const category = ctx.category(event.category);
    if (category === undefined) return refuse('invalid', `事件类别“${event.category}”已不存在，请先重新分类`);
    draft.start('finish', category.finishLimit);
  } else {
    // Common practice: the original due stays, so a rework that comes after it is already overdue.
    draft.event.deadlines.finish = { ...finish, stoppedAt: null };
    draft.effects.push({ type: 'clock', clock: 'finish', change: 'resume' });
  }
  draft.notifyAssignee(`事件${title(event)}核查未通过，请重新处理：${args.reason}`);
  return draft.done('event.rework', args.reason);
}

function suspend(event: GridEvent, args: CommandArgs<'event.suspend'>, ctx: TransitionContext): TransitionResult {
  const draft = new Draft(event, ctx);
  draft.event.status = 'suspended';
  draft.event.suspendedFrom = event.status;
  for (const kind of CLOCK_KINDS) {
    const clock = draft.clock(kind);
    if (clock === undefined || clock.stoppedAt !== null || clock.pausedAt !== null) continue;
    draft.event.deadlines[kind] = pauseClock(clock, ctx.now, ctx.calendar);
    draft.effects.push({ type: 'clock', clock: kind, change: 'pause' });
  }
  if (event.assignee !== null) draft.notifyAssignee(`事件${title(event)}挂账缓办：${args.reason}`);
  return draft.done('event.suspend', args.reason);
}

function resume(event: GridEvent, args: CommandArgs<'event.resume'>, ctx: TransitionContext): TransitionResult {
  const draft = new Draft(event, ctx);
  // suspendedFrom is always set by suspend; 'accepted' keeps a hand-edited record workable.
  const back: EventStatus = event.suspendedFrom ?? 'accepted';
  draft.event.status = back;
  draft.event.suspendedFrom = null;
  for (const kind of CLOCK_KINDS) {
    const clock = draft.clock(kind);
    if (clock === undefined || clock.stoppedAt !== null || clock.pausedAt === null) continue;
    draft.event.deadlines[kind] = resumeClock(clock, ctx.now, ctx.calendar);
    draft.effects.push({ type: 'clock', clock: kind, change: 'resume' });
  }
  if (event.assignee !== null) draft.notifyAssignee(`事件${title(event)}恢复办理`);
  return draft.done('event.resume', withNote(`恢复为“${STATUS_LABELS[back]}”`, args.note));
}

/** The finish clock an extension acts on, or the refusal when there is none running. */
function runningFinish(event: GridEvent): Clock | Rejection {
  const finish = event.deadlines.finish;
  if (finish === undefined || finish.stoppedAt !== null) {
    return refuse('invalid-transition', '事件没有正在计时的办结时限，不能延期');
  }
  return finish;
}

function requestExtension(
  event: GridEvent,
  args: CommandArgs<'event.requestExtension'>,
  ctx: TransitionContext,
): TransitionResult {
  const finish = runningFinish(event);
  if ('ok' in finish) return finish;
  const draft = new Draft(event, ctx);
  draft.event.extensionRequest = { by: { ...args.by }, reason: args.reason, at: toIso(ctx.now), actor: ctx.actor.id };
  draft.notify(CENTER, `事件${title(event)}申请延期${formatLimit(args.by)}：${args.reason}`);
  return draft.done('event.requestExtension', `申请延期${formatLimit(args.by)}：${args.reason}`);
}

function approveExtension(
  event: GridEvent,
  args: CommandArgs<'event.approveExtension'>,
  ctx: TransitionContext,
): TransitionResult {
  const finish = runningFinish(event);
  if ('ok' in finish) return finish;
  // The permission guard guarantees a pending request here.
  const by = (event.extensionRequest as NonNullable<GridEvent['extensionRequest']>).by;
  const draft = new Draft(event, ctx);
  const extended = extendClock(finish, by, ctx.calendar);
  draft.event.deadlines.finish = extended;
  draft.event.extensionRequest = null;
  draft.effects.push({ type: 'clock', clock: 'finish', change: 'extend' });
  draft.notifyAssignee(`事件${title(event)}延期申请已批准，办结时限延至 ${extended.dueAt}`);
  return draft.done('event.approveExtension', withNote(`批准延期${formatLimit(by)}，办结时限延至 ${extended.dueAt}`, args.note));
}

function merge(event: GridEvent, args: CommandArgs<'event.merge'>, ctx: TransitionContext): TransitionResult {
  if (args.into === event.id) return refuse('invalid', '不能将事件合并到它自身');
  const target = ctx.target;
  if (target === undefined || target.id !== args.into) return refuse('not-found', `目标事件不存在：${args.into}`);
  if (isFinalStatus(target.status)) {
    return refuse('invalid-transition', `目标事件当前状态为“${STATUS_LABELS[target.status]}”，不能作为合并目标`);
  }
  const draft = new Draft(event, ctx);
  draft.event.status = 'merged';
  draft.event.mergedInto = target.id;
  draft.stopAll();
  draft.effects.push({
    type: 'append-note',
    eventId: target.id,
    note: withNote(`重复事件 ${event.code}${title(event)}已合并至本事件`, args.note),
  });
  return draft.done('event.merge', withNote(`作为重复事件合并至 ${target.code}${title(target)}`, args.note));
}

function reopen(event: GridEvent, args: CommandArgs<'event.reopen'>, ctx: TransitionContext): TransitionResult {
  const draft = new Draft(event, ctx);
  draft.event.extensionRequest = null;
  if (event.status === 'rejected') {
    draft.event.status = 'reported';
    const category = ctx.category(event.category);
    if (category !== undefined) draft.start('accept', { value: category.acceptMinutes, unit: 'minutes' });
    draft.notify(CENTER, `事件${title(event)}重新启用，待受理`);
    return draft.done('event.reopen', args.reason);
  }
  // A closed event goes back to the center for a new dispatch, through the full
  // 巡办分离 path: a self-handled event reopened needs verification this time.
  draft.event.status = 'accepted';
  draft.event.assignee = null;
  draft.event.selfHandled = false;
  draft.event.satisfaction = null;
  draft.notify(CENTER, `事件${title(event)}重新启用，待派遣`);
  return draft.done('event.reopen', args.reason);
}

function escalate(event: GridEvent, args: CommandArgs<'event.escalate'>, ctx: TransitionContext): TransitionResult {
  const draft = new Draft(event, ctx);
  const before = event.assignee;
  draft.event.status = 'escalated';
  // The town's assignee is released: the county answers for the event now.
  draft.event.assignee = null;
  draft.event.extensionRequest = null;
  draft.stop('finish');
  draft.effects.push({ type: 'escalate-to-county', eventId: event.id, reason: args.reason });
  if (before !== null) {
    draft.notify({ kind: before.kind, id: before.id }, `事件${title(event)}已上报县级处置，无需继续办理`);
  }
  return draft.done('event.escalate', args.reason);
}

/** One branch per command; the `never` default makes a new command a compile error until handled. */
function apply(event: GridEvent | null, command: EventCommand, ctx: TransitionContext): TransitionResult {
  if (command.name === 'event.create') return create(command.args, ctx);
  // transition() answered not-found already for every other command without an event.
  const e = event as GridEvent;
  const draft = new Draft(e, ctx);
  switch (command.name) {
    case 'event.accept':
      draft.event.status = 'accepted';
      draft.stop('accept');
      return draft.done(command.name, command.args.note ?? '');
    case 'event.reject':
      draft.event.status = 'rejected';
      draft.stop('accept');
      draft.notifyReporter(`事件${title(e)}不予受理：${command.args.reason}`);
      return draft.done(command.name, command.args.reason);
    case 'event.reclassify':
      return reclassify(e, command.args, ctx);
    case 'event.dispatch':
      return dispatch(e, command.args, ctx);
    case 'event.return':
      draft.event.status = 'accepted';
      draft.event.assignee = null;
      draft.event.extensionRequest = null;
      draft.stop('finish');
      draft.notify(CENTER, `事件${title(e)}被承办单位退回，待重新派遣：${command.args.reason}`);
      return draft.done(command.name, command.args.reason);
    case 'event.feedback':
      return feedback(e, command.args, ctx);
    case 'event.verify':
      draft.event.status = 'verified';
      draft.stop('verify');
      draft.notify(CENTER, `事件${title(e)}核查通过，待结案`);
      return draft.done(command.name, command.args.note ?? '核查通过');
    case 'event.rework':
      return rework(e, command.args, ctx);
    case 'event.close':
      draft.event.status = 'closed';
      draft.stopAll();
      return draft.done(command.name, command.args.note ?? '');
    case 'event.evaluate':
      draft.event.satisfaction = command.args.satisfaction;
      return draft.done(command.name, withNote(SATISFACTION_LABELS[command.args.satisfaction], command.args.note));
    case 'event.suspend':
      return suspend(e, command.args, ctx);
    case 'event.resume':
      return resume(e, command.args, ctx);
    case 'event.requestExtension':
      return requestExtension(e, command.args, ctx);
    case 'event.approveExtension':
      return approveExtension(e, command.args, ctx);
    case 'event.denyExtension':
      draft.event.extensionRequest = null;
      draft.notifyAssignee(`事件${title(e)}延期申请未获批准：${command.args.reason}`);
      return draft.done(command.name, command.args.reason);
    case 'event.supervise':
      draft.event.supervisionCount = e.supervisionCount + 1;
      draft.notifyAssignee(`督办：事件${title(e)}，${command.args.note}`);
      return draft.done(command.name, command.args.note);
    case 'event.escalate':
      return escalate(e, command.args, ctx);
    case 'event.merge':
      return merge(e, command.args, ctx);
    case 'event.reopen':
      return reopen(e, command.args, ctx);
    case 'event.comment':
      return draft.done(command.name, command.args.note);
    default: {
      const unhandled: never = command;
      return refuse('invalid', `未知的命令：${(unhandled as { name: string }).name}`);
    }
  }
}

/**
 * Apply one command to an event (null for event.create). Checks, in order: the
 * arguments, that the event exists (or not, for create) and is the one named,
 * the role and status (permission table), then the command's own rules.
 */
export function transition(event: GridEvent | null, command: EventCommand, ctx: TransitionContext): TransitionResult {
  const parsed = parseCommand(command.name, command.args);
  if (!parsed.ok) return refuse('invalid', parsed.reason);
  const cmd = parsed.command;
  if (cmd.name === 'event.create') {
    if (event !== null) return refuse('conflict', `事件已存在：${event.code}`);
  } else {
    if (event === null) return refuse('not-found', `事件不存在：${cmd.args.id}`);
    if (cmd.args.id !== event.id) return refuse('invalid', `命令中的事件编号 ${cmd.args.id} 与事件 ${event.id} 不符`);
  }
  const denied = checkPermission(event, cmd.name, ctx.actor, ctx);
  if (denied !== null) return denied;
  try {
    return apply(event, cmd, ctx);
  } catch (error) {
    // The calendar refuses unusable limits (e.g. a malformed category) with a RangeError.
    if (error instanceof RangeError) return refuse('invalid', `时限无法计算：${error.message}`);
    throw error;
  }
}

export { COMMAND_LABELS, STATUS_LABELS };
