// The simulated county: its towns' entities in memory (backed by the store), the
// authoritative command path (core's transition for every command, from a town's
// `mutate`, from the tests, or from the county's own departments and workers),
// and the activity that moves time forward.
//
// Every write goes through one store transaction that also logs the change, so the
// change log, the entities and the settled commands never disagree after a crash.
import type { Actor, ActorRole, Category, Department, Grid, GridEvent, Worker } from '../../core/model';
import { ACCOUNT_ROLES } from '../../core/model';
import { PERMISSIONS } from '../../core/events/permissions';
import { ROLE_LABELS } from '../../core/events/labels';
import { generateTown, generateCounty, type TownDataset } from '../../county/demo/town';
import { transition } from '../../core/events/transition';
import { applyEffects } from '../../core/events/effects';
import { parseCommand } from '../../core/events/commands';
import type { Effect, TransitionContext } from '../../core/events/types';
import { WorkCalendar } from '../../core/sla/calendar';
import { parseIso } from '../../core/time/shanghai';
import { MutateSchema, commandId, describeIssues, entityData, type Entity, type EntityType, type TownSnapshot } from '../../core/sync/protocol';
import type { Rng } from '../../county/demo/random';
import type { CountyStore, EntityKey, StoredAck } from './store';
import { isRegisterCommand } from '../../core/registers/types';
import { applyRegisterCommand, seedRegister } from './registers';
import { randomPointIn, shapeOf, type Shape } from './geo';
import { Patrol, dutyAt, streamOf, type DutyMode } from './patrol';
import {
  arrivals,
  moveFor,
  newEvent,
  plan,
  uuidFrom,
  type NewEventOverrides,
  type Planned,
  type PlanOptions,
  type TownView,
} from './activity';

export const COUNTY_CODE = '430624';

/**
 * project: whom a town may act as over the link. A town speaks for its own operators
 * only: its account roles that the workflow grants any command (dispatcher, leader,
 * department, village: core/events/permissions.ts). The county, the automation
 * (system), grid workers (their own mobile app), read-only screens and the roles
 * without workflow (admin, secretary) are not the town's to impersonate.
 */
export const TOWN_ACTOR_ROLES: readonly ActorRole[] = ACCOUNT_ROLES.filter((role) =>
  Object.values(PERMISSIONS).some((clauses) => clauses.some((c) => c.by[role] !== undefined)),
);
const DEMO_TOWN = '430624103';

export interface Scale {
  towns: number;
  gridsPerTown: number;
}

export interface CountyOptions {
  seed: number;
  scale: Scale | null;
  eventsPerHour: number;
  autoDispatchAfterMs: number | null;
  /** Duty hours of the grid workers; default 'day' (08:00-18:00 Shanghai). */
  duty?: DutyMode;
  /** project: seed a new town with the synthetic register (persons, houses, organisations: issue 17). Default false. */
  registers?: boolean;
  log: (line: string) => void;
}

export type CommandResult = { ok: true } | { ok: false; code: string; reason: string };

const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byCode = <T extends { code: string }>(a: T, b: T): number => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** One town's world. Implements what the activity needs to see of it. */
class Town implements TownView {
  readonly prefix: string;
  readonly gridMap = new Map<string, Grid>();
  readonly departments = new Map<string, Department>();
  readonly categoryMap = new Map<string, Category>();
  readonly workers = new Map<string, Worker>();
  readonly events = new Map<string, GridEvent>();
  readonly shapes = new Map<string, Shape>();
  private byGrid = new Map<string, Worker[]>();
  grids: Grid[] = [];
  categories: Category[] = [];
  name = '';
  patrol!: Patrol;

  constructor(
    readonly code: string,
    private readonly store: CountyStore,
  ) {
    this.prefix = code === DEMO_TOWN ? 'GP' : `T${code.slice(-3)}`;
  }

  /** Derived lists, after loading. */
  index(seed: number): void {
    this.grids = [...this.gridMap.values()].filter((g) => g.level === 3).sort(byCode);
    this.categories = [...this.categoryMap.values()].sort(byCode);
    this.name = [...this.gridMap.values()].find((g) => g.level === 1)?.name ?? this.code;
    for (const g of this.gridMap.values()) this.shapes.set(g.code, shapeOf(g.geometry));
    this.byGrid = new Map();
    for (const w of [...this.workers.values()].sort(byId)) {
      for (const g of this.grids) if (w.grids.some((c) => g.code.startsWith(c))) this.byGrid.set(g.code, [...(this.byGrid.get(g.code) ?? []), w]);
    }
    this.patrol = new Patrol(seed, [...this.workers.values()], (c) => this.shapes.get(c));
  }

  grid(code: string): Grid | undefined {
    const g = this.gridMap.get(code);
    return g?.level === 3 ? g : undefined;
  }
  village(code: string): Grid | undefined {
    return this.gridMap.get(code);
  }
  category(code: string): Category | undefined {
    return this.categoryMap.get(code);
  }
  department(id: string): Department | undefined {
    return this.departments.get(id);
  }
  worker(id: string): Worker | undefined {
    return this.workers.get(id);
  }
  workersOf(grid: string): readonly Worker[] {
    return this.byGrid.get(grid) ?? [];
  }
  randomPointIn(grid: string, rng: Rng): readonly [number, number] {
    const shape = this.shapes.get(grid);
    if (!shape) throw new Error(`no geometry for grid ${grid}`);
    return randomPointIn(shape, rng);
  }
  nextCaseSeq(date: string): number {
    const key = `case/${this.code}/${date}`;
    const n = Number(this.store.meta(key) ?? '0') + 1;
    this.store.setMeta(key, String(n));
    return n;
  }
}

/** A min-heap of agenda entries by (at, town, id); stale entries are skipped on pop. */
class Agenda {
  private readonly heap: { at: number; town: string; id: string; ver: number }[] = [];
  private readonly current = new Map<string, { planned: Planned; ver: number }>();
  private ver = 0;

  private static less(a: { at: number; town: string; id: string }, b: { at: number; town: string; id: string }): boolean {
    return a.at < b.at || (a.at === b.at && (a.town < b.town || (a.town === b.town && a.id < b.id)));
  }

  set(town: string, id: string, planned: Planned | null): void {
    const key = `${town}/${id}`;
    if (planned === null) {
      this.current.delete(key);
      return;
    }
    const ver = ++this.ver;
    this.current.set(key, { planned, ver });
    this.heap.push({ at: planned.at, town, id, ver });
    let i = this.heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!Agenda.less(this.heap[i]!, this.heap[p]!)) break;
      [this.heap[i], this.heap[p]] = [this.heap[p]!, this.heap[i]!];
      i = p;
    }
  }

  /** The earliest live entry due at or before `end`, removed; null when none is due. */
  popDue(end: number): { town: string; id: string; planned: Planned } | null {
    for (;;) {
      const top = this.heap[0];
      if (!top) return null;
      const live = this.current.get(`${top.town}/${top.id}`);
      if (live && live.ver === top.ver && top.at > end) return null;
      this.popTop();
      if (live && live.ver === top.ver) {
        this.current.delete(`${top.town}/${top.id}`);
        return { town: top.town, id: top.id, planned: live.planned };
      }
    }
  }

  get size(): number {
    return this.current.size;
  }

  private popTop(): void {
    const last = this.heap.pop();
    if (!last || this.heap.length === 0) return;
    this.heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.heap.length && Agenda.less(this.heap[l]!, this.heap[m]!)) m = l;
      if (r < this.heap.length && Agenda.less(this.heap[r]!, this.heap[m]!)) m = r;
      if (m === i) return;
      [this.heap[i], this.heap[m]] = [this.heap[m]!, this.heap[i]!];
      i = m;
    }
  }
}

function fromStored(type: string, id: string, data: unknown): Entity | null {
  const d = data as Record<string, unknown>;
  switch (type) {
    case 'grid':
      return { type, id, value: d as unknown as Grid };
    case 'category':
      return { type, id, value: d as unknown as Category };
    case 'department':
      return { type, id, value: { ...d, id } as unknown as Department };
    case 'worker':
      return { type, id, value: { ...d, id } as unknown as Worker };
    case 'event':
      return { type, id, value: { ...d, id } as unknown as GridEvent };
    default:
      return null;
  }
}

function datasets(seed: number, scale: Scale | null): TownDataset[] {
  if (scale === null) return [generateTown({ seed })];
  return generateCounty({ seed, towns: scale.towns, gridsPerTown: scale.gridsPerTown }).towns;
}

export class County {
  readonly towns = new Map<string, Town>();
  readonly calendar = new WorkCalendar();
  private readonly agenda = new Agenda();
  private readonly listeners = new Set<(town: string) => void>();
  private readonly seed: number;
  private readonly planOptions: PlanOptions;
  private eventsPerHour: number;
  private dutyMode: DutyMode;

  constructor(
    readonly store: CountyStore,
    private readonly options: CountyOptions,
    startTime: number,
  ) {
    if (!store.seeded) this.seedWorld(startTime);
    const storedSeed = Number(store.meta('seed'));
    if (storedSeed !== options.seed) options.log(`county simulator: the database was seeded with ${storedSeed}; it keeps that seed (asked for ${options.seed})`);
    this.seed = storedSeed;
    this.planOptions = { seed: this.seed, autoDispatchAfterMs: options.autoDispatchAfterMs };
    this.eventsPerHour = options.eventsPerHour;
    this.dutyMode = options.duty ?? 'day';
    this.load();
  }

  get duty(): DutyMode {
    return this.dutyMode;
  }

  /** Change the grid workers' duty hours now: workers go on or off duty at once (worker puts say so). */
  setDuty(mode: DutyMode, now: number): void {
    this.dutyMode = mode;
    const touched = new Set<string>();
    this.store.transaction(() => this.updateDuty(Math.max(now, this.simTime), touched));
    this.notify(touched);
  }

  private updateDuty(at: number, touched: Set<string>): void {
    const onDuty = dutyAt(this.dutyMode, at);
    for (const [code, t] of this.towns) {
      t.patrol.setDuty(this.dutyMode);
      for (const w of t.workers.values()) {
        if (w.onDuty === onDuty) continue;
        const updated = { ...w, onDuty };
        this.put(code, 'worker', { type: 'worker', id: w.id, value: updated });
        t.workers.set(w.id, updated);
        touched.add(code);
      }
    }
  }

  get townCodes(): string[] {
    return [...this.towns.keys()];
  }

  /** The end of the last activity step: the county's own clock. */
  get simTime(): number {
    return Number(this.store.meta('simTime'));
  }

  get steps(): number {
    return Number(this.store.meta('steps') ?? '0');
  }

  onChange(listener: (town: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setRate(eventsPerHour: number): void {
    this.eventsPerHour = eventsPerHour;
  }

  private notify(towns: Iterable<string>): void {
    for (const town of new Set(towns)) for (const l of this.listeners) l(town);
  }

  // ---------------------------------------------------------------- world

  private seedWorld(now: number): void {
    const { seed, scale } = this.options;
    const sets = datasets(seed, scale);
    this.store.transaction(() => {
      for (const ds of sets) {
        const town = ds.town.code;
        for (const g of [ds.town, ...ds.villages, ...ds.grids]) this.store.put(town, 'grid', g.code, entityData({ type: 'grid', id: g.code, value: g }));
        for (const d of ds.departments) this.store.put(town, 'department', d.id, entityData({ type: 'department', id: d.id, value: d }));
        for (const c of ds.categories) this.store.put(town, 'category', c.code, entityData({ type: 'category', id: c.code, value: c }));
        const onDuty = dutyAt(this.options.duty ?? 'day', now);
        for (const w of ds.workers) this.store.put(town, 'worker', w.id, entityData({ type: 'worker', id: w.id, value: { ...w, onDuty } }));
        if (this.options.registers) seedRegister(this.store, ds, seed, now);
      }
      this.store.setMeta('seed', String(seed));
      this.store.setMeta('scale', JSON.stringify(scale));
      this.store.setMeta('towns', JSON.stringify(sets.map((s) => s.town.code)));
      this.store.setMeta('simTime', String(now));
      this.store.setMeta('steps', '0');
      this.store.setMeta('created', '0');
      this.store.setMeta('seeded', '1');
    });
  }

  private load(): void {
    const codes = JSON.parse(this.store.meta('towns') ?? '[]') as string[];
    for (const code of codes) this.towns.set(code, new Town(code, this.store));
    for (const row of this.store.entities()) {
      const town = this.towns.get(row.town);
      if (!town || row.deleted) continue;
      const e = fromStored(row.type, row.id, row.data);
      if (!e) continue;
      if (e.type === 'grid') town.gridMap.set(e.id, e.value);
      else if (e.type === 'department') town.departments.set(e.id, e.value);
      else if (e.type === 'category') town.categoryMap.set(e.id, e.value);
      else if (e.type === 'worker') town.workers.set(e.id, e.value);
      else town.events.set(e.id, e.value);
    }
    for (const town of this.towns.values()) {
      town.index(this.seed);
      town.patrol.setDuty(this.dutyMode);
      for (const e of town.events.values()) this.agenda.set(town.code, e.id, plan(e, this.planOptions));
    }
  }

  private town(code: string): Town {
    const t = this.towns.get(code);
    if (!t) throw new Error(`unknown town ${code}`);
    return t;
  }

  hasTown(code: string): boolean {
    return this.towns.has(code);
  }

  snapshot(code: string): TownSnapshot {
    const t = this.town(code);
    return {
      grids: [...t.gridMap.values()].sort(byCode),
      departments: [...t.departments.values()].sort(byId),
      categories: [...t.categoryMap.values()].sort(byCode),
      workers: [...t.workers.values()].sort(byId),
      events: [...t.events.values()].sort(byId),
    };
  }

  /** Ids of a town's workers, for positions. */
  workerIds(code: string): string[] {
    return [...this.town(code).workers.keys()];
  }

  fixes(code: string, at: number) {
    const t = this.town(code);
    const ids = [...t.workers.values()].filter((w) => w.onDuty).map((w) => w.id);
    return t.patrol.fixes(ids, at);
  }

  private put(town: string, type: EntityType, entity: Entity): number {
    return this.store.put(town, type, entity.id, entityData(entity)).seq;
  }

  // ---------------------------------------------------------------- commands

  private context(t: Town, now: number, actor: Actor, target?: GridEvent): TransitionContext {
    const ctx: TransitionContext = {
      now,
      actor,
      calendar: this.calendar,
      category: (c) => t.categoryMap.get(c),
      department: (d) => t.departments.get(d),
      worker: (w) => t.workers.get(w),
      gridExists: (g) => t.gridMap.has(g),
    };
    if (target) ctx.target = target;
    return ctx;
  }

  /**
   * Run one command as the authority, inside the caller's transaction: transition,
   * then its effects on the county's state, then the next plan of the events it
   * touched. Returns the entities changed and the highest change seq.
   */
  private exec(
    code: string,
    name: string,
    args: unknown,
    actor: Actor,
    now: number,
  ): { ok: true; keys: EntityKey[]; seq: number; eventId: string } | { ok: false; code: string; reason: string } {
    const t = this.town(code);
    const parsed = parseCommand(name, args);
    if (!parsed.ok) return { ok: false, code: parsed.code, reason: parsed.reason };
    const cmd = parsed.command;
    const event = t.events.get(cmd.args.id) ?? null;
    const target = cmd.name === 'event.merge' ? t.events.get(cmd.args.into) : undefined;
    const result = transition(event, cmd, this.context(t, now, actor, target));
    if (!result.ok) return { ok: false, code: result.code, reason: result.reason };

    const done = applyEffects(result, (id) => t.events.get(id), { now, actor, command: cmd.name });
    for (const effect of [...done.others, ...done.unresolved]) this.carryOut(t, effect);
    const keys: EntityKey[] = [];
    let seq = 0;
    for (const e of done.events) {
      seq = Math.max(seq, this.put(code, 'event', { type: 'event', id: e.id, value: e }));
      keys.push({ type: 'event', id: e.id });
    }
    for (const e of done.events) {
      t.events.set(e.id, e);
      this.agenda.set(code, e.id, plan(e, this.planOptions));
    }
    return { ok: true, keys, seq, eventId: result.event.id };
  }

  /** The effects core's applyEffects leaves to the county: none needs more than a log line here. */
  private carryOut(t: Town, effect: Effect): void {
    switch (effect.type) {
      case 'append-note':
        // Only an unresolved one reaches here: its event is not in this town.
        this.options.log(`county simulator: ${t.code} has no event ${effect.eventId} to note on`);
        return;
      case 'escalate-to-county':
        // The county takes the event: its plan (county-feedback) follows from the status.
        this.options.log(`county simulator: ${t.code} escalated ${effect.eventId} to the county (${effect.reason})`);
        return;
      default:
        // Notifications and clock changes need no action from a simulated county.
        return;
    }
  }

  /** A command by hand (tests, the control endpoint), as a department, a worker, the county or anyone. */
  apply(code: string, name: string, args: unknown, actor: Actor, now: number): CommandResult {
    if (!this.towns.has(code)) return { ok: false, code: 'unknown-town', reason: `未知的乡镇：${code}` };
    const r = this.store.transaction(() => this.exec(code, name, args, actor, now));
    if (!r.ok) return r;
    this.notify([code]);
    return { ok: true };
  }

  /** A new event as a grid worker (or the hotline, a sensor) reports it; returns its id. */
  createEvent(code: string, overrides: NewEventOverrides, now: number): string {
    const r = this.store.transaction(() => this.report(code, now, overrides));
    if (!r.ok) throw new Error(`cannot create an event in ${code}: ${r.reason}`);
    this.notify([code]);
    return r.id;
  }

  private report(code: string, now: number, overrides: NewEventOverrides): { ok: true; id: string } | { ok: false; reason: string } {
    const t = this.town(code);
    const n = Number(this.store.meta('created') ?? '0') + 1;
    this.store.setMeta('created', String(n));
    const rng = streamOf(this.seed, `created/${n}`);
    const made = newEvent(t, now, rng, overrides);
    const r = this.exec(code, 'event.create', made.args, made.actor, now);
    return r.ok ? { ok: true, id: r.eventId } : { ok: false, reason: `${r.code} ${r.reason}` };
  }

  /** An arrival during a step: a refusal (an id the town already used, say) is logged, never allowed to stop the county. */
  private arrive(code: string, now: number): void {
    const r = this.report(code, now, {});
    if (!r.ok) this.options.log(`county simulator: an event arriving in ${code} was refused: ${r.reason}`);
  }

  /**
   * A town's `mutate`, settled in one transaction: deduplicated by (replica, n),
   * refused out of order, validated, run through transition, and stored with the
   * acknowledgement and the change seq that covers its effects.
   */
  mutate(code: string, replica: string, raw: unknown, clockNow: number): StoredAck {
    let touched = false;
    const ack = this.store.transaction((): StoredAck => {
      const rawN = (raw as { n?: unknown } | null | undefined)?.n;
      const parsed = MutateSchema.safeParse(raw);
      const n = parsed.success ? parsed.data.n : typeof rawN === 'number' && Number.isSafeInteger(rawN) && rawN >= 1 ? rawN : null;
      if (n === null) {
        return { status: 'rejected', code: 'invalid', message: `无效的命令消息：${parsed.success ? '' : describeIssues(parsed.error)}` };
      }
      const first = this.store.ackOf(replica, n);
      if (first) return first;
      const expected = this.store.lastN(replica) + 1;
      if (n !== expected) {
        return { status: 'rejected', code: 'out-of-order', message: `命令序号不连续：收到第 ${n} 号，应为第 ${expected} 号` };
      }
      const rawName = (raw as { name?: unknown }).name;
      const name = parsed.success ? parsed.data.name : typeof rawName === 'string' ? rawName.slice(0, 64) : '';
      const settle = (ack: StoredAck, keys: EntityKey[] = [], seq: number | null = null): StoredAck => {
        this.store.settle(replica, code, n, name, ack, keys, seq);
        return ack;
      };
      if (!parsed.success) return settle({ status: 'rejected', code: 'invalid', message: `无效的命令消息：${describeIssues(parsed.error)}` });
      const m = parsed.data;
      if (m.id !== commandId(replica, n)) {
        return settle({ status: 'rejected', code: 'invalid', message: `命令编号 ${m.id.slice(0, 80)} 与 ${commandId(replica, n)} 不符` });
      }
      const at = parseIso(m.at);
      const now = Math.min(at, clockNow);
      const actor: Actor = m.actor ? { ...m.actor } : { id: `town-${code}`, role: 'dispatcher' };
      if (!TOWN_ACTOR_ROLES.includes(actor.role)) {
        return settle({
          status: 'rejected',
          code: 'forbidden',
          message: `乡镇只能以本镇操作人员（调度员、领导、部门人员、村（社区）工作站）的身份发出命令，不能以“${ROLE_LABELS[actor.role]}”身份`,
        });
      }
      const r = isRegisterCommand(m.name)
        ? applyRegisterCommand(this.store, code, (g) => this.town(code).gridMap.has(g), m.name, m.args)
        : this.exec(code, m.name, m.args, actor, now);
      if (!r.ok) return settle({ status: 'rejected', code: r.code, message: r.reason });
      touched = true;
      return settle({ status: 'applied' }, r.keys, r.seq);
    });
    if (touched) this.notify([code]);
    return ack;
  }

  // ---------------------------------------------------------------- activity

  /**
   * One activity step over (simTime, end]: new events arrive, planned steps fall
   * due (in time order, new plans included), and grid workers go on or off duty
   * at `end`. Deterministic given the seed, the database and the sequence of ends.
   */
  step(end: number): void {
    const start = this.simTime;
    if (!(end > start)) return;
    const k = this.steps + 1;
    const touched = new Set<string>();
    this.store.transaction(() => {
      const rng = streamOf(this.seed, `step/${k}`);
      const incoming: { at: number; town: string }[] = [];
      for (const code of this.towns.keys()) {
        for (const at of arrivals(rng, start, end, this.eventsPerHour)) incoming.push({ at, town: code });
      }
      incoming.sort((a, b) => a.at - b.at || (a.town < b.town ? -1 : a.town > b.town ? 1 : 0));
      let i = 0;
      // Bounded: every action changes its event, and events run out of steps.
      for (let guard = 0; guard < 1_000_000; guard++) {
        const next = incoming[i];
        const due = this.agenda.popDue(next ? next.at - 1 : end);
        if (due) {
          this.act(due.town, due.id, due.planned, end);
          touched.add(due.town);
          continue;
        }
        if (!next) break;
        this.arrive(next.town, next.at);
        touched.add(next.town);
        i++;
      }
      this.updateDuty(end, touched);
      this.store.setMeta('simTime', String(end));
      this.store.setMeta('steps', String(k));
    });
    this.notify(touched);
  }

  /** Jump the clock forward without activity (the simulator was stopped for a long time). */
  skipTo(t: number): void {
    if (t > this.simTime) this.store.setMeta('simTime', String(t));
  }

  private act(code: string, id: string, planned: Planned, end: number): void {
    const t = this.town(code);
    const e = t.events.get(id);
    if (!e) return;
    const last = parseIso(e.history[e.history.length - 1]?.at ?? e.reportedAt);
    const now = Math.min(end, Math.max(planned.at, last));
    const move = moveFor(planned.kind, e, t, this.planOptions, COUNTY_CODE);
    if (!move) return;
    const r = this.exec(code, move.name, move.args, move.actor, now);
    if (!r.ok) this.options.log(`county simulator: ${planned.kind} on ${id} refused: ${r.code} ${r.reason}`);
  }

  /** A fresh id from the seeded stream, for tests that want one the county would choose. */
  newId(label: string): string {
    return uuidFrom(streamOf(this.seed, `id/${label}`));
  }
}
