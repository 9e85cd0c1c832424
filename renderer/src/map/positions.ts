// The live positions of the grid workers as typed arrays, updated in place by
// every `positions` push: deck.gl reads them as binary attributes, so ten
// thousand moving workers cost one buffer upload per push, not ten thousand
// accessor calls and a rebuilt object array.
import type { PositionFix, Worker } from '../../../core/model';
import type { Rgba } from './theme';

/** A fix older than this starts to fade; at STALE_GONE_MS it is as faint as it gets. */
export const STALE_AFTER_MS = 2 * 60_000;
export const STALE_GONE_MS = 30 * 60_000;
const MIN_ALPHA = 0.22;

/** How opaque a worker's dot is for a fix of this age: 1 while fresh, fading linearly to MIN_ALPHA. */
export function freshness(ageMs: number): number {
  if (!(ageMs > STALE_AFTER_MS)) return 1;
  if (ageMs >= STALE_GONE_MS) return MIN_ALPHA;
  return 1 - ((ageMs - STALE_AFTER_MS) / (STALE_GONE_MS - STALE_AFTER_MS)) * (1 - MIN_ALPHA);
}

export interface BinaryPoints {
  length: number;
  attributes: {
    getPosition: { value: Float32Array; size: 2 };
    getFillColor: { value: Uint8Array; size: 4; normalized: true };
    getAngle: { value: Float32Array; size: 1 };
  };
}

export interface WorkerColors {
  onDuty: Rgba;
  offDuty: Rgba;
}

export class PositionStore {
  private index = new Map<string, number>();
  private ids: string[] = [];
  private capacity = 0;
  private pos = new Float32Array(0);
  private color = new Uint8Array(0);
  private angle = new Float32Array(0);
  private at = new Float64Array(0);
  private wgs = new Float64Array(0);
  private duty = new Map<string, boolean>();
  private cached: BinaryPoints | null = null;
  /** Bumped on every change that deck.gl must see. */
  version = 0;

  constructor(
    /** The base map's datum: positions are stored where they are drawn. */
    private readonly toDisplay: (lon: number, lat: number) => [number, number] = (lon, lat) => [lon, lat],
  ) {}

  get length(): number {
    return this.ids.length;
  }

  idAt(i: number): string | undefined {
    return this.ids[i];
  }

  indexOf(id: string): number | undefined {
    return this.index.get(id);
  }

  /** The WGS84 position and fix time of one worker (what the replica says). */
  fixOf(id: string): { lon: number; lat: number; at: number; heading: number } | null {
    const i = this.index.get(id);
    if (i === undefined) return null;
    return { lon: this.wgs[2 * i]!, lat: this.wgs[2 * i + 1]!, at: this.at[i]!, heading: this.angle[i]! };
  }

  /** Duty flags from workers.list; a worker without a flag counts as on duty. */
  setWorkers(workers: readonly Worker[]): void {
    this.duty = new Map(workers.map((w) => [w.id, w.onDuty]));
    this.version++;
    this.cached = null;
  }

  isOnDuty(id: string): boolean {
    return this.duty.get(id) ?? true;
  }

  /** Applies fixes; an older fix than the one held is ignored (the link is lossy and may reorder). Returns how many changed. */
  upsert(fixes: readonly PositionFix[]): number {
    let changed = 0;
    for (const f of fixes) {
      let i = this.index.get(f.workerId);
      if (i === undefined) {
        i = this.ids.length;
        this.grow(i + 1);
        this.ids.push(f.workerId);
        this.index.set(f.workerId, i);
        this.at[i] = -Infinity;
      } else if (f.at <= this.at[i]!) {
        continue;
      }
      const [x, y] = this.toDisplay(f.lon, f.lat);
      this.pos[2 * i] = x;
      this.pos[2 * i + 1] = y;
      this.wgs[2 * i] = f.lon;
      this.wgs[2 * i + 1] = f.lat;
      this.at[i] = f.at;
      // deck.gl's angle turns counter-clockwise; a compass heading turns clockwise from north.
      if (f.heading !== null && Number.isFinite(f.heading)) this.angle[i] = -f.heading;
      this.paint(i, Math.max(this.paintedAt, f.at));
      changed++;
    }
    if (changed > 0) {
      this.version++;
      this.cached = null;
    }
    return changed;
  }

  /**
   * Recolours every worker for `now` (duty, age fade); the selected worker is never faded.
   * True when a colour changed (the data is then new; otherwise it stays the same object).
   */
  recolor(now: number, colors: WorkerColors, selectedId: string | null = null): boolean {
    this.colors = colors;
    this.selectedId = selectedId;
    this.paintedAt = now;
    let changed = false;
    for (let i = 0; i < this.ids.length; i++) if (this.paint(i, now)) changed = true;
    if (changed) {
      this.version++;
      this.cached = null;
    }
    return changed;
  }

  private colors: WorkerColors = { onDuty: [0, 160, 90, 255], offDuty: [140, 150, 160, 230] };
  private selectedId: string | null = null;
  private paintedAt = -Infinity;

  /** Paints worker i for `now`; true when its colour changed. */
  private paint(i: number, now: number): boolean {
    const id = this.ids[i]!;
    const base = this.isOnDuty(id) ? this.colors.onDuty : this.colors.offDuty;
    const fade = id === this.selectedId ? 1 : freshness(now - this.at[i]!);
    const c = this.color;
    const k = 4 * i;
    const alpha = Math.round(base[3] * fade);
    if (c[k] === base[0] && c[k + 1] === base[1] && c[k + 2] === base[2] && c[k + 3] === alpha) return false;
    c[k] = base[0];
    c[k + 1] = base[1];
    c[k + 2] = base[2];
    c[k + 3] = alpha;
    return true;
  }

  /**
   * The binary data for deck.gl: a new wrapper object after each change (deck.gl
   * re-reads the buffers on a new `data`), the same object while nothing changed.
   */
  data(): BinaryPoints {
    this.cached ??= {
      length: this.ids.length,
      attributes: {
        getPosition: { value: this.pos.subarray(0, 2 * this.ids.length), size: 2 },
        getFillColor: { value: this.color.subarray(0, 4 * this.ids.length), size: 4, normalized: true },
        getAngle: { value: this.angle.subarray(0, this.ids.length), size: 1 },
      },
    };
    return this.cached;
  }

  private grow(n: number): void {
    if (n <= this.capacity) return;
    const capacity = Math.max(64, this.capacity * 2, n);
    const copy = <T extends Float32Array | Float64Array | Uint8Array>(old: T, make: (len: number) => T, per: number): T => {
      const next = make(capacity * per);
      next.set(old);
      return next;
    };
    this.pos = copy(this.pos, (l) => new Float32Array(l), 2);
    this.wgs = copy(this.wgs, (l) => new Float64Array(l), 2);
    this.color = copy(this.color, (l) => new Uint8Array(l), 4);
    this.angle = copy(this.angle, (l) => new Float32Array(l), 1);
    this.at = copy(this.at, (l) => new Float64Array(l), 1);
    this.capacity = capacity;
  }
}
