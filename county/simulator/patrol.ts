// Grid workers on patrol: each on-duty worker walks (or rides an e-bike) from one
// random waypoint in their grids to the next, stopping a few minutes at each
// (a household visit, a check of a site), and reports a GPS fix every few seconds.
//
// A worker's path is a pure function of (seed, worker, date): a restart of the
// simulator, or ticks of another length, give the same track, and nothing of it
// needs to be stored. The current leg is cached so that a fix costs O(1).
import type { PositionFix, Worker } from '../../core/model';
import { createRng, hashString, type Rng } from '../../county/demo/random';
import { shanghaiDate, shanghaiMidnight, shanghaiMinuteOfDay } from '../../core/time/shanghai';
import { distanceM, headingDeg, lerp, offset, randomPointIn, round6, type LonLat, type Shape } from './geo';

/** On duty 08:00-18:00 Asia/Shanghai, every day (网格员 patrol daily, weekends included). */
export const DUTY_START_MIN = 8 * 60;
export const DUTY_END_MIN = 18 * 60;

export function onDutyAt(ms: number): boolean {
  const m = shanghaiMinuteOfDay(ms);
  return m >= DUTY_START_MIN && m < DUTY_END_MIN;
}

/**
 * 'day': the duty hours above (the default, as in the seeds); 'always': round-the-clock
 * patrol, for a demo or a test that must see workers move at any hour.
 */
export type DutyMode = 'day' | 'always';
export const DUTY_MODES: readonly DutyMode[] = ['day', 'always'];

export function dutyAt(mode: DutyMode, ms: number): boolean {
  return mode === 'always' || onDutyAt(ms);
}

/** The next instant at or after `ms` when grid workers are on duty. */
export function nextDutyTime(ms: number): number {
  if (onDutyAt(ms)) return ms;
  const date = shanghaiDate(ms);
  const todayStart = shanghaiMidnight(date) + DUTY_START_MIN * 60_000;
  return ms < todayStart ? todayStart : todayStart + 86_400_000;
}

/**
 * A cheap generator for per-fix GPS noise (mulberry32 over a mix of the worker's
 * hash and the fix time): thousands of fixes per step cannot each afford a full
 * seeded stream, and noise needs no statistical finesse.
 */
function noiseOf(workerHash: number, t: number): { next(): number; normal(sd: number): number } {
  let a = (Math.imul(workerHash ^ (t >>> 0), 0x9e3779b1) ^ Math.imul(Math.floor(t / 4294967296) | 0, 0x85ebca6b)) >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let z = Math.imul(a ^ (a >>> 15), 1 | a);
    z = (z + Math.imul(z ^ (z >>> 7), 61 | z)) ^ z;
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
  return { next, normal: (sd) => sd * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()) };
}

/** A stable derived stream: depends only on the seed and the label, never on draws made elsewhere. */
export function streamOf(seed: number, label: string): Rng {
  return createRng(hashString(`${seed}/${label}`));
}

interface Leg {
  /** When the worker arrived at `from` (dwelling starts). */
  start: number;
  dwellEnd: number;
  arrive: number;
  from: LonLat;
  to: LonLat;
  grid: number;
  speed: number;
  heading: number;
}

interface Track {
  date: string;
  /** Shanghai midnight of `date`, epoch ms. */
  dayStart: number;
  rng: Rng;
  ebike: boolean;
  leg: Leg;
}

/**
 * project: a worker taken off the patrol path: sent to an incident (worker.notify) or put
 * at a point (the control endpoint's `place`). From `start` the worker moves from `from`
 * to `to` at `speed`, stays there, and goes back to the patrol path at `until`.
 */
export interface Override {
  from: LonLat;
  to: LonLat;
  start: number;
  arrive: number;
  until: number;
  speed: number;
  heading: number;
}

const PLACE_LEAD_MS = 5000;

/** How long a summoned or placed worker stays before going back to patrol. */
export const OVERRIDE_STAY_MS = 2 * 3_600_000;

const WALK: readonly [number, number] = [0.9, 1.5];
const EBIKE: readonly [number, number] = [3.5, 6];

export class Patrol {
  private readonly tracks = new Map<string, Track>();
  private readonly shapes = new Map<string, Shape[]>();
  /** Per-worker offset of the fix time, so fixes of a town do not all carry the same millisecond. */
  private readonly jitter = new Map<string, number>();
  private readonly hashes = new Map<string, number>();
  private mode: DutyMode = 'day';
  private readonly overrides = new Map<string, Override>();

  private absentDay = new Map<string, { dayStart: number; absent: boolean }>();

  constructor(
    private readonly seed: number,
    workers: readonly Worker[],
    shapeOfGrid: (code: string) => Shape | undefined,
    /** project: a worker off patrol on a day (leave, training: no fixes), unless sent somewhere. */
    private readonly absentOn?: (workerId: string, date: string) => boolean,
  ) {
    for (const w of workers) this.setWorker(w, shapeOfGrid);
  }

  get duty(): DutyMode {
    return this.mode;
  }

  /** Change the duty hours; tracks restart so that a path stays a function of (seed, worker, date, mode). */
  setDuty(mode: DutyMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.tracks.clear();
  }

  setWorker(w: Worker, shapeOfGrid: (code: string) => Shape | undefined): void {
    const shapes = w.grids.map(shapeOfGrid).filter((s): s is Shape => s !== undefined);
    this.shapes.set(w.id, shapes);
    this.jitter.set(w.id, hashString(`${this.seed}/jitter/${w.id}`) % 2000);
    this.hashes.set(w.id, hashString(`${this.seed}/noise/${w.id}`));
    this.tracks.delete(w.id);
  }

  /** Fixes of every listed worker on duty at `at`, each taken a little before it. */
  fixes(workerIds: Iterable<string>, at: number): PositionFix[] {
    const out: PositionFix[] = [];
    for (const id of workerIds) {
      const t = at - (this.jitter.get(id) ?? 0);
      if (!dutyAt(this.mode, t)) continue;
      if (this.absent(id, t)) continue;
      const fix = this.fixAt(id, t);
      if (fix) out.push(fix);
    }
    return out;
  }

  /** Off patrol at `t` (absentOn for its day), and not summoned or placed at that time. */
  private absent(id: string, t: number): boolean {
    if (!this.absentOn) return false;
    const o = this.overrides.get(id);
    if (o && t >= o.start && t < o.until) return false;
    let day = this.absentDay.get(id);
    if (!day || t < day.dayStart || t >= day.dayStart + 86_400_000) {
      const date = shanghaiDate(t);
      day = { dayStart: shanghaiMidnight(date), absent: this.absentOn(id, date) };
      this.absentDay.set(id, day);
    }
    return day.absent;
  }

  /** Where the worker is at `t` (on duty), as a noisy GPS fix; null for a worker without a grid shape. */
  fixAt(workerId: string, t: number): PositionFix | null {
    const pos = this.positionAt(workerId, t);
    if (!pos) return null;
    const noise = noiseOf(this.hashes.get(workerId) ?? 0, t);
    const accuracy = 3 + 12 * noise.next();
    const p = offset(pos.at, noise.normal(accuracy / 2), noise.normal(accuracy / 2));
    const moving = pos.speed > 0;
    return {
      workerId,
      lon: round6(p[0]),
      lat: round6(p[1]),
      at: Math.round(t),
      speed: Math.round((moving ? pos.speed * (0.85 + 0.3 * noise.next()) : 0.3 * noise.next()) * 10) / 10,
      heading: moving ? Math.round((pos.heading + noise.normal(4) + 360) % 360) % 360 : null,
      accuracy: Math.round(accuracy),
    };
  }

  /** project: sends the worker from where it is at `at` to `to` at `speedMps`; it stays there OVERRIDE_STAY_MS. */
  summon(workerId: string, to: LonLat, at: number, speedMps: number): Override | null {
    const here = this.positionAt(workerId, at)?.at;
    if (!here) return null;
    const arrive = at + Math.max(1000, (distanceM(here, to) / speedMps) * 1000);
    const o: Override = { from: here, to, start: at, arrive, until: arrive + OVERRIDE_STAY_MS, speed: speedMps, heading: headingDeg(here, to) };
    this.overrides.set(workerId, o);
    return o;
  }

  /** project: puts the worker at a point from `at` (tests: a worker walks into a grid). */
  place(workerId: string, point: LonLat, at: number): Override {
    // From a few seconds before: the next fixes (taken up to 2 s before their message) already show it.
    const start = at - PLACE_LEAD_MS;
    const o: Override = { from: point, to: point, start, arrive: start, until: at + OVERRIDE_STAY_MS, speed: 0, heading: 0 };
    this.overrides.set(workerId, o);
    return o;
  }

  /** The overrides in force, to keep across a restart. */
  overridesNow(): [string, Override][] {
    return [...this.overrides];
  }

  restore(list: readonly [string, Override][]): void {
    for (const [id, o] of list) this.overrides.set(id, o);
  }

  /** The noiseless position on the worker's path. */
  positionAt(workerId: string, t: number): { at: LonLat; speed: number; heading: number } | null {
    const o = this.overrides.get(workerId);
    if (o && t >= o.start && t < o.until) {
      if (t >= o.arrive) return { at: o.to, speed: 0, heading: o.heading };
      return { at: lerp(o.from, o.to, (t - o.start) / Math.max(1, o.arrive - o.start)), speed: o.speed, heading: o.heading };
    }
    const shapes = this.shapes.get(workerId);
    if (!shapes || shapes.length === 0) return null;
    let track = this.tracks.get(workerId);
    // Numeric day check first: formatting a date for every fix would dominate the cost.
    if (!track || t < track.dayStart || t >= track.dayStart + 86_400_000 || t < track.leg.start) {
      track = this.startDay(workerId, shanghaiDate(t), shapes);
      this.tracks.set(workerId, track);
    }
    // Bounded: a duty day has at most a few hundred legs.
    for (let i = 0; t >= track.leg.arrive && i < 10_000; i++) track.leg = this.nextLeg(track, shapes, track.leg.to, track.leg.grid, track.leg.arrive);
    const leg = track.leg;
    if (t < leg.dwellEnd) return { at: leg.from, speed: 0, heading: leg.heading };
    const f = (t - leg.dwellEnd) / Math.max(1, leg.arrive - leg.dwellEnd);
    return { at: lerp(leg.from, leg.to, Math.min(1, f)), speed: leg.speed, heading: leg.heading };
  }

  private startDay(workerId: string, date: string, shapes: Shape[]): Track {
    const rng = streamOf(this.seed, `patrol/${workerId}/${date}`);
    const ebike = rng.chance(0.35);
    const grid = rng.int(0, shapes.length - 1);
    const from = randomPointIn(shapes[grid]!, rng);
    // The day's first leg starts just before duty (at midnight on round-the-clock duty),
    // so every on-duty instant falls on a leg.
    const start = shanghaiMidnight(date) + (this.mode === 'always' ? 0 : (DUTY_START_MIN - 5) * 60_000);
    const track: Track = { date, dayStart: shanghaiMidnight(date), rng, ebike, leg: { start, dwellEnd: start, arrive: start, from, to: from, grid, speed: 0, heading: 0 } };
    track.leg = this.nextLeg(track, shapes, from, grid, start);
    return track;
  }

  private nextLeg(track: Track, shapes: Shape[], from: LonLat, grid: number, start: number): Leg {
    const { rng } = track;
    const next = shapes.length > 1 && rng.chance(0.2) ? rng.int(0, shapes.length - 1) : grid;
    const reach = track.ebike ? 1500 : 600;
    const to = randomPointIn(shapes[next]!, rng, next === grid ? { at: from, maxM: reach } : undefined);
    const [lo, hi] = track.ebike ? EBIKE : WALK;
    const speed = rng.float(lo, hi);
    const dwellEnd = start + rng.int(1, 8) * 60_000 + rng.int(0, 59) * 1000;
    const arrive = dwellEnd + Math.max(1000, (distanceM(from, to) / speed) * 1000);
    return { start, dwellEnd, arrive, from, to, grid: next, speed, heading: headingDeg(from, to) };
  }
}
