// Synthetic but plausible administrative geography that tiles exactly.
//
// Clipping Voronoi cells to a parent polygon (turf/intersect) makes new vertices
// where a child's edge meets the parent's; the neighbouring village does not
// have them, and once coordinates are rounded for the file those T-junctions
// open slivers of tens of square metres. So the generator works the other way
// round: it lays one fine mesh of small Lloyd-relaxed Voronoi cells ("atoms",
// a few hundred metres across) over the whole area and builds every town,
// village and grid as a union of atoms. Neighbours then share the very same
// vertices (circumcentres, rounded once to 6 decimals, ~0.1 m) and the tiling is
// exact at every level by construction. Regions are grown by a capacity-
// constrained Lloyd iteration on the atoms (additively weighted, i.e. a power
// diagram), which gives compact, convex-ish shapes of chosen relative sizes.
import { Delaunay } from 'd3-delaunay';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { Rng } from './random';

/** Metres per degree on the WGS84 ellipsoid at mid latitudes: good to 0.1 % over a county. */
const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LON_EQUATOR = 111_320;

/** Round to 6 decimals (~0.1 m), the precision of the files. */
export const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

/** A local equirectangular projection in metres around (lon0, lat0). */
export interface LocalProjection {
  lon0: number;
  lat0: number;
  toLonLat(x: number, y: number): [number, number];
  toXY(lon: number, lat: number): [number, number];
}

export function localProjection(lon0: number, lat0: number): LocalProjection {
  const mLon = M_PER_DEG_LON_EQUATOR * Math.cos((lat0 * Math.PI) / 180);
  return {
    lon0,
    lat0,
    toLonLat: (x, y) => [lon0 + x / mLon, lat0 + y / M_PER_DEG_LAT],
    toXY: (lon, lat) => [(lon - lon0) * mLon, (lat - lat0) * M_PER_DEG_LAT],
  };
}

/** The mesh every region is made of. Indexed by atom number. */
export interface Atoms {
  count: number;
  /** Centroids in local metres. */
  x: Float64Array;
  y: Float64Array;
  /** Areas in square metres. */
  area: Float64Array;
  /** True for cells at the mesh's edge (open or reaching out of the box): never used. */
  border: Uint8Array;
  /** Counter-clockwise rings as vertex ids (not closed). */
  rings: number[][];
  /** Vertex id → rounded [lon, lat]. */
  vertices: Position[];
  /** Atoms sharing an edge of non-zero length after rounding, ascending. */
  neighbours: number[][];
}

export interface MeshOptions {
  /** Centre of the box, WGS84. */
  lon: number;
  lat: number;
  /** Half the box's width and height, metres. */
  halfSizeM: number;
  /** Typical distance between atom centres, metres. */
  spacingM: number;
  /** Lloyd iterations: 2 gives even but still organic cells. */
  relax?: number;
}

/** Lay a relaxed Voronoi mesh over a square box. Deterministic for a given rng state. */
export function buildAtoms(options: MeshOptions, rng: Rng): { atoms: Atoms; projection: LocalProjection } {
  const { halfSizeM: h, spacingM: s } = options;
  const projection = localProjection(options.lon, options.lat);
  const n = Math.max(2, Math.ceil((2 * h) / s));
  const points = new Float64Array(n * n * 2);
  // A jittered lattice rather than pure noise: no clumps, so two Lloyd steps suffice.
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const k = (r * n + c) * 2;
      points[k] = -h + (c + rng.float(0.05, 0.95)) * ((2 * h) / n);
      points[k + 1] = -h + (r + rng.float(0.05, 0.95)) * ((2 * h) / n);
    }
  }
  const bounds: [number, number, number, number] = [-h, -h, h, h];
  for (let it = 0; it < (options.relax ?? 2); it++) {
    const voronoi = new Delaunay(points).voronoi(bounds);
    for (let i = 0; i < n * n; i++) {
      const cell = voronoi.cellPolygon(i);
      if (!cell) continue;
      const [cx, cy] = ringCentroid(cell.slice(0, -1) as [number, number][]);
      points[i * 2] = cx;
      points[i * 2 + 1] = cy;
    }
  }
  return { atoms: atomsOf(new Delaunay(points), h, projection), projection };
}

function atomsOf(delaunay: Delaunay<Delaunay.Point>, h: number, projection: LocalProjection): Atoms {
  const { triangles, halfedges, inedges, points } = delaunay;
  const count = points.length / 2;
  const tCount = triangles.length / 3;
  // Circumcentres: the Voronoi vertices, one per triangle (vertex id = triangle index).
  const cx = new Float64Array(tCount);
  const cy = new Float64Array(tCount);
  const vertices: Position[] = new Array<Position>(tCount);
  for (let t = 0; t < tCount; t++) {
    const [ax, ay, bx, by, qx, qy] = [0, 1, 2].flatMap((j) => {
      const p = triangles[t * 3 + j]!;
      return [points[p * 2]!, points[p * 2 + 1]!];
    }) as [number, number, number, number, number, number];
    const dx = bx - ax;
    const dy = by - ay;
    const ex = qx - ax;
    const ey = qy - ay;
    const d = 2 * (dx * ey - dy * ex);
    // A flat triangle only occurs on the hull; its cell is marked as border below.
    const ox = Math.abs(d) < 1e-12 ? (ax + qx) / 2 : ax + (ey * (dx * dx + dy * dy) - dy * (ex * ex + ey * ey)) / d;
    const oy = Math.abs(d) < 1e-12 ? (ay + qy) / 2 : ay + (dx * (ex * ex + ey * ey) - ex * (dx * dx + dy * dy)) / d;
    cx[t] = ox;
    cy[t] = oy;
    const [lon, lat] = projection.toLonLat(ox, oy);
    vertices[t] = [round6(lon), round6(lat)];
  }

  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const area = new Float64Array(count);
  const border = new Uint8Array(count);
  const rings: number[][] = [];
  const openCell = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const ring: number[] = [];
    const e0 = inedges[i]!;
    let open = e0 === -1;
    let e = e0;
    if (!open) {
      do {
        ring.push(Math.floor(e / 3));
        e = e % 3 === 2 ? e - 2 : e + 1;
        e = halfedges[e]!;
        if (e === -1) open = true;
      } while (!open && e !== e0);
    }
    const xy = ring.map((t) => [cx[t]!, cy[t]!] as [number, number]);
    const a = signedArea(xy);
    if (a < 0) ring.reverse();
    const outOfBox = xy.some(([px, py]) => Math.abs(px) > h || Math.abs(py) > h);
    if (open || outOfBox || ring.length < 3) border[i] = 1;
    if (open) openCell[i] = 1;
    const [mx, my] = ring.length >= 3 ? ringCentroid(xy) : [points[i * 2]!, points[i * 2 + 1]!];
    x[i] = mx;
    y[i] = my;
    area[i] = Math.abs(a);
    rings.push(ring);
  }

  // Neighbours through edges that keep a length after rounding, so that a region
  // connected through them is connected in the file too.
  const edgeOwner = new Map<string, number>();
  const neighbourSets: Set<number>[] = Array.from({ length: count }, () => new Set<number>());
  // Border atoms take part: the outline's hole filling walks in from them.
  for (let i = 0; i < count; i++) {
    const ring = rings[i]!;
    ring.forEach((u, k) => {
      // An open cell's ring does not close: its last vertex does not join its first.
      if (openCell[i] && k === ring.length - 1) return;
      const v = ring[(k + 1) % ring.length]!;
      if (samePosition(vertices[u]!, vertices[v]!)) return;
      const key = u < v ? `${u},${v}` : `${v},${u}`;
      const other = edgeOwner.get(key);
      if (other === undefined) edgeOwner.set(key, i);
      else {
        neighbourSets[i]!.add(other);
        neighbourSets[other]!.add(i);
      }
    });
  }
  const neighbours = neighbourSets.map((set) => [...set].sort((p, q) => p - q));
  return { count, x, y, area, border, rings, vertices, neighbours };
}

const samePosition = (p: Position, q: Position): boolean => p[0] === q[0] && p[1] === q[1];

function signedArea(ring: readonly (readonly [number, number])[]): number {
  let s = 0;
  for (let k = 0; k < ring.length; k++) {
    const [x0, y0] = ring[k]!;
    const [x1, y1] = ring[(k + 1) % ring.length]!;
    s += x0 * y1 - x1 * y0;
  }
  return s / 2;
}

function ringCentroid(ring: readonly (readonly [number, number])[]): [number, number] {
  let a = 0;
  let sx = 0;
  let sy = 0;
  for (let k = 0; k < ring.length; k++) {
    const [x0, y0] = ring[k]!;
    const [x1, y1] = ring[(k + 1) % ring.length]!;
    const f = x0 * y1 - x1 * y0;
    a += f;
    sx += (x0 + x1) * f;
    sy += (y0 + y1) * f;
  }
  if (a === 0) return [ring[0]?.[0] ?? 0, ring[0]?.[1] ?? 0];
  return [sx / (3 * a), sy / (3 * a)];
}

// ---------------------------------------------------------------- regions

/** The atoms whose centres lie inside an irregular, star-shaped blob, without holes. */
export function blob(atoms: Atoms, centre: [number, number], radiusM: number, rng: Rng, roughness = 0.1): number[] {
  // A few random harmonics make an outline that is irregular at several scales.
  const harmonics = [2, 3, 4, 5, 7].map((k) => ({ k, amp: (rng.float(0.4, 1) * roughness * 2) / k, phase: rng.float(0, 2 * Math.PI) }));
  const radius = (theta: number): number => radiusM * (1 + harmonics.reduce((s, { k, amp, phase }) => s + amp * Math.cos(k * theta + phase), 0));
  const inside = new Uint8Array(atoms.count);
  for (let i = 0; i < atoms.count; i++) {
    if (atoms.border[i]) continue;
    const dx = atoms.x[i]! - centre[0];
    const dy = atoms.y[i]! - centre[1];
    if (Math.hypot(dx, dy) <= radius(Math.atan2(dy, dx))) inside[i] = 1;
  }
  return solidify(atoms, inside);
}

/** The largest connected part of a set, with its holes filled. */
function solidify(atoms: Atoms, inside: Uint8Array): number[] {
  const members = [...inside.keys()].filter((i) => inside[i]);
  const parts = components(atoms, members, (i) => inside[i] === 1);
  const main = parts.reduce((best, part) => (part.length > best.length ? part : best), [] as number[]);
  const keep = new Uint8Array(atoms.count);
  for (const i of main) keep[i] = 1;
  // Whatever outside atom cannot reach the mesh's border through outside atoms is a hole.
  const outside = (i: number): boolean => keep[i] === 0;
  const reached = new Uint8Array(atoms.count);
  const queue: number[] = [];
  for (let i = 0; i < atoms.count; i++) {
    if (atoms.border[i] && outside(i)) {
      reached[i] = 1;
      queue.push(i);
    }
  }
  for (let q = 0; q < queue.length; q++) {
    for (const j of atoms.neighbours[queue[q]!]!) {
      if (!reached[j] && outside(j)) {
        reached[j] = 1;
        queue.push(j);
      }
    }
  }
  const out: number[] = [];
  for (let i = 0; i < atoms.count; i++) if (keep[i] || (!reached[i] && !atoms.border[i])) out.push(i);
  return out;
}

/** Connected components of `members` (ascending), each ascending. */
function components(atoms: Atoms, members: readonly number[], within: (i: number) => boolean): number[][] {
  const seen = new Set<number>();
  const out: number[][] = [];
  for (const start of members) {
    if (seen.has(start)) continue;
    const part = [start];
    seen.add(start);
    for (let q = 0; q < part.length; q++) {
      for (const j of atoms.neighbours[part[q]!]!) {
        if (!seen.has(j) && within(j)) {
          seen.add(j);
          part.push(j);
        }
      }
    }
    out.push(part.sort((p, q) => p - q));
  }
  return out;
}

export interface PartitionOptions {
  /** Relative sizes (areas) of the regions; their count is the number of regions. */
  weights: readonly number[];
  /** Starting centres in local metres, one per region; a null or missing one is chosen by seeded k-means++. */
  initial?: readonly (readonly [number, number] | null)[];
  iterations?: number;
}

/**
 * Split `members` into connected regions of roughly the given relative areas:
 * Lloyd's iteration on the atoms with additive weights (a power diagram), whose
 * cells are convex, then a repair that hands stray fragments to a neighbour.
 * Returns the atoms of each region, ascending, in the order of `weights`.
 */
export function partition(atoms: Atoms, members: readonly number[], options: PartitionOptions, rng: Rng): number[][] {
  const k = options.weights.length;
  if (k === 0) return [];
  if (members.length < k) throw new RangeError(`cannot split ${members.length} atoms into ${k} regions`);
  const n = members.length;
  const totalArea = members.reduce((s, i) => s + atoms.area[i]!, 0);
  const weightSum = options.weights.reduce((s, w) => s + w, 0);
  const target = options.weights.map((w) => (totalArea * w) / weightSum);

  const cx = new Float64Array(k);
  const cy = new Float64Array(k);
  const fixed = options.weights.map((_, r) => options.initial?.[r] ?? null);
  kMeansPlusPlus(atoms, members, fixed, rng, cx, cy);
  const power = new Float64Array(k);
  const assign = new Int32Array(n);

  const assignAll = (): void => {
    for (let m = 0; m < n; m++) {
      const i = members[m]!;
      let best = 0;
      let bestD = Infinity;
      for (let r = 0; r < k; r++) {
        const dx = atoms.x[i]! - cx[r]!;
        const dy = atoms.y[i]! - cy[r]!;
        const d = dx * dx + dy * dy - power[r]!;
        if (d < bestD) {
          bestD = d;
          best = r;
        }
      }
      assign[m] = best;
    }
  };

  const iterations = options.iterations ?? 40;
  for (let it = 0; it < iterations; it++) {
    assignAll();
    const area = new Float64Array(k);
    const sx = new Float64Array(k);
    const sy = new Float64Array(k);
    for (let m = 0; m < n; m++) {
      const i = members[m]!;
      const r = assign[m]!;
      const a = atoms.area[i]!;
      area[r] = area[r]! + a;
      sx[r] = sx[r]! + atoms.x[i]! * a;
      sy[r] = sy[r]! + atoms.y[i]! * a;
    }
    for (let r = 0; r < k; r++) {
      if (area[r]! > 0) {
        cx[r] = sx[r]! / area[r]!;
        cy[r] = sy[r]! / area[r]!;
        // Raising a power weight by δ moves the cell's edges out by δ/(2d) and grows
        // it by about 1.7δ for compact cells; a step of 0.4 ΔS settles without
        // oscillating, together with the Lloyd move of the centre.
        power[r] = power[r]! + 0.4 * (target[r]! - area[r]!);
      } else {
        // An emptied region restarts on a random atom of the member set.
        const i = members[rng.int(0, n - 1)]!;
        cx[r] = atoms.x[i]!;
        cy[r] = atoms.y[i]!;
        power[r] = 0;
      }
    }
    const mean = power.reduce((s, p) => s + p, 0) / k;
    for (let r = 0; r < k; r++) power[r] = power[r]! - mean;
  }
  assignAll();

  const region = new Map<number, number>();
  members.forEach((i, m) => region.set(i, assign[m]!));
  repairConnectivity(atoms, members, region, k);
  const out: number[][] = Array.from({ length: k }, () => []);
  for (const i of members) out[region.get(i)!]!.push(i);
  for (const list of out) list.sort((p, q) => p - q);
  if (out.some((list) => list.length === 0)) throw new RangeError('a region came out empty: too few atoms for the regions asked');
  return out;
}

/** Fill the centres not given with seeded k-means++ picks, spread away from those chosen so far. */
function kMeansPlusPlus(
  atoms: Atoms,
  members: readonly number[],
  given: readonly (readonly [number, number] | null)[],
  rng: Rng,
  cx: Float64Array,
  cy: Float64Array,
): void {
  const d2 = members.map(() => Infinity);
  const chosen = (r: number): void => {
    members.forEach((j, m) => {
      d2[m] = Math.min(d2[m]!, (atoms.x[j]! - cx[r]!) ** 2 + (atoms.y[j]! - cy[r]!) ** 2);
    });
  };
  given.forEach((p, r) => {
    if (!p) return;
    cx[r] = p[0];
    cy[r] = p[1];
    chosen(r);
  });
  for (let r = 0; r < given.length; r++) {
    if (given[r]) continue;
    if (d2.every((d) => d === Infinity)) {
      const first = members[rng.int(0, members.length - 1)]!;
      cx[r] = atoms.x[first]!;
      cy[r] = atoms.y[first]!;
      chosen(r);
      continue;
    }
    const total = d2.reduce((s, d) => s + d, 0);
    let pick = rng.float(0, total);
    let pickIndex = members.length - 1;
    for (let m = 0; m < members.length; m++) {
      pick -= d2[m]!;
      if (pick <= 0) {
        pickIndex = m;
        break;
      }
    }
    const i = members[pickIndex]!;
    cx[r] = atoms.x[i]!;
    cy[r] = atoms.y[i]!;
    chosen(r);
  }
}

/** Give every fragment cut off from its region's main part to the neighbouring region it touches most. */
function repairConnectivity(atoms: Atoms, members: readonly number[], region: Map<number, number>, k: number): void {
  for (let pass = 0; pass < 20; pass++) {
    let moved = false;
    for (let r = 0; r < k; r++) {
      const mine = members.filter((i) => region.get(i) === r);
      const parts = components(atoms, mine, (i) => region.get(i) === r);
      if (parts.length <= 1) continue;
      const main = parts.reduce((best, part) => (part.length > best.length ? part : best));
      for (const part of parts) {
        if (part === main) continue;
        const touching = new Map<number, number>();
        for (const i of part) {
          for (const j of atoms.neighbours[i]!) {
            const other = region.get(j);
            if (other !== undefined && other !== r) touching.set(other, (touching.get(other) ?? 0) + 1);
          }
        }
        const [to] = [...touching.entries()].sort((p, q) => q[1] - p[1] || p[0] - q[0])[0] ?? [];
        if (to === undefined) continue;
        for (const i of part) region.set(i, to);
        moved = true;
      }
    }
    if (!moved) return;
  }
}

/** Split a region into its connected parts (used to check carve-outs). */
export function connectedParts(atoms: Atoms, members: readonly number[]): number[][] {
  const set = new Set(members);
  return components(atoms, [...members].sort((p, q) => p - q), (i) => set.has(i));
}

// ---------------------------------------------------------------- geometry

/**
 * The outline of a set of atoms as GeoJSON: edges shared by two members cancel,
 * the rest chain into rings (outer counter-clockwise, holes clockwise, RFC 7946).
 * Every vertex is an atom vertex, so neighbouring regions match exactly.
 */
export function regionGeometry(atoms: Atoms, members: readonly number[]): Polygon | MultiPolygon {
  const next = new Map<number, number>();
  const cancelled = new Set<string>();
  const edges: [number, number][] = [];
  for (const i of members) {
    const ring = atoms.rings[i]!;
    ring.forEach((u, k) => {
      const v = ring[(k + 1) % ring.length]!;
      edges.push([u, v]);
    });
  }
  const present = new Set(edges.map(([u, v]) => `${u},${v}`));
  for (const [u, v] of edges) {
    if (present.has(`${v},${u}`)) cancelled.add(`${u},${v}`);
  }
  for (const [u, v] of edges) {
    if (cancelled.has(`${u},${v}`)) continue;
    // Every Voronoi vertex has degree 3, so a boundary vertex has one outgoing boundary edge.
    if (next.has(u)) throw new Error(`region boundary branches at vertex ${u}`);
    next.set(u, v);
  }

  const rings: Position[][] = [];
  const used = new Set<number>();
  for (const start of [...next.keys()].sort((p, q) => p - q)) {
    if (used.has(start)) continue;
    const ids: number[] = [];
    for (let u: number | undefined = start; u !== undefined && !used.has(u); u = next.get(u)) {
      used.add(u);
      ids.push(u);
    }
    const ring: Position[] = [];
    for (const id of ids) {
      const p = atoms.vertices[id]!;
      const last = ring[ring.length - 1];
      if (!last || !samePosition(last, p)) ring.push(p);
    }
    while (ring.length > 1 && samePosition(ring[0]!, ring[ring.length - 1]!)) ring.pop();
    if (ring.length < 3) continue;
    rings.push(canonicalRing(ring));
  }

  const outers = rings.filter((r) => lonLatArea(r) > 0).sort((p, q) => lonLatArea(q) - lonLatArea(p));
  const holes = rings.filter((r) => lonLatArea(r) < 0);
  const polygons: Position[][][] = outers.map((outer) => [outer]);
  for (const hole of holes) {
    const owner = polygons.find(([outer]) => pointInRing(hole[0]!, outer!)) ?? polygons[0];
    owner?.push(hole);
  }
  const closed = polygons.map((poly) => poly.map((ring) => [...ring, ring[0]!]));
  if (closed.length === 1) return { type: 'Polygon', coordinates: closed[0]! };
  return { type: 'MultiPolygon', coordinates: closed };
}

/** Start a ring at its smallest vertex (lon, then lat), so output does not depend on traversal order. */
function canonicalRing(ring: Position[]): Position[] {
  let best = 0;
  ring.forEach((p, k) => {
    const b = ring[best]!;
    if (p[0]! < b[0]! || (p[0] === b[0] && p[1]! < b[1]!)) best = k;
  });
  return [...ring.slice(best), ...ring.slice(0, best)];
}

function lonLatArea(ring: readonly Position[]): number {
  return signedArea(ring.map((p) => [p[0]!, p[1]!] as [number, number]));
}

function pointInRing(point: Position, ring: readonly Position[]): boolean {
  const [px, py] = [point[0]!, point[1]!];
  let inside = false;
  for (let a = 0, b = ring.length - 1; a < ring.length; b = a++) {
    const [xa, ya] = [ring[a]![0]!, ring[a]![1]!];
    const [xb, yb] = [ring[b]![0]!, ring[b]![1]!];
    if (ya > py !== yb > py && px < ((xb - xa) * (py - ya)) / (yb - ya) + xa) inside = !inside;
  }
  return inside;
}

/** Sum of atom areas, square metres. */
export function membersArea(atoms: Atoms, members: readonly number[]): number {
  return members.reduce((s, i) => s + atoms.area[i]!, 0);
}

/** Area-weighted centroid of a set of atoms, local metres. */
export function membersCentroid(atoms: Atoms, members: readonly number[]): [number, number] {
  let a = 0;
  let sx = 0;
  let sy = 0;
  for (const i of members) {
    const w = atoms.area[i]!;
    a += w;
    sx += atoms.x[i]! * w;
    sy += atoms.y[i]! * w;
  }
  return a > 0 ? [sx / a, sy / a] : [0, 0];
}
