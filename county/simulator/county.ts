// The simulated county: its towns' entities in memory (backed by the store), the
// authoritative command path (core's transition for every command, from a town's
// `mutate`, from the tests, or from the county's own departments and workers),
// and the activity that moves time forward.
//
// Every write goes through one store transaction that also logs the change, so the
// change log, the entities and the settled commands never disagree after a crash.
import type { Actor, Category, Department, Grid, GridEvent, Worker } from '../../core/model';
import { generateTown, generateCounty, type TownDataset } from '../../county/demo/town';
import type { Effect } from '../../core/events/types';
import { WorkCalendar } from '../../core/sla/calendar';
import { parseIso, toIso } from '../../core/time/shanghai';
import { entityData, type Entity, type EntityType, type TownSnapshot } from '../../core/sync/protocol';
import { commandNumber, commandPath, decideMutate, runCommand, settleNotify, unnumbered, type CommandWorld } from './settle';
import type { Rng } from '../../county/demo/random';
import type { CountyStore, EntityKey, StoredAck } from './store';
import { applyRegisterCommand, seedRegister } from './registers';
import { randomPointIn, shapeOf, type Shape } from './geo';
import { Patrol, dutyAt, streamOf, type DutyMode, type Override } from './patrol';
import { DEVICE_TYPE, parseDevice, type Device } from '../../core/devices/device';
import { SUMMON_SPEED_MPS } from '../../core/emergency/notify';
import { ALARM_OF, alarmIn, heartbeats, townDevices } from './devices';
import { hashString } from '../../county/demo/random';
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

export { TOWN_ACTOR_ROLES } from './settle';
const DEMO_TOWN = '430624103';
/** project: with `absence`, one basic grid in this many has its own workers off patrol on a day. */
export const ABSENT_ONE_IN = 6;

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
  /** project: serve sensors and cameras (`device` entities) and raise their alarms; default false. */
  devices?: boolean;
  /** project: some grids' own workers are off patrol each day (ABSENT_ONE_IN), so the desk sees grids not patrolled; default false. */
  absence?: boolean;
  /** project: seed a new town with the synthetic register (persons, houses, organisations: issue 17). Default false. */
  registers?: boolean;
  log: (line: string) => void;
}

export type CommandResult = { ok: true } | { ok: false; code: string; reason: string };

const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byCode = <T extends { code: string }>(a: T, b: T): number => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** One town's world. Implements what the activity needs to see of it (the simulator's county, and the hub's demo world). */
export class Town implements TownView {
  readonly prefix: string;
  readonly gridMap = new Map<string, Grid>();
  readonly departments = new Map<string, Department>();
  readonly categoryMap = new Map<string, Category>();
  readonly workers = new Map<string, Worker>();
  readonly events = new Map<string, GridEvent>();
  readonly shapes = new Map<string, Shape>();
  /** project: sensors and cameras (devices.ts). */
  readonly devices = new Map<string, Device>();
  private byGrid = new Map<string, Worker[]>();
  grids: Grid[] = [];
  categories: Category[] = [];
  name = '';
  patrol!: Patrol;

  constructor(
    readonly code: string,
    /** The next case number of a Shanghai date (kept by the county's store). */
    private readonly caseSeq: (date: string) => number,
  ) {
    this.prefix = code === DEMO_TOWN ? 'GP' : `T${code.slice(-3)}`;
  }

  /** A town of a generated dataset (grids, departments, categories and workers; no events). */
  static of(ds: TownDataset, seed: number, caseSeq: (date: string) => number): Town {
    const t = new Town(ds.town.code, caseSeq);
    for (const g of [ds.town, ...ds.villages, ...ds.grids]) t.gridMap.set(g.code, g);
    for (const d of ds.departments) t.departments.set(d.id, d);
    for (const c of ds.categories) t.categoryMap.set(c.code, c);
    for (const w of ds.workers) t.workers.set(w.id, w);
    t.index(seed);
    return t;
  }

  /** Derived lists, after loading. */
  index(seed: number, absence = false): void {
    this.grids = [...this.gridMap.values()].filter((g) => g.level === 3).sort(byCode);
    this.categories = [...this.categoryMap.values()].sort(byCode);
    this.name = [...this.gridMap.values()].find((g) => g.level === 1)?.name ?? this.code;
    for (const g of this.gridMap.values()) this.shapes.set(g.code, shapeOf(g.geometry));
    this.byGrid = new Map();
    for (const w of [...this.workers.values()].sort(byId)) {
      for (const g of this.grids) if (w.grids.some((c) => g.code.startsWith(c))) this.byGrid.set(g.code, [...(this.byGrid.get(g.code) ?? []), w]);
    }
    this.patrol = new Patrol(seed, [...this.workers.values()], (c) => this.shapes.get(c), absence ? (id, date) => this.absentOn(seed, id, date) : undefined);
  }

  /**
   * project: on each day about one basic grid in ABSENT_ONE_IN has its own workers off
   * patrol (leave, training): only a grid leader covering several grids may walk in.
   */
  private absentOn(seed: number, workerId: string, date: string): boolean {
    const w = this.workers.get(workerId);
    if (!w || w.role === 'gridLeader' || w.grids.length === 0) return false;
    return w.grids.every((c) => hashString(`${seed}/absent/${date}/${c}`) % ABSENT_ONE_IN === 0);
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
    return this.caseSeq(date);
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

export function datasets(seed: number, scale: Scale | null): TownDataset[] {
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
    if (options.devices === true) this.seedDevices(this.simTime);
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
    const caseSeq = (code: string) => (date: string): number => {
      const key = `case/${code}/${date}`;
      const n = Number(this.store.meta(key) ?? '0') + 1;
      this.store.setMeta(key, String(n));
      return n;
    };
    for (const code of codes) this.towns.set(code, new Town(code, caseSeq(code)));
    for (const row of this.store.entities()) {
      const town = this.towns.get(row.town);
      if (!town || row.deleted) continue;
      if (row.type === DEVICE_TYPE) {
        const d = parseDevice(row.id, row.data);
        if (d.ok) town.devices.set(row.id, d.device);
        continue;
      }
      const e = fromStored(row.type, row.id, row.data);
      if (!e) continue;
      if (e.type === 'grid') town.gridMap.set(e.id, e.value);
      else if (e.type === 'department') town.departments.set(e.id, e.value);
      else if (e.type === 'category') town.categoryMap.set(e.id, e.value);
      else if (e.type === 'worker') town.workers.set(e.id, e.value);
      else town.events.set(e.id, e.value);
    }
    for (const town of this.towns.values()) {
      town.index(this.seed, this.options.absence === true);
      town.patrol.setDuty(this.dutyMode);
      town.patrol.restore(JSON.parse(this.store.meta(`overrides/${town.code}`) ?? '[]') as [string, Override][]);
      for (const e of town.events.values()) this.agenda.set(town.code, e.id, plan(e, this.planOptions));
    }
  }

  /** project: a county seeded before devices existed gets its towns' devices once. */
  private seedDevices(now: number): void {
    if (this.store.meta('devices.seeded') !== null) return;
    this.store.transaction(() => {
      for (const t of this.towns.values()) {
        for (const d of townDevices(this.seed, t.code, t.grids.concat([...t.gridMap.values()].filter((g) => g.level === 2)), (c) => t.shapes.get(c), now)) this.putDevice(t, d);
      }
      this.store.setMeta('devices.seeded', '1');
    });
  }

  private putDevice(t: Town, d: Device): void {
    const { id, ...data } = d;
    this.store.put(t.code, DEVICE_TYPE, id, data);
    t.devices.set(id, d);
  }

  /** project: the devices of a town, by id. */
  devicesOf(code: string): Device[] {
    return [...this.town(code).devices.values()].sort(byId);
  }

  /**
   * project: a device raises an alarm at `now`: its status becomes alarm and the 物联感知
   * platform reports the event, linked to it. Returns the event's id.
   */
  raiseAlarm(code: string, deviceId: string, now: number): string {
    const t = this.town(code);
    const d = t.devices.get(deviceId);
    if (!d) throw new RangeError(`unknown device ${deviceId}`);
    const id = this.store.transaction(() => this.alarm(t, d, now));
    this.notify([code]);
    return id;
  }

  private alarm(t: Town, d: Device, at: number): string {
    this.putDevice(t, { ...d, status: 'alarm', lastSeenAt: toIso(at) });
    const a = ALARM_OF[d.kind];
    const r = this.report(t.code, at, {
      source: 'sensor',
      category: a.category,
      urgency: a.urgency,
      grid: d.grid,
      title: a.title(d.name),
      description: `${d.name}(${d.id})自动报警,请核实处置`,
      location: { ...d.location, address: d.address ?? d.name },
      device: d.id,
      photos: [],
    });
    if (!r.ok) throw new Error(`the alarm of ${d.id} was refused: ${r.reason}`);
    return r.id;
  }

  /** Inside a step: heartbeats due by `end`, and now and then an alarm. */
  private stepDevices(k: number, start: number, end: number, touched: Set<string>): void {
    for (const t of this.towns.values()) {
      if (t.devices.size === 0) continue;
      const rng = streamOf(this.seed, `devices/step/${k}/${t.code}`);
      const hit = alarmIn(rng, [...t.devices.values()].sort(byId), end - start);
      if (hit) {
        const r = (() => {
          try {
            return this.alarm(t, hit, start + rng.int(0, Math.max(0, end - start - 1)));
          } catch (error) {
            this.options.log(`county simulator: ${error instanceof Error ? error.message : String(error)}`);
            return null;
          }
        })();
        if (r !== null) touched.add(t.code);
      }
      for (const d of heartbeats([...t.devices.values()], end)) {
        this.putDevice(t, d);
        touched.add(t.code);
      }
    }
  }

  /**
   * project: worker.notify (county-link-v1, commands the project adds), by settle.ts's rule
   * (shared with the hub): the message goes to the workers' phones, and those on duty set
   * off towards the event (when it names one). Changes no entity: settled with no change keys.
   */
  private notifyWorkers(code: string, args: unknown, now: number): CommandResult {
    const t = this.town(code);
    const r = settleNotify(this.world(t), args);
    if (!r.ok) return r;
    for (const s of r.notice.summons) t.patrol.summon(s.worker, s.to, now, SUMMON_SPEED_MPS);
    if (r.notice.eventId !== null) this.store.setMeta(`overrides/${code}`, JSON.stringify(t.patrol.overridesNow()));
    this.options.log(`county simulator: ${code} notified ${r.notice.workers.length} worker(s): ${r.notice.text.slice(0, 60)}`);
    return { ok: true };
  }

  /** project: puts a worker at a point from now (the control endpoint's `place`). */
  placeWorker(code: string, workerId: string, lon: number, lat: number, now: number): boolean {
    const t = this.town(code);
    if (!t.workers.has(workerId)) return false;
    t.patrol.place(workerId, [lon, lat], now);
    this.store.setMeta(`overrides/${code}`, JSON.stringify(t.patrol.overridesNow()));
    return true;
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

  private world(t: Town): CommandWorld {
    return {
      event: (id) => t.events.get(id),
      category: (c) => t.categoryMap.get(c),
      department: (d) => t.departments.get(d),
      worker: (w) => t.workers.get(w),
      gridExists: (g) => t.gridMap.has(g),
      calendar: this.calendar,
    };
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
    const result = runCommand(this.world(t), name, args, actor, now);
    if (!result.ok) return result;
    for (const effect of [...result.effects, ...result.unresolved]) this.carryOut(t, effect);
    const keys: EntityKey[] = [];
    let seq = 0;
    for (const e of result.events) {
      seq = Math.max(seq, this.put(code, 'event', { type: 'event', id: e.id, value: e }));
      keys.push({ type: 'event', id: e.id });
    }
    for (const e of result.events) {
      t.events.set(e.id, e);
      this.agenda.set(code, e.id, plan(e, this.planOptions));
    }
    return { ok: true, keys, seq, eventId: result.eventId };
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
      const n = commandNumber(raw);
      if (n === null) return unnumbered(raw);
      const first = this.store.ackOf(replica, n);
      if (first) return first;
      const d = decideMutate(raw, replica, code, n, this.store.lastN(replica) + 1, clockNow);
      if (d.kind === 'answer') return d.ack;
      const settle = (ack: StoredAck, keys: EntityKey[] = [], seq: number | null = null): StoredAck => {
        this.store.settle(replica, code, n, d.name, ack, keys, seq);
        return ack;
      };
      if (d.kind === 'settle') return settle(d.ack);
      const path = commandPath(d.command);
      if (path === 'notify') {
        const r = this.notifyWorkers(code, d.args, d.now);
        return settle(r.ok ? { status: 'applied' } : { status: 'rejected', code: r.code, message: r.reason });
      }
      const r = path === 'register'
        ? applyRegisterCommand(this.store, code, (g) => this.town(code).gridMap.has(g), d.command, d.args)
        : this.exec(code, d.command, d.args, d.actor, d.now);
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
      this.stepDevices(k, start, end, touched);
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
