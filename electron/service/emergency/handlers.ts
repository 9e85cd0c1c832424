// The field desk's methods (core/api/field.ts) over the replica: emergency mode, the
// plans library and the register, worker.notify through the outbox, patrols and the
// county's sensors. Commands are recorded in the audit trail; worker.notify is queued in
// the outbox with its audit entry and its notice row in one transaction, and the link
// sends it once (also after the link comes back).
import type { Caller } from '../../../core/api/channels';
import type { FIELD_METHODS } from '../../../core/api/field';
import type { Emergency } from '../../../core/api/field';
import type { ResultOf } from '../../../core/api/contract';
import type { Actor, GridEvent } from '../../../core/model';
import { planFor, plansFromJson, plansFromRows, type Plan } from '../../../core/emergency/plans';
import { WORKER_NOTIFY } from '../../../core/emergency/notify';
import { haversineM } from '../../../core/emergency/radius';
import { inService } from '../../../core/emergency/resources';
import { intervalOf, isSilent } from '../../../core/devices/device';
import { toIso } from '../../../core/time/shanghai';
import type { Replica } from '../replica/replica';
import { ApiFailure, type Handlers } from '../service';
import { FieldStore, type EmergencyRow } from './store';
import { NearbySearch } from './nearby';
import { PatrolTracker } from '../patrol/tracker';
import { readPlanWorkbook } from './plan-import';
import { resourceHandlers } from './resources';

export type FieldMethod = keyof typeof FIELD_METHODS;
export type FieldHandlers = Pick<Handlers, FieldMethod>;

export type FieldReplica = Pick<Replica, 'replicaId' | 'getEvent' | 'workers' | 'positions' | 'grids' | 'devices' | 'enqueue' | 'commandState' | 'store' | 'track' | 'listEvents'>;

export interface FieldOptions {
  replica: FieldReplica;
  clock: () => number;
  /** The person a command is signed with (replica-service.ts actorOf). */
  actorOf: (caller: Caller) => Actor;
  /** Records a command in the audit trail; `inTx`: inside the writer's transaction (auditIn). */
  audit: (caller: Caller, action: string, target: string | null, detail: string, inTx?: boolean) => void;
  /** The outbox has a new command: send it. */
  kick: () => void;
  /**
   * The demo (the embedded county simulator): the library and the register start with the
   * demo's made-up plans, teams and resources. A real town's start empty (FieldStore.seed).
   */
  demo?: boolean;
  /** Announces a change of the desk (the push `field.changed`). */
  changed?: (change: { kind: 'emergency' | 'plans' | 'resources'; eventId?: string }) => void;
}

/** A notified worker within this distance of the event counts as on scene (the wall's panel). */
export const ON_SCENE_M = 100;
const PATROL_UPDATE_MS = 60_000;

const nameOf = (caller: Caller): string => caller.user?.name ?? '值班调度员';

/**
 * The field desk's background work: the demo's library seeded (at once, then every few
 * seconds until the town's grids have come, see FieldStore.seed; a real town's replica
 * cleared of an earlier release's seed instead), and the patrol's
 * visits recorded as fixes arrive, also while nobody looks (tracks are pruned after 24 h).
 * Returns the function that stops them.
 */
function startFieldTimers(seed: () => void, seeded: () => boolean, updatePatrol: () => void): () => void {
  seed();
  const firstSeed = setInterval(() => {
    try {
      seed();
      if (seeded()) clearInterval(firstSeed);
    } catch {
      clearInterval(firstSeed);
    }
  }, 5_000);
  const timer = setInterval(() => {
    try {
      seed();
      updatePatrol();
    } catch {
      // The next query or tick tries again; a closed replica ends with the service.
    }
  }, PATROL_UPDATE_MS);
  firstSeed.unref();
  timer.unref();
  return () => {
    clearInterval(firstSeed);
    clearInterval(timer);
  };
}

export function createFieldHandlers(o: FieldOptions): { handlers: FieldHandlers; close(): void } {
  const { replica, clock } = o;
  const store = new FieldStore(replica.store());
  const grids = () => replica.grids();
  const nearby = new NearbySearch({ positions: () => replica.positions(), workers: () => replica.workers({}), grids, resources: () => store.resources().filter(inService) }, clock);
  const patrol = new PatrolTracker(replica, replica.store());
  // Visits are recorded as fixes arrive, also while nobody looks (tracks are pruned after 24 h).
  const stopTimers = o.demo
    ? startFieldTimers(() => store.seed(grids()), () => store.resources().length > 0, () => patrol.update(clock()))
    : startFieldTimers(() => store.removeDemoSeed(), () => true, () => patrol.update(clock()));

  const eventOf = (id: string): GridEvent => {
    const e = replica.getEvent(id);
    if (!e) throw new ApiFailure('not-found', `没有编号为 ${id} 的事件`);
    return e;
  };
  const view = (row: EmergencyRow): Emergency => emergencyView(row, eventOf(row.eventId), store, replica);

  const handlers: FieldHandlers = {
    'emergency.plans': () => store.plans(),
    'emergency.resources': ({ includeRetired }) => (includeRetired ? store.resources() : store.resources().filter(inService)),
    'emergency.get': ({ eventId }) => {
      const row = store.emergency(eventId);
      return row === null ? null : view(row);
    },
    'emergency.nearby': ({ eventId, radiusM }) => {
      const e = eventOf(eventId);
      return nearby.search(e.location.lon, e.location.lat, radiusM);
    },
    'emergency.board': () => board(store, replica),
    'emergency.open': ({ eventId, planId, radiusM }, caller) => {
      const event = eventOf(eventId);
      const held = store.emergency(eventId);
      if (held?.status === 'active') return view(held);
      if (event.urgency === 'normal') throw new ApiFailure('invalid', '只有紧急或特急事件可以启动应急处置');
      const plans = store.plans();
      const plan = planId !== undefined ? plans.find((p) => p.id === planId) : planFor(plans, event);
      if (!plan) throw new ApiFailure('not-found', planId !== undefined ? `没有编号为 ${planId} 的预案` : '预案库为空,请先在应急预案库中新建或导入预案');
      const row: EmergencyRow = { eventId, plan, status: 'active', openedAt: clock(), openedBy: nameOf(caller), closedAt: null, radiusM, checklist: {} };
      store.putEmergency(row);
      o.audit(caller, 'emergency.open', eventId, `启动应急处置:${plan.name}`);
      o.changed?.({ kind: 'emergency', eventId });
      return view(row);
    },
    'emergency.check': ({ eventId, stepId, done }, caller) => {
      const row = activeOf(store, eventId);
      if (!row.plan.steps.some((s) => s.id === stepId)) throw new ApiFailure('not-found', `预案中没有步骤 ${stepId}`);
      const checklist = { ...row.checklist };
      if (done) checklist[stepId] = checklist[stepId] ?? { at: clock(), by: nameOf(caller) };
      else delete checklist[stepId];
      const next = { ...row, checklist };
      store.putEmergency(next);
      o.audit(caller, 'emergency.check', eventId, `${done ? '完成' : '取消'}步骤 ${stepId}`);
      o.changed?.({ kind: 'emergency', eventId });
      return view(next);
    },
    'emergency.close': ({ eventId }, caller) => {
      const row = activeOf(store, eventId);
      const next: EmergencyRow = { ...row, status: 'closed', closedAt: clock() };
      store.putEmergency(next);
      o.audit(caller, 'emergency.close', eventId, '结束应急处置');
      o.changed?.({ kind: 'emergency', eventId });
      return view(next);
    },
    'worker.notify': (args, caller) => notify(o, store, args, caller),
    ...planHandlers(o, store),
    ...resourceHandlers(o, store, grids, () => nearby.invalidate()),
    'patrol.today': () => patrol.today(clock()),
    'patrol.workers': ({ date }) => patrol.workerDays(date, clock()),
    'patrol.sweeps': ({ date }) => patrol.sweeps(date, clock()),
    'sensors.list': () => sensors(replica, clock()),
  };
  return { handlers, close: stopTimers };
}

/** A replica without the field tables (a test's fake): every field method answers `unavailable`. */
export function isFieldReplica(replica: object): replica is FieldReplica {
  return ['enqueue', 'commandState', 'devices', 'store', 'track', 'positions'].every((m) => typeof (replica as Record<string, unknown>)[m] === 'function');
}

export function noFieldHandlers(methods: readonly FieldMethod[]): FieldHandlers {
  const refuse = (): never => {
    throw new ApiFailure('unavailable', '此数据服务没有现场指挥数据');
  };
  return Object.fromEntries(methods.map((m) => [m, refuse])) as unknown as FieldHandlers;
}

/** The library's editing: save, delete, import (a file with any error imports nothing). */
function planHandlers(o: FieldOptions, store: FieldStore): Pick<FieldHandlers, 'emergency.plans.save' | 'emergency.plans.delete' | 'emergency.plans.import'> {
  const { clock } = o;
  return {
    'emergency.plans.save': ({ plan }, caller) => {
      store.savePlans([plan], clock());
      o.audit(caller, 'emergency.plans.save', plan.id, `保存预案 ${plan.name}`);
      return plan;
    },
    'emergency.plans.delete': ({ id }, caller) => {
      // Deleting a plan the library does not hold is refused, as for any unknown id.
      if (!store.deletePlan(id)) throw new ApiFailure('not-found', `预案库中没有编号为 ${id.slice(0, 60)} 的预案`);
      o.audit(caller, 'emergency.plans.delete', id, '删除预案');
      return { deleted: true };
    },
    'emergency.plans.import': async ({ fileName, content, mode }, caller) => {
      const plans = await importPlans(fileName, content);
      store.savePlans(plans, clock(), mode === 'replace');
      o.audit(caller, 'emergency.plans.import', null, `从 ${fileName.slice(0, 80)} 导入 ${plans.length} 个预案(${mode === 'replace' ? '替换' : '合并'})`);
      return { imported: plans.length, total: store.plans().length };
    },
  };
}

function activeOf(store: FieldStore, eventId: string): EmergencyRow {
  const row = store.emergency(eventId);
  if (row === null || row.status !== 'active') throw new ApiFailure('invalid', '该事件没有进行中的应急处置');
  return row;
}

function notify(o: FieldOptions, store: FieldStore, args: ResultOfArgs, caller: Caller): ResultOf<'worker.notify'> {
  const known = new Map(o.replica.workers({}).map((w) => [w.id, w]));
  const unknown = args.workers.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new ApiFailure('invalid', `未知的网格员:${unknown.slice(0, 5).join('、')}`);
  if (args.eventId !== undefined && o.replica.getEvent(args.eventId) === null) throw new ApiFailure('not-found', `没有编号为 ${args.eventId} 的事件`);
  const at = o.clock();
  const workers = args.workers.map((id) => ({ id, name: known.get(id)?.name ?? id }));
  const wire = { workers: args.workers, text: args.text, ...(args.eventId !== undefined ? { eventId: args.eventId } : {}) };
  const r = o.replica.enqueue(WORKER_NOTIFY, wire, o.actorOf(caller), at, (n) => {
    store.addNoticeIn({ n, eventId: args.eventId ?? null, workers, text: args.text, at });
    o.audit(caller, WORKER_NOTIFY, args.eventId ?? null, `通知 ${workers.map((w) => w.name).join('、')}:${args.text.slice(0, 100)}`, true);
  });
  if (!r.ok) throw new ApiFailure(r.code, r.message);
  o.kick();
  o.changed?.({ kind: 'emergency', ...(args.eventId !== undefined ? { eventId: args.eventId } : {}) });
  return { commandId: r.commandId, n: r.n, state: 'queued' };
}
type ResultOfArgs = { workers: string[]; text: string; eventId?: string | undefined };

function emergencyView(row: EmergencyRow, e: GridEvent, store: FieldStore, replica: FieldReplica): Emergency {
  return {
    eventId: row.eventId,
    event: { id: e.id, code: e.code, title: e.title, category: e.category, urgency: e.urgency, status: e.status, grid: e.grid, location: e.location },
    plan: row.plan,
    status: row.status,
    openedAt: toIso(row.openedAt),
    openedBy: row.openedBy,
    closedAt: row.closedAt === null ? null : toIso(row.closedAt),
    radiusM: row.radiusM,
    checklist: row.plan.steps.map((s) => {
      const done = row.checklist[s.id];
      return { stepId: s.id, text: s.text, role: s.role, doneAt: done ? toIso(done.at) : null, doneBy: done?.by ?? null };
    }),
    notices: store.notices(row.eventId).map((n) => {
      const st = replica.commandState(n.n);
      return {
        n: n.n,
        commandId: `${replica.replicaId}:${n.n}`,
        workers: n.workers,
        text: n.text,
        at: toIso(n.at),
        state: st?.state ?? 'queued',
        ...(st?.code ? { code: st.code } : {}),
        ...(st?.message ? { message: st.message } : {}),
      };
    }),
  };
}

function board(store: FieldStore, replica: FieldReplica): ResultOf<'emergency.board'> {
  const positions = new Map(replica.positions().map((p) => [p.workerId, p]));
  return store.active().flatMap((row) => {
    const e = replica.getEvent(row.eventId);
    if (!e) return [];
    const notified = new Set(store.notices(row.eventId).flatMap((n) => n.workers.map((w) => w.id)));
    const onScene = [...notified].filter((id) => {
      const p = positions.get(id);
      return p !== undefined && haversineM(p.lon, p.lat, e.location.lon, e.location.lat) <= ON_SCENE_M;
    }).length;
    return [
      {
        eventId: e.id,
        code: e.code,
        title: e.title,
        planName: row.plan.name,
        openedAt: toIso(row.openedAt),
        stepsDone: row.plan.steps.filter((s) => row.checklist[s.id] !== undefined).length,
        stepsTotal: row.plan.steps.length,
        notified: notified.size,
        onScene,
        location: { lon: e.location.lon, lat: e.location.lat },
      },
    ];
  });
}

function sensors(replica: FieldReplica, nowMs: number): ResultOf<'sensors.list'> {
  const alarms = new Map<string, GridEvent>();
  const from = toIso(nowMs - 30 * 86_400_000);
  for (let offset = 0; offset < 5000; offset += 500) {
    const page = replica.listEvents({ source: 'sensor', from, paging: { offset, limit: 500 }, sort: 'reportedAt' }, nowMs);
    for (const e of page.items) if (e.device !== undefined && !alarms.has(e.device)) alarms.set(e.device, e);
    if (offset + 500 >= page.total) break;
  }
  return replica.devices().map((d) => {
    const a = alarms.get(d.id);
    return {
      id: d.id,
      kind: d.kind,
      name: d.name,
      location: d.location,
      grid: d.grid,
      status: d.status,
      lastSeenAt: d.lastSeenAt,
      intervalS: intervalOf(d) / 1000,
      ...(d.address !== undefined ? { address: d.address } : {}),
      silent: isSilent(d, nowMs),
      lastAlarm: a ? { eventId: a.id, code: a.code, title: a.title, reportedAt: a.reportedAt, status: a.status } : null,
    };
  });
}

async function importPlans(fileName: string, content: string): Promise<Plan[]> {
  const bytes = Buffer.from(content, 'base64');
  let result;
  if (/\.json$/i.test(fileName)) {
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new ApiFailure('invalid', `文件不是有效的 JSON:${error instanceof Error ? error.message.slice(0, 120) : ''}`);
    }
    result = plansFromJson(json);
  } else {
    result = plansFromRows(await readPlanWorkbook(bytes));
  }
  if (!result.ok) throw new ApiFailure('invalid', `导入失败,未做任何修改。${result.errors.slice(0, 10).join(';')}${result.errors.length > 10 ? `……共 ${result.errors.length} 处错误` : ''}`);
  return result.plans;
}
