// The last minutes of every worker's walk, kept from the `positions` pushes in a
// small ring buffer per worker, and flattened on demand into one binary path
// buffer for deck.gl's PathLayer (start indices + a Float32Array of vertices).

export const TRAIL_MINUTES = 10;
/**
 * Trail vertices are kept at least this far apart in time (the newest one follows
 * the worker): ten minutes of walking drawn in 40 points look the same as in 120,
 * and ten thousand workers' trails stay a buffer deck.gl can rebuild every second.
 */
export const TRAIL_SPACING_MS = 15_000;
/** Vertices kept per worker: ten minutes at the spacing, and some slack. */
export const TRAIL_CAPACITY = 64;

export interface BinaryPaths {
  length: number;
  startIndices: Uint32Array;
  attributes: { getPath: { value: Float32Array; size: 2 } };
  /** Worker id of each path, for tests and tooltips. */
  ids: string[];
}

class Ring {
  readonly lon = new Float64Array(TRAIL_CAPACITY);
  readonly lat = new Float64Array(TRAIL_CAPACITY);
  readonly at = new Float64Array(TRAIL_CAPACITY);
  start = 0;
  size = 0;

  push(lon: number, lat: number, at: number, spacingMs: number): boolean {
    const last = (this.start + this.size - 1) % TRAIL_CAPACITY;
    if (this.size > 0 && at <= this.at[last]!) return false;
    // The head (newest vertex) follows the worker; it stays behind as a vertex once it is a spacing past the one before.
    if (this.size >= 2 && this.at[last]! - this.at[(this.start + this.size - 2) % TRAIL_CAPACITY]! < spacingMs) {
      this.lon[last] = lon;
      this.lat[last] = lat;
      this.at[last] = at;
      return true;
    }
    const slot = (this.start + this.size) % TRAIL_CAPACITY;
    this.lon[slot] = lon;
    this.lat[slot] = lat;
    this.at[slot] = at;
    if (this.size < TRAIL_CAPACITY) this.size++;
    else this.start = (this.start + 1) % TRAIL_CAPACITY;
    return true;
  }

  /** Drops fixes older than the cut-off from the front. */
  expire(cutoff: number): void {
    while (this.size > 0 && this.at[this.start]! < cutoff) {
      this.start = (this.start + 1) % TRAIL_CAPACITY;
      this.size--;
    }
  }
}

export class TrailStore {
  private rings = new Map<string, Ring>();
  private cached: BinaryPaths | null = null;
  version = 0;

  constructor(
    private readonly windowMs = TRAIL_MINUTES * 60_000,
    private readonly toDisplay: (lon: number, lat: number) => [number, number] = (lon, lat) => [lon, lat],
    private readonly spacingMs = TRAIL_SPACING_MS,
  ) {}

  /** Adds fixes (display coordinates are computed here); late or repeated fixes are ignored. */
  push(fixes: ReadonlyArray<{ workerId: string; lon: number; lat: number; at: number }>): void {
    let changed = false;
    for (const f of fixes) {
      let ring = this.rings.get(f.workerId);
      if (!ring) {
        ring = new Ring();
        this.rings.set(f.workerId, ring);
      }
      const [x, y] = this.toDisplay(f.lon, f.lat);
      if (ring.push(x, y, f.at, this.spacingMs)) changed = true;
    }
    if (changed) {
      this.version++;
      this.cached = null;
    }
  }

  /**
   * The trails as of `now`: one path per worker with at least two fixes inside the
   * window, and, given a box (display coordinates), only of the workers now inside it.
   */
  build(now: number, box?: readonly [number, number, number, number]): BinaryPaths {
    const key = `${now}|${box?.join(',') ?? ''}`;
    if (this.cached && this.cachedKey === key) return this.cached;
    const cutoff = now - this.windowMs;
    let vertices = 0;
    let paths = 0;
    const inside = (ring: Ring): boolean => {
      if (!box) return true;
      const head = (ring.start + ring.size - 1) % TRAIL_CAPACITY;
      const x = ring.lon[head]!;
      const y = ring.lat[head]!;
      return x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3];
    };
    const chosen: [string, Ring][] = [];
    for (const entry of this.rings) {
      const ring = entry[1];
      ring.expire(cutoff);
      if (ring.size >= 2 && inside(ring)) {
        vertices += ring.size;
        paths++;
        chosen.push(entry);
      }
    }
    const value = new Float32Array(vertices * 2);
    const startIndices = new Uint32Array(paths + 1);
    const ids: string[] = [];
    let v = 0;
    let p = 0;
    for (const [id, ring] of chosen) {
      startIndices[p++] = v;
      ids.push(id);
      for (let k = 0; k < ring.size; k++) {
        const slot = (ring.start + k) % TRAIL_CAPACITY;
        value[2 * v] = ring.lon[slot]!;
        value[2 * v + 1] = ring.lat[slot]!;
        v++;
      }
    }
    startIndices[p] = v;
    this.cached = { length: paths, startIndices, attributes: { getPath: { value, size: 2 } }, ids };
    this.cachedKey = key;
    return this.cached;
  }

  private cachedKey = '';

  /** Number of fixes held for a worker (tests, diagnostics). */
  sizeOf(workerId: string): number {
    return this.rings.get(workerId)?.size ?? 0;
  }
}
