// The app API (core/api/contract.ts) answered from the local replica: every query
// reads the replica, so every screen keeps working while the county link is down;
// every command runs core's transition on the local view and lands in the outbox
// in the same transaction (the replica does both), then the link is kicked to send it.
//
// Every command is signed with the person who called (actorOf) and recorded in the
// audit trail in the outbox's own transaction. The transports call `call` with the
// call's context; the session behind it names the person (people/session-calls.ts).
// In-process callers without a person act as the service's configured operator.
import type { LinkStatus, PayloadOf, ResultOf } from '../../core/api/contract';
import { ADMIN_METHODS, AUTH_METHODS, REVEAL_METHODS } from '../../core/api/contract';
import type { Actor, GridEvent, PositionFix } from '../../core/model';
import { basemapForRenderer, basemapFromEnv } from '../../core/api/basemap';
import { parseIso, toIso } from '../../core/time/shanghai';
import type { LinkEventMap, LinkLogEntry } from './link/county-link';
import type { Replica } from './replica/replica';
import { createConsoleQueries, type ConsoleReplica } from './console-queries';
import { DEFAULT_CALLER, pushForCaller, screenLevel, withPrivacy } from './privacy';
import { createStatsQueries, type StatsReplica } from './stats';
import type { ApiService, Handler, Handlers, PushListener, ServiceLog } from './service';
import type { Caller } from '../../core/api/channels';
import type { AuditEntry } from '../../core/api/people';
import type { DemoAccount } from '../../core/api/people';
import { ApiFailure, createDispatcher, createPushHub, workflowHandlers, type KeyedCaller, type PushHub } from './service';
import { keyOwner, memoryCommandKeys, sqliteCommandKeys, type CommandKeyStore } from './command-keys';
import { createSharedView } from './shared-view';
import { noPeopleHandlers, peopleHandlers, type PeopleMethod } from './people/handlers';
import { whoOf, type People, type Who } from './people/people';
import type { AuditInput } from './people/audit';
import { createSessionCalls } from './people/session-calls';
import { seatText } from './people/store';
import { createScopes, pushInScope, withScope } from './scope';
import { FIELD_METHODS } from '../../core/api/field';
import { createFieldHandlers, isFieldReplica, noFieldHandlers, type FieldHandlers, type FieldMethod } from './emergency/handlers';
import type { RunCommand } from './desk/handlers';
import { createFeatures, type FeatureOptions } from './features';
import { NO_OPS, createOpsHandlers, type OpsSources } from './ops/handlers';
import { meetingHandlers, noMeetingHandlers, type MeetingMethod } from './meeting/handlers';
import { MeetingStore, type MeetingDb } from './meeting/store';
import { MEETING_METHODS } from '../../core/api/meeting';
import { mayCall } from '../../core/api/access';
import { registerDeps } from './registers/service-deps';
import { registerHandlersFor } from './registers/handlers';
import { REGISTER_METHOD_NAMES } from '../../core/api/registers';


/** What the service reads and writes in the replica: derived from Replica (electron/service/replica/replica.ts). */
export type ServiceReplica = Pick<
  Replica,
  | 'replicaId'
  | 'town'
  | 'state'
  | 'command'
  | 'queueLength'
  | 'unsentCount'
  | 'rejectedCommands'
  | 'listEvents'
  | 'eventsAfter'
  | 'getEvent'
  | 'grids'
  | 'gridTree'
  | 'departments'
  | 'categories'
  | 'workers'
  | 'positions'
  | 'track'
> &
  ConsoleReplica &
  StatsReplica;

/** What the service needs from the county link (electron/service/link/county-link.ts). */
export interface ServiceLink {
  status(): LinkStatus;
  kick(): void;
  /** Tries again now (after a refusal, or during a backoff). */
  reconnect(): void;
  log(limit?: number): LinkLogEntry[];
  on<K extends keyof LinkEventMap>(event: K, listener: (payload: LinkEventMap[K]) => void): () => void;
}

export interface ReplicaServiceOptions extends FeatureOptions {
  replica: ServiceReplica;
  /** Absent: no county is configured, link.status answers `none`. */
  link?: ServiceLink;
  /** Epoch ms; Date.now by default. */
  clock?: () => number;
  /** Who issues the commands of this service; see the note at the top of the file. */
  actor?: Actor;
  mode?: 'electron' | 'web';
  version?: string;
  /** True when the county is the bundled simulator (app.info tells the operator). */
  demo?: boolean;
  /** The bundled simulator's loopback URL (app.info demoCounty), demo only. */
  demoCounty?: string;
  log?: ServiceLog;
  /** Position pushes are coalesced to one per this many ms (at most 10 per second by default). */
  positionsFlushMs?: number;
  /**
   * The accounts, sessions and audit trail (people/people.ts over the replica's file).
   * Absent (a test's fake replica): the people methods answer `unavailable` and only the
   * public methods answer a `call`.
   */
  people?: People;
  /** The demo's accounts and passwords (app.info, for the login screen), demo only. */
  demoAccounts?: () => readonly DemoAccount[];
  /** The log, backups and recovery report behind the ops.* methods (data-service.ts); absent: unavailable. */
  ops?: OpsSources;
  /** Where the answers to idempotency keys are kept; by default the replica's file (command-keys.ts), in memory for a fake replica. */
  commandKeys?: CommandKeyStore;
  /** The replica's connection and writer for the meeting's tables (Replica.store()); absent: the meeting answers `unavailable`. */
  meetingDb?: MeetingDb;
}

/** The replica service: the API, plus the audit trail for the service's own records (exports, issue 11). */
export interface ReplicaService extends ApiService {
  audit: {
    /** Appends an entry as `caller` (person and seat); null without a people store. */
    append(entry: Pick<AuditInput, 'kind' | 'action' | 'target' | 'detail'>, caller: Caller): AuditEntry | null;
  };
}

/** Idle sessions are ended, and sessions ended by another process announced, this often. */
const IDLE_SWEEP_MS = 60_000;

export const DEFAULT_ACTOR: Actor = { id: 'dispatcher', role: 'dispatcher', name: '值班调度员' };

/** What is built and what is not, in the words the operator reads. */
export const REPLICA_FEATURES: ResultOf<'app.info'>['features'] = [
  { key: 'grid-tree', name: '网格树与网格信息', ready: true },
  { key: 'web-shell', name: '局域网浏览器访问(令牌、只读角色)', ready: true },
  { key: 'county-link', name: '县级联网与本地副本', ready: true, note: '断网时照常查询和操作,指令存入本地队列,联网后按序补发' },
  { key: 'events', name: '事件查询(筛选、分页、按风险排序、全文检索)', ready: true },
  { key: 'commands', name: '调度指令(受理、派遣、退回、上报、结案等)', ready: true },
  { key: 'positions', name: '网格员实时位置与轨迹', ready: true, note: '地图上实时显示,可回放任一网格员的轨迹' },
  { key: 'map-wall', name: '地图与大屏', ready: true, note: '离线底图;网格、网格员、事件、热力图层;大屏在 /wall' },
  { key: 'console', name: '调度台(事件队列、办理、手工登记、提醒、快捷键)', ready: true, note: '断网时照常办理,被县级拒绝的命令可重做或移出' },
  { key: 'login', name: '个人登录、角色与审计', ready: true, note: '每人一个账户;指令、查看个人信息、登录均记入防篡改的审计日志' },
  { key: 'meeting', name: '会商', ready: true, note: '议程候选、主持演示(大屏与局域网屏幕跟随)、会商决定走指令队列、会商纪要(Word/PDF)' },
  { key: 'assessment', name: '考核、分析研判与台账报表', ready: true, note: '月度考核可下钻到事件;Excel 台账、月报(Word/打印为 PDF)按角色脱敏' },
  { key: 'desk', name: '督办、应急处置、巡查与物联设备', ready: true, note: '督办单(Word/PDF)、派遣规则、应急预案与附近人员、未巡查网格' },
  { key: 'registers', name: '人、地、物、组织登记与走访', ready: true, note: '登记信息一律脱敏,查看完整信息须说明理由并记入审计;调度员可导入 Excel 台账(全部合格才导入),地图可显示房屋和单位' },
  { key: 'span-wall', name: '超宽拼接大屏(7680×2160)布局', ready: true, note: '宽于 16:9 时,全镇地图旁增设重点村地图和超时事件栏' },
];

const MAX_IDS_PER_PUSH = 1000;
/**
 * A push carries the changed events themselves up to this many (a county batch is
 * usually a handful): each is about 1-2 kB of JSON, and every screen gets it.
 */
export const MAX_EVENTS_PER_PUSH = 100;
/** Counting the tabs is one pass over an index; when that gets slow (a huge replica), pushes skip the counts for a while. */
const SLOW_COUNT_MS = 50;
const SLOW_COUNT_BACKOFF_MS = 2000;

type EntityType = 'grid' | 'department' | 'worker' | 'category' | 'event';
type ConsoleQueries = ReturnType<typeof createConsoleQueries>;

/**
 * entities.changed, with what a screen needs to show an event change without asking back:
 * the events (up to a bound), which of them wait for the county, and the unfiltered tab
 * counts. Returns the function that announces a change.
 */
function createChangePusher(
  replica: ServiceReplica,
  consoleQueries: ConsoleQueries,
  pushes: PushHub,
  clock: () => number,
  log: ServiceLog,
): (type: EntityType, ids: readonly string[], rejected?: boolean) => void {
  let countsPausedUntil = 0;
  const tabCounts = (): ResultOf<'events.counts'> | undefined => {
    if (clock() < countsPausedUntil) return undefined;
    const t0 = performance.now();
    const counts = consoleQueries.handlers['events.counts']({}, DEFAULT_CALLER) as ResultOf<'events.counts'>;
    if (performance.now() - t0 > SLOW_COUNT_MS) countsPausedUntil = clock() + SLOW_COUNT_BACKOFF_MS;
    return counts;
  };
  const eventChange = (ids: readonly string[]): Partial<PayloadOf<'entities.changed'>> => {
    const counts = tabCounts();
    if (ids.length === 0 || ids.length > MAX_EVENTS_PER_PUSH) return counts ? { counts } : {};
    const events: GridEvent[] = [];
    const gone: string[] = [];
    const pending: string[] = [];
    for (const id of new Set(ids)) {
      const event = replica.getEvent(id);
      if (!event) {
        gone.push(id);
        continue;
      }
      events.push(event);
      if (replica.pendingCommands(id).length > 0) pending.push(id);
    }
    return { events, gone, pending, ...(counts ? { counts } : {}) };
  };
  // The extras are a saving, not the news: if reading them fails, the ids still go out (views ask back).
  const safeEventChange = (ids: readonly string[]): Partial<PayloadOf<'entities.changed'>> => {
    try {
      return eventChange(ids);
    } catch (error) {
      log.error('[service] could not read the changed events for the push', error);
      return {};
    }
  };
  return (type, ids, rejected = false) => {
    // A snapshot can touch thousands of ids: past a bound the views simply refetch the type.
    const base = ids.length > 0 && ids.length <= MAX_IDS_PER_PUSH ? { types: [type], ids: [...ids] } : { types: [type] };
    pushes.emit('entities.changed', type === 'event' ? { ...base, ...safeEventChange(ids), ...(rejected ? { rejected } : {}) } : base);
  };
}

/** Worker positions coalesced: however fast fixes arrive, screens get at most one push per window. */
function createPositionBuffer(pushes: PushHub, clock: () => number, flushMs: number): { add(fixes: readonly PositionFix[]): void; close(): void } {
  const pending = new Map<string, PositionFix>();
  let flushTimer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    flushTimer = null;
    if (pending.size === 0) return;
    const items = [...pending.values()];
    pending.clear();
    pushes.emit('positions', { at: clock(), items });
  };
  return {
    add(fixes) {
      for (const fix of fixes) {
        const held = pending.get(fix.workerId);
        if (!held || held.at <= fix.at) pending.set(fix.workerId, fix);
      }
      if (!flushTimer && pending.size > 0) {
        flushTimer = setTimeout(flush, flushMs);
        flushTimer.unref();
      }
    },
    close() {
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
      pending.clear();
    },
  };
}

/** The link's events become pushes; returns the unsubscribe functions. */
function relayLink(
  link: ServiceLink,
  pushes: PushHub,
  changed: ReturnType<typeof createChangePusher>,
  consoleQueries: ConsoleQueries,
  positions: (fixes: readonly PositionFix[]) => void,
): (() => void)[] {
  return [
    link.on('status', (status) => pushes.emit('link.status', status)),
    link.on('batch', (info) => {
      for (const group of info.changed) {
        if (group.type === 'grid') consoleQueries.invalidateGrids();
        if (isEntityType(group.type)) changed(group.type, group.all ? [] : group.ids);
      }
    }),
    link.on('settled', (info) => {
      if (info.changedEventIds.length > 0 || info.status === 'rejected') changed('event', info.changedEventIds, info.status === 'rejected');
    }),
    link.on('positions', positions),
  ];
}

/** The queries answered straight from the replica and the link. */
function replicaQueries(options: ReplicaServiceOptions, linkStatus: () => LinkStatus, clock: () => number) {
  const { replica, link } = options;
  return {
    'grids.list': ({ level }) => replica.grids(level),
    'grids.tree': () => replica.gridTree(),
    'departments.list': () => replica.departments(),
    'categories.list': () => replica.categories(),
    'workers.list': ({ grid, onDuty }) => replica.workers({ ...(grid !== undefined ? { grid } : {}), ...(onDuty !== undefined ? { onDuty } : {}) }),
    'workers.positions': () => replica.positions(),
    'workers.track': ({ workerId, from, to }) => replica.track(workerId, parseIso(from), parseIso(to)),
    // Read masked at the caller's level from the stored masks (privacy.ts screenLevel).
    'events.list': (args, caller) => replica.listEvents(args, clock(), screenLevel(caller)),
    'events.get': ({ id }, caller) => replica.getEvent(id, screenLevel(caller)),
    'link.status': () => linkStatus(),
    'link.log': ({ limit }) => (link ? link.log(limit) : []),
    'link.reconnect': () => {
      link?.reconnect();
      return linkStatus();
    },
    'commands.rejected': ({ limit }) => replica.rejectedCommands(limit),
    'app.info': () => ({
      version: options.version ?? '0.0.0',
      mode: options.mode ?? 'web',
      town: { code: replica.town, name: replica.grids(1)[0]?.name ?? replica.town },
      demo: options.demo ?? false,
      features: REPLICA_FEATURES,
      ...(options.demoCounty !== undefined ? { demoCounty: options.demoCounty } : {}),
      replicaId: replica.replicaId,
      basemap: basemapForRenderer(basemapFromEnv(process.env)),
      needsSetup: options.people?.needsSetup() ?? false,
      ...(options.demo && options.demoAccounts ? { demoAccounts: [...options.demoAccounts()] } : {}),
    }),
  } satisfies Partial<Handlers>;
}

export function createReplicaService(options: ReplicaServiceOptions): ReplicaService {
  const { replica, link } = options;
  const clock = options.clock ?? Date.now;
  const people = options.people ?? null;
  const log = options.log ?? console;
  const pushes = createPushHub();
  const startedAt = toIso(clock());

  const noLinkStatus = (): LinkStatus => {
    const s = replica.state();
    return {
      state: 'none',
      since: startedAt,
      queueLength: replica.queueLength(),
      lastSyncAt: typeof s.lastSyncAt === 'number' ? toIso(s.lastSyncAt) : s.lastSyncAt,
      catchingUp: false,
      unsent: replica.unsentCount(),
    };
  };
  const linkStatus = (): LinkStatus => (link ? link.status() : noLinkStatus());

  // What each scoped caller (a village, a department) may see (scope.ts).
  const scopes = createScopes(replica, clock);
  // The console's queries (counts, duplicates, recommendations, grid of a point, dismissal).
  const consoleQueries = createConsoleQueries(replica, clock, scopes.of);
  const changed = createChangePusher(replica, consoleQueries, pushes, clock, log);
  const positions = createPositionBuffer(pushes, clock, options.positionsFlushMs ?? 100);
  const gridsChanged = { ...consoleQueries, invalidateGrids: () => (consoleQueries.invalidateGrids(), scopes.invalidateGrids()) };
  const unsubscribers = link ? relayLink(link, pushes, changed, gridsChanged, (fixes) => positions.add(fixes)) : [];
  const keys = options.commandKeys ?? (typeof (replica as Partial<Replica>).store === 'function' ? sqliteCommandKeys((replica as Replica).store(), clock) : memoryCommandKeys());
  const runCommand = createCommandRunner(options, people, clock, changed, () => (link ? link.kick() : pushes.emit('link.status', noLinkStatus())), keys);

  // The wall's figures, recomputed after any change of the replica (and at most every few seconds).
  const stats = createStatsQueries({ replica, linkStatus, clock, scopeOf: scopes.of });
  pushes.subscribe((topic) => {
    if (topic === 'entities.changed') stats.invalidate();
  });

  // The desk, the assessment and the features that follow (features.ts).
  const features = createFeatures({ replica, clock, scopes, run: runCommand, pushes, people, log, options });
  // The shared map view and the meeting's presenter, kept in the replica when it has the meeting's tables.
  const sharedView = createSharedView(pushes, clock, options.meetingDb ? new MeetingStore(options.meetingDb) : undefined);
  const audit: ReplicaService['audit']['append'] = (entry, caller) => (people ? people.audit({ ...whoOf(caller), ...entry }) : null);
  const scopedEvent = (event: GridEvent | null, caller: Caller): GridEvent | null => (event !== null && scopes.eventInScope(event, caller) ? event : null);
  const handlers: Handlers = withScope({
    ...replicaQueries(options, linkStatus, clock),
    ...consoleQueries.handlers,
    ...stats.handlers,
    ...sharedView,
    ...workflowHandlers(runCommand),
    ...Object.assign({}, ...features.map((f) => f.handlers)),
    ...(options.meetingDb ? meetingHandlers({ db: options.meetingDb, replica, runCommand, pushes, clock, audit, shareView: (view, by) => void sharedView['view.share']({ view, by }, DEFAULT_CALLER) }) : noMeetingHandlers(MEETING_METHOD_NAMES)),
    // A reveal reads the event as the caller may: out of its scope is not found.
    ...(people ? peopleHandlers(people, { getEvent: (id, caller) => scopedEvent(replica.getEvent(id), caller) }) : noPeopleHandlers(PEOPLE_METHODS)),
    ...createOpsHandlers(options.ops ?? NO_OPS),
    ...fieldDesk(options, people, clock, pushes, () => (link ? link.kick() : pushes.emit('link.status', noLinkStatus())), unsubscribers),
    ...registerHandlersFor(replica, registerDeps(options, people, scopes, clock, () => handlers, () => (link ? link.kick() : pushes.emit('link.status', noLinkStatus())), (caller) => actorOf(caller, options.actor ?? DEFAULT_ACTOR)), REGISTER_METHOD_NAMES),
  }, scopes, replica, clock);
  auditServiceCommands(handlers, people);

  // Residents' personal data is masked for callers that may not see it (the wall).
  const handle = withPrivacy(createDispatcher(handlers, options.log, keys));
  const sessions = createSessionCalls(people, handle, log);
  const ended = sessionPushes(people);
  const sweep = people ? setInterval(() => safely(log, 'the sessions sweep', () => people.sweep()), IDLE_SWEEP_MS) : null;
  sweep?.unref();

  return {
    handle,
    ...sessions,
    // Each subscriber gets the pushes as its caller may see them (privacy.ts, scope.ts), and its own session's end.
    subscribe: (listener, caller = DEFAULT_CALLER) => {
      const offPushes = pushes.subscribe(pushInScope(pushForCaller(withoutMeeting(listener, caller), caller), caller, scopes, replica));
      const offEnded = ended.add(listener, caller);
      return () => {
        offPushes();
        offEnded();
      };
    },
    audit: { append: audit },
    close: async () => {
      for (const off of unsubscribers.splice(0)) off();
      for (const feature of features) feature.close();
      if (sweep) clearInterval(sweep);
      ended.close();
      positions.close();
      pushes.clear();
    },
  };
}

const MEETING_METHOD_NAMES = Object.keys(MEETING_METHODS) as MeetingMethod[];

/** The meeting's state goes only to the callers that may ask for it (not a department's or a village's screen). */
function withoutMeeting(listener: PushListener, caller: Caller): PushListener {
  if (mayCall(caller.role, 'meeting.state')) return listener;
  return ((topic, payload) => {
    if (topic !== 'meeting.state') listener(topic, payload);
  }) as PushListener;
}

const PEOPLE_METHODS = [...Object.keys(AUTH_METHODS), ...Object.keys(ADMIN_METHODS), ...Object.keys(REVEAL_METHODS)] as PeopleMethod[];

function safely(log: ServiceLog, what: string, fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    log.error(`[service] ${what} failed`, error);
  }
}

/**
 * A workflow command, signed with the caller (actorOf), queued in the outbox and, in
 * the same transaction, recorded in the audit trail with the person and the seat.
 */
function createCommandRunner(
  options: ReplicaServiceOptions,
  people: People | null,
  clock: () => number,
  changed: ReturnType<typeof createChangePusher>,
  kick: () => void,
  keys: CommandKeyStore,
): RunCommand {
  const { replica } = options;
  const fallback = options.actor ?? DEFAULT_ACTOR;
  // extra (the desk): an actor of the service's own (the dispatch rules), a record written in the command's transaction.
  return (name, args, caller, extra) => {
    const actor = extra?.actor ?? actorOf(caller, fallback);
    const target = typeof (args as { id?: unknown }).id === 'string' ? (args as { id: string }).id : null;
    const alongside = extra?.alongside;
    const key = (caller as KeyedCaller).idempotencyKey;
    // Inside the outbox's transaction: the audit entry, the desk's own record, and the answer under the client's key (issue 15).
    const record = (n: number): void => {
      people?.auditIn({ ...commandWho(caller, actor), kind: 'command', action: name, target, detail: `指令 ${replica.replicaId}:${n}` });
      alongside?.(n);
      if (key === undefined || target === null) return;
      const receipt = { commandId: `${replica.replicaId}:${n}`, n, eventId: target, event: replica.getEvent(target) };
      keys.rememberIn(key, { method: name, caller: keyOwner(caller), response: { ok: true, result: receipt } });
    };
    const result = replica.command(name, args, actor, clock(), record);
    if (!result.ok) throw new ApiFailure(result.code, result.message);
    changed('event', result.changed);
    kick();
    return result.receipt;
  };
}

/** The audit trail's actor of a command: the person, or the configured operator an in-process caller acts as. */
function commandWho(caller: Caller, actor: Actor): Who {
  if (caller.user) return whoOf(caller);
  return { actorId: actor.id, actorName: actor.name ?? actor.id, role: actor.role, seat: seatText(caller.seat) };
}

/** The service's own commands that change something (view.share only moves screens: not recorded). */
const AUDITED_SERVICE_COMMANDS = ['link.reconnect', 'commands.dismiss'] as const;

function auditServiceCommands(handlers: Handlers, people: People | null): void {
  if (!people) return;
  for (const method of AUDITED_SERVICE_COMMANDS) {
    const inner = handlers[method] as Handler<typeof method>;
    const wrapped = async (args: unknown, caller: Caller): Promise<unknown> => {
      const result = await (inner as (a: unknown, c: Caller) => unknown)(args, caller);
      people.audit({ ...whoOf(caller), kind: 'command', action: method, detail: JSON.stringify(args).slice(0, 200) });
      return result;
    };
    (handlers as Record<string, unknown>)[method] = wrapped;
  }
}

/**
 * The field desk (issue 13): emergencies, worker.notify, patrols, sensors (emergency/handlers.ts);
 * `unavailable` over a fake replica. Its timer stops with the service (pushed to `closers`).
 */
function fieldDesk(options: ReplicaServiceOptions, people: People | null, clock: () => number, pushes: PushHub, kick: () => void, closers: (() => void)[]): FieldHandlers {
  const { replica } = options;
  if (!isFieldReplica(replica)) return noFieldHandlers(Object.keys(FIELD_METHODS) as FieldMethod[]);
  const field = createFieldHandlers({ replica, clock, actorOf: (caller) => actorOf(caller, options.actor ?? DEFAULT_ACTOR), audit: fieldAudit(people), kick, demo: options.demo ?? false, changed: (change) => pushes.emit('field.changed', change) });
  closers.push(() => field.close());
  return field.handlers;
}

/** The field desk's audit entries, as the person who called (inTx: inside the outbox's own transaction). */
function fieldAudit(people: People | null): (caller: Caller, action: string, target: string | null, detail: string, inTx?: boolean) => void {
  return (caller, action, target, detail, inTx = false) => {
    if (!people) return;
    const entry = { ...whoOf(caller), kind: 'command' as const, action, target, detail };
    if (inTx) people.auditIn(entry);
    else people.audit(entry);
  };
}

/** `auth.ended` goes to the subscribers of the session that ended, and to no one else. */
function sessionPushes(people: People | null): { add(listener: PushListener, caller?: Caller): () => void; close(): void } {
  const bySession = new Map<string, Set<PushListener>>();
  const off = people?.onSessionEnded((sessionId, payload) => {
    for (const listener of bySession.get(sessionId) ?? []) {
      try {
        listener('auth.ended', payload);
      } catch {
        // One failing transport must not keep the others from hearing it.
      }
    }
  });
  return {
    add(listener, caller) {
      const id = caller?.sessionId;
      if (!id) return () => undefined;
      let set = bySession.get(id);
      if (!set) bySession.set(id, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) bySession.delete(id);
      };
    },
    close() {
      off?.();
      bySession.clear();
    },
  };
}

/**
 * The person a command is signed with: the caller's account (its id, name, role and
 * department travel in the outbox and in `mutate.actor`); an in-process caller without
 * one acts as the service's configured operator.
 */
export function actorOf(caller: Caller, fallback: Actor): Actor {
  const user = caller.user;
  if (!user) return { ...fallback, role: caller.role === 'dispatcher' ? fallback.role : caller.role, ...(caller.departmentId ? { departmentId: caller.departmentId } : {}) };
  const departmentId = user.departmentId ?? caller.departmentId;
  return { id: user.id, role: caller.role, name: user.name, ...(departmentId ? { departmentId } : {}) };
}

function isEntityType(type: string): type is EntityType {
  return type === 'grid' || type === 'department' || type === 'worker' || type === 'category' || type === 'event';
}
