// The consultation meeting's methods (core/api/meeting.ts) over the replica's meeting
// tables (store.ts): the agenda and its candidates, the presenter's state pushed to every
// follower (meeting.state) and kept in the replica so that a restart resumes it, the
// decisions run as workflow commands through the outbox, the minutes filed at the end.
import { randomUUID } from 'node:crypto';
import type { Caller } from '../../../core/api/channels';
import type { CommandReceipt, ResultOf, SharedView } from '../../../core/api/contract';
import type { MEETING_METHODS } from '../../../core/api/meeting';
import type { CommandName } from '../../../core/events/commands';
import type { GridEvent } from '../../../core/model';
import { OPEN_STATUSES } from '../../../core/model';
import { decisionOutcome, type AgendaItem, type Candidate, type Decision, type Followup, type Meeting, type MeetingState } from '../../../core/meeting/model';
import { toIso } from '../../../core/time/shanghai';
import type { AuditInput } from '../people/audit';
import type { Handler, Handlers, PushHub } from '../service';
import { ApiFailure } from '../service';
import { gatherCandidates, hotspotKey } from './candidates';
import { decide } from './decide';
import { endMeeting, downloadMinutes } from './minutes';
import { MeetingStore, type MeetingDb } from './store';

export type MeetingMethod = keyof typeof MEETING_METHODS;
export type MeetingHandlers = Pick<Handlers, MeetingMethod>;

/** What the meeting reads of the replica (a Pick of ServiceReplica). */
export interface MeetingReplica {
  getEvent(id: string): GridEvent | null;
  departments(): { id: string; name: string }[];
  grids(level?: 1 | 2 | 3): { code: string; name: string }[];
  categories(): { code: string; name: string }[];
}

export interface MeetingDeps {
  db: MeetingDb;
  replica: MeetingReplica;
  /** The workflow's command path (replica-service.ts): signed by the caller, audited, queued in the outbox. */
  runCommand(name: CommandName, args: unknown, caller: Caller): CommandReceipt;
  pushes: PushHub;
  clock: () => number;
  audit(entry: Pick<AuditInput, 'kind' | 'action' | 'target' | 'detail'>, caller: Caller): void;
  /** Moves the shared map view (投到大屏) with the presenter, so every follower's camera follows. */
  shareView(view: SharedView['view'] | null, by: string): void;
}

/** The meeting's context shared by its handlers. */
export interface MeetingContext extends MeetingDeps {
  store: MeetingStore;
  names: { department(id: string): string; grid(code: string): string; category(code: string): string };
  town(): string;
  /** The meeting in progress as the followers show it, or null. */
  state(): MeetingState | null;
  /** Pushes meeting.state to every follower. */
  announce(): void;
  /** A meeting that exists and is not ended (else a clear refusal). */
  openMeeting(id: string): Meeting;
  /** The agenda, each follow-up with whether its decision was kept, as of now. */
  items(meetingId: string): AgendaItem[];
  outcomeOf(decision: Decision): Followup['outcome'];
}

export function meetingHandlers(deps: MeetingDeps): MeetingHandlers {
  const ctx = meetingContext(deps);
  return { ...agendaHandlers(ctx), ...presenterHandlers(ctx), ...followupHandlers(ctx), ...minutesHandlers(ctx) };
}

/** Without the replica's tables (a test's fake replica): every meeting method answers `unavailable`. */
export function noMeetingHandlers(methods: readonly MeetingMethod[]): MeetingHandlers {
  const refuse = () => {
    throw new ApiFailure('unavailable', '会商功能不可用:数据服务没有本地副本');
  };
  return Object.fromEntries(methods.map((m) => [m, refuse])) as unknown as MeetingHandlers;
}

/** How long the names of grids, departments and categories are kept before they are read again. */
const NAMES_TTL_MS = 5_000;

function meetingContext(deps: MeetingDeps): MeetingContext {
  const store = new MeetingStore(deps.db);
  // Names by id, read from the replica once per short while (a candidates call names hundreds of grids).
  const byId = <T extends { name: string }>(list: () => T[], key: (t: T) => string) => {
    let cached: { at: number; map: Map<string, string> } | null = null;
    return (id: string): string => {
      const now = deps.clock();
      if (!cached || now - cached.at > NAMES_TTL_MS) cached = { at: now, map: new Map(list().map((x) => [key(x), x.name])) };
      return cached.map.get(id) ?? id;
    };
  };
  const names = {
    department: byId(() => deps.replica.departments(), (d) => d.id),
    grid: byId(() => deps.replica.grids(), (g) => g.code),
    category: byId(() => deps.replica.categories(), (c) => c.code),
  };
  const outcomeOf = (d: Decision) => decisionOutcome(d, d.eventId ? deps.replica.getEvent(d.eventId) : null, deps.clock());
  const items = (meetingId: string): AgendaItem[] =>
    store.items(meetingId).map((item) => {
      const decision = item.decisionId ? store.decision(item.decisionId) : null;
      return decision ? { ...item, outcome: outcomeOf(decision) } : item;
    });
  const ctx: MeetingContext = {
    ...deps,
    store,
    names,
    town: () => deps.replica.grids(1)[0]?.name ?? '本镇',
    items,
    outcomeOf,
    state: () => presentState(ctx),
    announce: () => deps.pushes.emit('meeting.state', ctx.state()),
    openMeeting: (id) => {
      const meeting = store.meeting(id);
      if (!meeting) throw new ApiFailure('not-found', '没有这次会商');
      if (meeting.status === 'ended') throw new ApiFailure('invalid', '会商已结束,不能再修改');
      return meeting;
    },
  };
  return ctx;
}

/** The state every follower shows: the meeting in progress, its agenda, the item on screen, the view and the figures. */
function presentState(ctx: MeetingContext): MeetingState | null {
  const row = ctx.store.presenter();
  if (!row || row.meeting_id === null) return null;
  const meeting = ctx.store.meeting(row.meeting_id);
  if (!meeting || meeting.status !== 'inProgress') return null;
  const items = ctx.items(meeting.id);
  const item = items.find((i) => i.id === row.item_id) ?? null;
  const event = item?.eventId ? ctx.replica.getEvent(item.eventId) : null;
  return {
    meeting,
    items,
    itemId: item?.id ?? null,
    view: row.view === null ? null : (JSON.parse(row.view) as Record<string, unknown>),
    figures: item ? figuresOf(ctx, item, event) : null,
    event,
    by: row.by_name,
    at: toIso(row.at),
    version: row.version,
  };
}

const OPEN_SQL = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

/** Figures for the item's grid and category: open events in the grid, the category's reports in 30 days there and in the town. */
function figuresOf(ctx: MeetingContext, item: AgendaItem, event: GridEvent | null): MeetingState['figures'] {
  const grid = event?.grid ?? item.grid;
  const category = event?.category ?? item.category;
  if (!grid || !category) return null;
  const since = ctx.clock() - 30 * 86_400_000;
  const count = (sql: string, ...args: (string | number)[]): number => (ctx.store.db.prepare<{ n: number }>(sql).get(...args)?.n ?? 0);
  return {
    gridOpen: count(`SELECT count(*) AS n FROM events WHERE grid = ? AND status IN (${OPEN_SQL})`, grid),
    sameCategory30d: count('SELECT count(*) AS n FROM events WHERE grid = ? AND category = ? AND reported_at >= ?', grid, category, since),
    townCategory30d: count('SELECT count(*) AS n FROM events WHERE category = ? AND reported_at >= ?', category, since),
  };
}

/** The caller as the meeting names them: the person's name, else the role's seat. */
export function nameOf(caller: Caller): string {
  return caller.user?.name ?? (caller.role === 'leader' ? '领导' : caller.role === 'secretary' ? '会商秘书' : '本机');
}

function agendaHandlers(ctx: MeetingContext) {
  const { store } = ctx;
  const agendaChanged = (meetingId: string): AgendaItem[] => {
    if (ctx.store.presenter()?.meeting_id === meetingId) ctx.announce();
    return ctx.items(meetingId);
  };
  return {
    'meeting.candidates': ({ meetingId, suspendedDays, hotspotMin, limit }) => {
      const list = candidates(ctx, { suspendedDays, hotspotMin, limit });
      if (!meetingId) return list;
      const keys = new Set(store.items(meetingId).map(itemKey));
      return list.map((c) => ({ ...c, onAgenda: keys.has(c.key) }));
    },
    'meeting.list': ({ limit }) => store.meetings(limit),
    'meeting.get': ({ id }) => {
      const meeting = store.meeting(id);
      return meeting ? { meeting, items: ctx.items(id), decisions: store.decisions(id) } : null;
    },
    'meeting.create': (args, caller) => {
      const id = `m-${randomUUID()}`;
      store.write(() => {
        store.insertMeeting({ id, ...args, createdAt: ctx.clock(), createdBy: nameOf(caller) });
        addFollowups(ctx, id);
      });
      return { meeting: store.meeting(id)!, items: ctx.items(id), decisions: [] };
    },
    'meeting.update': ({ id, ...patch }) => {
      const meeting = { ...ctx.openMeeting(id), ...definedOnly(patch) };
      store.write(() => store.updateMeeting(meeting));
      if (store.presenter()?.meeting_id === id) ctx.announce();
      return meeting;
    },
    'meeting.item.add': ({ meetingId, key, topic }) => {
      ctx.openMeeting(meetingId);
      if ((key === undefined) === (topic === undefined)) throw new ApiFailure('invalid', '请选择一个候选议题,或填写一个议题');
      const item = key !== undefined ? itemFromKey(ctx, key) : { kind: 'topic' as const, title: topic!, eventId: null, grid: null, category: null, reasons: [], decisionId: null };
      if (key !== undefined && store.items(meetingId).some((i) => itemKey(i) === key)) throw new ApiFailure('invalid', '该议题已在议程中');
      store.write(() => store.insertItem({ id: `i-${randomUUID()}`, meetingId, note: '', ...item }));
      return agendaChanged(meetingId);
    },
    'meeting.item.remove': ({ meetingId, itemId }) => {
      ctx.openMeeting(meetingId);
      if (!store.item(meetingId, itemId)) throw new ApiFailure('not-found', '议程中没有该议题');
      if (store.decisions(meetingId).some((d) => d.itemId === itemId)) throw new ApiFailure('invalid', '该议题已作出会商决定,不能移除');
      store.write(() => {
        store.deleteItem(meetingId, itemId);
        store.orderItems(meetingId, store.items(meetingId).map((i) => i.id));
      });
      return agendaChanged(meetingId);
    },
    'meeting.item.order': ({ meetingId, itemIds }) => {
      ctx.openMeeting(meetingId);
      const ids = store.items(meetingId).map((i) => i.id);
      if (itemIds.length !== ids.length || new Set(itemIds).size !== ids.length || !itemIds.every((id) => ids.includes(id))) {
        throw new ApiFailure('invalid', '排序应包含议程中的每个议题各一次');
      }
      store.write(() => store.orderItems(meetingId, itemIds));
      return agendaChanged(meetingId);
    },
    'meeting.item.note': ({ meetingId, itemId, note }) => {
      ctx.openMeeting(meetingId);
      if (!store.item(meetingId, itemId)) throw new ApiFailure('not-found', '议程中没有该议题');
      store.write(() => store.setNote(meetingId, itemId, note));
      agendaChanged(meetingId);
      return ctx.items(meetingId).find((i) => i.id === itemId)!;
    },
  } satisfies Partial<{ [M in MeetingMethod]: Handler<M> }>;
}

const definedOnly = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The key a candidate is added by, for an item already on the agenda. */
function itemKey(item: AgendaItem): string {
  if (item.kind === 'followup' && item.decisionId) return `decision:${item.decisionId}`;
  if (item.kind === 'hotspot' && item.grid && item.category) return hotspotKey(item.grid, item.category);
  return item.eventId ?? item.id;
}

function candidates(ctx: MeetingContext, o: { suspendedDays?: number | undefined; hotspotMin?: number | undefined; limit: number }): Candidate[] {
  const list = gatherCandidates(ctx.store.db, { ...o, nowMs: ctx.clock(), names: ctx.names });
  return [...missedDecisions(ctx), ...list];
}

/** The decisions whose deadline passed without the work done: candidates of their own. */
function missedDecisions(ctx: MeetingContext): Candidate[] {
  return ctx.store
    .decisionsWithDeadline(200)
    .filter((d) => ctx.outcomeOf(d) === 'missed')
    .map((d) => {
      const event = d.eventId ? ctx.replica.getEvent(d.eventId) : null;
      return {
        kind: 'followup' as const,
        key: `decision:${d.id}`,
        title: `会商决定未按期落实:${event?.title ?? d.instruction.slice(0, 40)}`,
        eventId: d.eventId,
        code: event?.code ?? null,
        grid: event?.grid ?? null,
        category: event?.category ?? null,
        status: event?.status ?? null,
        reasons: [{ code: 'missedDecision' as const, text: `上次会商决定时限${d.deadline}已过,未落实` }],
        onAgenda: false,
      };
    });
}

/** An agenda item from a candidate's key: an event, a hotspot, or a decision to follow up. */
function itemFromKey(ctx: MeetingContext, key: string): Omit<AgendaItem, 'id' | 'meetingId' | 'order' | 'note' | 'outcome'> {
  if (key.startsWith('decision:')) {
    const d = ctx.store.decision(key.slice('decision:'.length));
    if (!d) throw new ApiFailure('not-found', '没有该会商决定');
    return followupItem(ctx, d);
  }
  if (key.startsWith('hotspot:')) {
    const [, grid, category] = key.split(':');
    if (!grid || !category) throw new ApiFailure('invalid', '热点议题的编号无效');
    const found = candidates(ctx, { limit: 1000 }).find((c) => c.key === key);
    const title = found?.title ?? `${ctx.names.grid(grid)}反复反映“${ctx.names.category(category)}”问题`;
    return { kind: 'hotspot', title, eventId: null, grid, category, reasons: found?.reasons ?? [], decisionId: null };
  }
  const event = ctx.replica.getEvent(key);
  if (!event) throw new ApiFailure('not-found', `本地副本中没有事件 ${key}`);
  const found = gatherCandidates(ctx.store.db, { nowMs: ctx.clock(), limit: 1000, names: ctx.names }).find((c) => c.key === key);
  return { kind: 'event', title: event.title, eventId: event.id, grid: event.grid, category: event.category, reasons: found?.reasons ?? [], decisionId: null };
}

function followupItem(ctx: MeetingContext, d: Decision): Omit<AgendaItem, 'id' | 'meetingId' | 'order' | 'note' | 'outcome'> {
  const event = d.eventId ? ctx.replica.getEvent(d.eventId) : null;
  const missed = ctx.outcomeOf(d) === 'missed';
  return {
    kind: 'followup',
    title: `上次会商决定:${event?.title ?? d.instruction.slice(0, 40)}`,
    eventId: d.eventId,
    grid: event?.grid ?? null,
    category: event?.category ?? null,
    reasons: missed ? [{ code: 'missedDecision', text: `时限${d.deadline}已过,未落实` }] : [],
    decisionId: d.id,
  };
}

/** A new meeting's agenda opens with the last meeting's decisions (inside the creating write). */
function addFollowups(ctx: MeetingContext, meetingId: string): void {
  const last = ctx.store.previousMeeting(meetingId);
  if (!last) return;
  for (const d of ctx.store.decisions(last.id)) {
    ctx.store.insertItem({ id: `i-${randomUUID()}`, meetingId, note: '', ...followupItem(ctx, d) });
  }
}

function presenterHandlers(ctx: MeetingContext) {
  return {
    'meeting.state': () => ctx.state(),
    'meeting.present': ({ meetingId, itemId, view }, caller) => {
      const meeting = ctx.openMeeting(meetingId);
      const row = ctx.store.presenter();
      const same = row?.meeting_id === meetingId;
      const nextItem = itemId !== undefined ? itemId : same ? (row?.item_id ?? null) : null;
      if (nextItem !== null && !ctx.store.item(meetingId, nextItem)) throw new ApiFailure('not-found', '议程中没有该议题');
      const nextView = view !== undefined ? (view === null ? null : JSON.stringify(view)) : same ? (row?.view ?? null) : null;
      if (nextView !== null && nextView.length > 32_768) throw new ApiFailure('invalid', '地图视图过大,未共享');
      const by = `会商:${nameOf(caller)}`;
      ctx.store.write(() => {
        if (meeting.status === 'planned') ctx.store.setStatus(meetingId, 'inProgress');
        ctx.store.setPresenter({ meetingId, itemId: nextItem, view: nextView, by, at: ctx.clock() });
      });
      if (view !== undefined) ctx.shareView(view, by);
      ctx.announce();
      return ctx.state()!;
    },
    'meeting.decide': (args, caller) => decide(ctx, args, caller),
    'meeting.end': (args, caller) => endMeeting(ctx, args.meetingId, caller),
  } satisfies Partial<{ [M in MeetingMethod]: Handler<M> }>;
}

function followupHandlers(ctx: MeetingContext) {
  return {
    'meeting.followups': ({ open }) => {
      const out: ResultOf<'meeting.followups'> = [];
      for (const decision of ctx.store.decisionsWithDeadline(200)) {
        const outcome = ctx.outcomeOf(decision);
        if (open && outcome === 'kept') continue;
        const meeting = ctx.store.meeting(decision.meetingId);
        const item = ctx.store.item(decision.meetingId, decision.itemId);
        out.push({ decision, meetingTitle: meeting?.title ?? '', itemTitle: item?.title ?? '', outcome });
      }
      return out;
    },
  } satisfies Partial<{ [M in MeetingMethod]: Handler<M> }>;
}

function minutesHandlers(ctx: MeetingContext) {
  return {
    'minutes.list': (filter) => ctx.store.minutes(filter),
    'minutes.search': ({ text }) => ctx.store.minutes({ text: text.trim() === '' ? undefined : text.trim() }),
    'minutes.download': (args, caller) => downloadMinutes(ctx, args, caller),
  } satisfies Partial<{ [M in MeetingMethod]: Handler<M> }>;
}
