// The simulator's demo world, playing the county's own people against a hub through the
// hub's small HTTP API (api.ts), as phones and county operators would: grid workers and
// the hotline report events, departments, grid workers and the county move them on
// (the simulator's activity.ts decides who acts, when and how), grid workers clock in and
// out by the duty hours (patrol.ts's, the simulator's: 08:00-18:00, or round the clock)
// and send their positions while on duty, and their phones read worker.notify's notices
// and ride to the event (the summons the hub settled). It holds no state of its own beyond
// the generated towns: each step reads the towns' events and new notices from the hub, so
// it can drive any hub process and be restarted.
import type { GridEvent } from '../../core/model';
import { positionItem } from '../../core/sync/protocol';
import { arrivals, moveFor, newEvent, plan, type NewEventOverrides, type PlanOptions } from '../simulator/activity';
import { COUNTY_CODE, Town } from '../simulator/county';
import { OVERRIDE_STAY_MS, dutyAt, streamOf, type DutyMode } from '../simulator/patrol';
import { SUMMON_SPEED_MPS } from '../../core/emergency/notify';
import type { StoredNotice } from './store';
import type { TownDataset } from '../demo/town';
import { parseIso } from '../../core/time/shanghai';

export interface WorldOptions {
  /** The hub's base URL (http://127.0.0.1:N). */
  url: string;
  /** The hub's control token, when it has one. */
  token?: string;
  seed: number;
  towns: readonly TownDataset[];
  /** Events per hour and town on average. Default 12. */
  eventsPerHour?: number;
  /** The virtual dispatcher takes what the town left alone this long; null: never. Default 10 min. */
  autoDispatchAfterMs?: number | null;
  /** The grid workers' duty hours, as the simulator's: 'day' (08:00-18:00 Shanghai, the default) or 'always'. */
  duty?: DutyMode;
  clock?: () => number;
  log?: (line: string) => void;
}

/** A call to the hub's HTTP API; throws with the hub's error text when it fails. */
export async function hubCall<T>(url: string, token: string | undefined, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  const parsed = text === '' ? null : (JSON.parse(text) as unknown);
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${(parsed as { error?: string } | null)?.error ?? text}`);
  return parsed as T;
}

export class DemoWorld {
  private readonly towns = new Map<string, Town>();
  private readonly counters = new Map<string, number>();
  private readonly planOptions: PlanOptions;
  private simTime: number;
  private steps = 0;
  private created = 0;
  private dutyMode: DutyMode;
  /** Per town: the duty its workers last reported to the hub (undefined: not yet, since this world started). */
  private readonly reported = new Map<string, boolean>();
  /** Per town: the last notice its phones have read. */
  private readonly noticesRead = new Map<string, number>();

  constructor(private readonly o: WorldOptions) {
    this.dutyMode = o.duty ?? 'day';
    for (const ds of o.towns) {
      const t = Town.of(ds, o.seed, (date) => this.caseSeq(ds.town.code, date));
      t.patrol.setDuty(this.dutyMode);
      this.towns.set(ds.town.code, t);
    }
    this.planOptions = { seed: o.seed, autoDispatchAfterMs: o.autoDispatchAfterMs === undefined ? 10 * 60_000 : o.autoDispatchAfterMs };
    this.simTime = this.now();
  }

  private now(): number {
    return (this.o.clock ?? Date.now)();
  }

  private call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    return hubCall<T>(this.o.url, this.o.token, method, path, body);
  }

  /** Case numbers go on from the highest the hub's events carry for the date (a restarted world does not reuse one). */
  private caseSeq(town: string, date: string): number {
    const key = `${town}/${date}`;
    const n = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, n);
    return n;
  }

  private learnCases(town: Town, events: readonly GridEvent[]): void {
    for (const e of events) {
      const m = new RegExp(`^${town.prefix}(\\d{8})-(\\d+)$`).exec(e.code);
      if (!m) continue;
      const date = `${m[1]!.slice(0, 4)}-${m[1]!.slice(4, 6)}-${m[1]!.slice(6)}`;
      const key = `${town.code}/${date}`;
      this.counters.set(key, Math.max(this.counters.get(key) ?? 0, Number(m[2])));
    }
  }

  /** A new event as a grid worker (or the hotline, a sensor) reports it; returns its id. */
  async report(code: string, overrides: NewEventOverrides = {}, at = this.now()): Promise<string> {
    const town = this.towns.get(code);
    if (!town) throw new RangeError(`unknown town ${code}`);
    this.learnCases(town, await this.call<GridEvent[]>('GET', `/api/towns/${code}/events`));
    this.created++;
    const made = newEvent(town, at, streamOf(this.o.seed, `world/${this.steps}/created/${this.created}/${at}`), { source: 'patrol', selfHandled: false, ...overrides });
    const r = await this.call<{ id: string }>('POST', `/api/towns/${code}/events`, { args: made.args, actor: made.actor, at: new Date(at).toISOString() });
    return r.id;
  }

  get duty(): DutyMode {
    return this.dutyMode;
  }

  /** Change the duty hours now: the workers' phones clock in or out at once (the simulator's setDuty). */
  async setDuty(mode: DutyMode, at = this.now()): Promise<void> {
    this.dutyMode = mode;
    for (const town of this.towns.values()) town.patrol.setDuty(mode);
    await this.clockIn(at);
  }

  /**
   * The workers' phones report clock-in or clock-out where the duty hours say so at `at`
   * (each town once per change: the hub ignores what it already holds). A refusal is logged
   * and tried again at the next step.
   */
  async clockIn(at = this.now()): Promise<void> {
    const onDuty = dutyAt(this.dutyMode, at);
    for (const town of this.towns.values()) {
      if (this.reported.get(town.code) === onDuty) continue;
      const items = [...town.workers.keys()].map((worker) => ({ worker, onDuty }));
      if (await this.tryCall(`/api/towns/${town.code}/duty`, { at, items })) this.reported.set(town.code, onDuty);
    }
  }

  /** The phones read the town's new notices: each summoned worker rides to its point from the command's time. */
  private async readNotices(town: Town, at: number): Promise<void> {
    const after = this.noticesRead.get(town.code);
    // A world that starts again reads the notices still in force (a summoned worker stays two hours).
    const query = after === undefined ? `after=0&since=${at - OVERRIDE_STAY_MS}` : `after=${after}`;
    let notices: StoredNotice[];
    try {
      notices = await this.call<StoredNotice[]>('GET', `/api/towns/${town.code}/notices?${query}`);
    } catch (error) {
      this.o.log?.(`county hub world: the notices of ${town.code} not read: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    for (const notice of notices) {
      for (const s of notice.summons) if (town.workers.has(s.worker)) town.patrol.summon(s.worker, s.to, notice.at, SUMMON_SPEED_MPS);
      this.noticesRead.set(town.code, notice.id);
    }
    if (notices.length === 0 && after === undefined) this.noticesRead.set(town.code, 0);
  }

  /** One step up to `end`: arrivals, the planned steps due, clock-in or out, notices read, then every on-duty worker's position. */
  async step(end = this.now()): Promise<void> {
    const start = this.simTime;
    if (!(end > start)) return;
    this.steps++;
    for (const town of this.towns.values()) await this.stepTown(town, start, end);
    await this.clockIn(end);
    for (const town of this.towns.values()) await this.readNotices(town, end);
    for (const town of this.towns.values()) await this.sendFixes(town, end);
    this.simTime = end;
  }

  private async stepTown(town: Town, start: number, end: number): Promise<void> {
    const events = await this.call<GridEvent[]>('GET', `/api/towns/${town.code}/events`);
    this.learnCases(town, events);
    const rng = streamOf(this.o.seed, `world/${town.code}/step/${this.steps}/${end}`);
    for (const at of arrivals(rng, start, end, this.o.eventsPerHour ?? 12)) {
      const made = newEvent(town, at, rng, {});
      await this.tryCall(`/api/towns/${town.code}/events`, { args: made.args, actor: made.actor, at: new Date(at).toISOString() });
    }
    const due = events.flatMap((e) => {
      const p = plan(e, this.planOptions);
      return p !== null && p.at <= end ? [{ e, p }] : [];
    });
    due.sort((a, b) => a.p.at - b.p.at);
    for (const { e, p } of due) {
      const move = moveFor(p.kind, e, town, this.planOptions, COUNTY_CODE);
      if (!move) continue;
      const last = parseIso(e.history[e.history.length - 1]?.at ?? e.reportedAt);
      const at = Math.min(end, Math.max(p.at, last));
      await this.tryCall(`/api/towns/${town.code}/events/${encodeURIComponent(e.id)}/commands`, { name: move.name, args: move.args, actor: move.actor, at: new Date(at).toISOString() });
    }
  }

  /** The fixes of the town's workers on duty (patrol.ts: the duty hours; summoned ones on their way). */
  private async sendFixes(town: Town, end: number): Promise<void> {
    const fixes = town.patrol.fixes([...town.workers.keys()], end);
    if (fixes.length > 0) await this.tryCall(`/api/towns/${town.code}/positions`, { at: end, items: fixes.map(positionItem) });
  }

  /** A refusal (the town moved the event first, say) is logged; it never stops the world. True when the hub took it. */
  private async tryCall(path: string, body: unknown): Promise<boolean> {
    try {
      const r = await this.call<{ ok: boolean; code?: string; reason?: string }>('POST', path, body);
      if (r.ok !== false) return true;
      this.o.log?.(`county hub world: ${path} refused: ${r.code ?? ''} ${r.reason ?? ''}`);
    } catch (error) {
      this.o.log?.(`county hub world: ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return false;
  }

  /** Steps on a timer (every `everyMs`), one at a time; returns what stops it. */
  start(everyMs: number): () => void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.step()
        .catch((error: unknown) => this.o.log?.(`county hub world: step failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => (running = false));
    }, everyMs);
    return () => clearInterval(timer);
  }
}
