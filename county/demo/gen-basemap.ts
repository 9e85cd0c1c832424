// The demo town's offline base map (resources/basemap/demo/basemap.geojson), grown
// from the demo town's own geometry so the two always fit: village areas are the
// villages' polygons; the river 汨水 crosses the town; a county road runs through
// the town seat (南环社区) and village roads link every village centre and grid to
// it; ponds, a reservoir, the built-up area at each village centre and hamlets
// strung along the roads fill the rest. Synthetic, like the town itself.
//
//   npx tsx county/demo/gen-basemap.ts [--seed N] [--town FILE] [--out FILE]
//
// Deterministic: the same seed and town give the same bytes (county/demo/gen-basemap.test.ts
// compares the committed file with a fresh generation).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import pointOnFeature from '@turf/point-on-feature';
import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon, Position } from 'geojson';
import { localProjection, type LocalProjection } from './geography';
import { createRng, type Rng } from './random';
import type { TownDataset } from './town';
import type { Grid } from '../../core/model';
import { parseFlags } from '../../node-common/flags';
import { cliArgs, seedFlag } from './cli';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_TOWN_FILE = resolve(ROOT, 'resources/demo-town/town.json');
export const DEFAULT_OUT = resolve(ROOT, 'resources/basemap/demo/basemap.geojson');
export const BASEMAP_SEED = 20241112;

/** What each feature is, in `properties.layer`; the style (renderer/src/map/basemap.ts) filters on it. */
export type BasemapLayer = 'village' | 'water' | 'river' | 'road' | 'settlement' | 'label';

export interface BasemapProperties {
  layer: BasemapLayer;
  /** road: county | village | track; river: major | stream; water: reservoir | pond; settlement: seat | centre | hamlet; label: town | village | water | road. */
  class?: string;
  name?: string;
  code?: string;
  /** Labels: 1 shows first (zoomed out), 3 last. */
  rank?: number;
}

export type BasemapFeature = Feature<Polygon | MultiPolygon | LineString | { type: 'Point'; coordinates: Position }, BasemapProperties>;

type XY = [number, number];

// ---------------------------------------------------------------- plane geometry (local metres)

const dist = (a: XY, b: XY): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** The closest point of segment ab to p, and its parameter t in [0, 1]. */
function closestOnSegment(p: XY, a: XY, b: XY): { point: XY; t: number } {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return { point: [a[0] + t * dx, a[1] + t * dy], t };
}

function closestOnLine(p: XY, line: readonly XY[]): { point: XY; distance: number } {
  let best: { point: XY; distance: number } = { point: line[0] ?? p, distance: Infinity };
  for (let i = 1; i < line.length; i++) {
    const { point } = closestOnSegment(p, line[i - 1]!, line[i]!);
    const d = dist(p, point);
    if (d < best.distance) best = { point, distance: d };
  }
  return best;
}

const distanceToLines = (p: XY, lines: readonly (readonly XY[])[]): number =>
  lines.reduce((m, line) => Math.min(m, closestOnLine(p, line).distance), Infinity);

function segmentsCross(a: XY, b: XY, c: XY, d: XY): boolean {
  const cross = (o: XY, p: XY, q: XY): number => (p[0] - o[0]) * (q[1] - o[1]) - (p[1] - o[1]) * (q[0] - o[0]);
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  return d1 * d2 < 0 && d3 * d4 < 0;
}

/** How many times two polylines cross. */
function crossings(p: readonly XY[], q: readonly XY[]): number {
  let n = 0;
  for (let i = 1; i < p.length; i++) for (let j = 1; j < q.length; j++) if (segmentsCross(p[i - 1]!, p[i]!, q[j - 1]!, q[j]!)) n++;
  return n;
}

function lineLength(line: readonly XY[]): number {
  let s = 0;
  for (let i = 1; i < line.length; i++) s += dist(line[i - 1]!, line[i]!);
  return s;
}

/** Points every `step` metres along a polyline, with the local direction (unit vector). */
function along(line: readonly XY[], step: number): { at: XY; dir: XY }[] {
  const out: { at: XY; dir: XY }[] = [];
  let carry = 0;
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1]!;
    const b = line[i]!;
    const len = dist(a, b);
    if (len === 0) continue;
    const dir: XY = [(b[0] - a[0]) / len, (b[1] - a[1]) / len];
    let s = carry;
    while (s < len) {
      out.push({ at: [a[0] + dir[0] * s, a[1] + dir[1] * s], dir });
      s += step;
    }
    carry = s - len;
  }
  return out;
}

/** A Catmull-Rom spline through the control points, sampled about every `step` metres. */
function spline(points: readonly XY[], step: number): XY[] {
  if (points.length < 2) return [...points];
  const out: XY[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const p0 = points[Math.max(0, i - 1)]!;
    const p1 = points[i]!;
    const p2 = points[i + 1]!;
    const p3 = points[Math.min(points.length - 1, i + 2)]!;
    const n = Math.max(2, Math.ceil(dist(p1, p2) / step));
    for (let k = 0; k < n; k++) {
      const t = k / n;
      const t2 = t * t;
      const t3 = t2 * t;
      const f = (a: number, b: number, c: number, d: number): number =>
        0.5 * (2 * b + (-a + c) * t + (2 * a - 5 * b + 4 * c - d) * t2 + (-a + 3 * b - 3 * c + d) * t3);
      out.push([f(p0[0], p1[0], p2[0], p3[0]), f(p0[1], p1[1], p2[1], p3[1])]);
    }
  }
  out.push(points[points.length - 1]!);
  return out;
}

/** Sideways meanders: a sum of two sines along the line, fading to zero at both ends. */
function meander(line: readonly XY[], amplitude: number, wavelength: number, rng: Rng): XY[] {
  const total = lineLength(line);
  const phase1 = rng.float(0, 2 * Math.PI);
  const phase2 = rng.float(0, 2 * Math.PI);
  const w2 = wavelength * rng.float(0.35, 0.5);
  let s = 0;
  return line.map((p, i) => {
    if (i > 0) s += dist(line[i - 1]!, p);
    const a = line[Math.max(0, i - 1)]!;
    const b = line[Math.min(line.length - 1, i + 1)]!;
    const len = dist(a, b) || 1;
    const normal: XY = [-(b[1] - a[1]) / len, (b[0] - a[0]) / len];
    const fade = Math.sin((Math.PI * s) / total);
    const off = fade * amplitude * (Math.sin((2 * Math.PI * s) / wavelength + phase1) + 0.35 * Math.sin((2 * Math.PI * s) / w2 + phase2));
    return [p[0] + normal[0] * off, p[1] + normal[1] * off];
  });
}

/** A gently bent road or stream from a to b: one sideways control point, then a spline. */
function bentLine(a: XY, b: XY, bend: number, rng: Rng, step = 40): XY[] {
  const len = dist(a, b);
  const mid: XY = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const normal: XY = len === 0 ? [0, 0] : [-(b[1] - a[1]) / len, (b[0] - a[0]) / len];
  const off = rng.float(-bend, bend) * len;
  const c: XY = [mid[0] + normal[0] * off, mid[1] + normal[1] * off];
  return spline([a, c, b], step);
}

/** An irregular closed blob around a centre (radius in metres), counter-clockwise. */
function blobRing(centre: XY, radius: number, rng: Rng, points = 14, roughness = 0.25, stretch = 1): XY[] {
  const angle = rng.float(0, Math.PI);
  const ring: XY[] = [];
  const h1 = rng.float(0, 2 * Math.PI);
  const h2 = rng.float(0, 2 * Math.PI);
  for (let i = 0; i < points; i++) {
    const t = (2 * Math.PI * i) / points;
    const r = radius * (1 + roughness * (0.6 * Math.sin(2 * t + h1) + 0.4 * Math.sin(3 * t + h2)) + rng.float(-roughness, roughness) * 0.3);
    const x = r * Math.cos(t) * stretch;
    const y = (r * Math.sin(t)) / stretch;
    ring.push([centre[0] + x * Math.cos(angle) - y * Math.sin(angle), centre[1] + x * Math.sin(angle) + y * Math.cos(angle)]);
  }
  ring.push(ring[0]!);
  return ring;
}

/** Area-weighted centroid of a ring (local metres). */
function ringCentroid(ring: readonly XY[]): XY {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 1; i < ring.length; i++) {
    const [x0, y0] = ring[i - 1]!;
    const [x1, y1] = ring[i]!;
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  return a === 0 ? (ring[0] ?? [0, 0]) : [cx / (3 * a), cy / (3 * a)];
}

// ---------------------------------------------------------------- the town in local metres

interface Region {
  grid: Grid;
  /** Outer rings of every part, local metres. */
  rings: XY[][];
  centre: XY;
}

function outerRings(geometry: Polygon | MultiPolygon): Position[][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates[0] ?? []] : geometry.coordinates.map((p) => p[0] ?? []);
}

function regionOf(grid: Grid, proj: LocalProjection): Region {
  const rings = outerRings(grid.geometry).map((r) => r.map(([lon, lat]) => proj.toXY(lon!, lat!)));
  // The largest part's centroid, or a point surely inside when a concave shape puts the centroid out.
  const largest = rings.reduce((best, r) => (r.length > best.length ? r : best), rings[0] ?? []);
  let centre = ringCentroid(largest);
  const [lon, lat] = proj.toLonLat(centre[0], centre[1]);
  if (!booleanPointInPolygon([lon, lat], grid.geometry)) {
    const p = pointOnFeature(grid.geometry).geometry.coordinates as [number, number];
    centre = proj.toXY(p[0], p[1]);
  }
  return { grid, rings, centre };
}

// ---------------------------------------------------------------- generation

export interface BasemapOptions {
  seed?: number;
}

export function generateBasemap(town: TownDataset, options: BasemapOptions = {}): FeatureCollection<BasemapFeature['geometry'], BasemapProperties> {
  const rng = createRng(options.seed ?? BASEMAP_SEED);
  const frame = townFrame(town);
  const river = drawRiver(frame, rng.fork('river'));
  keepCentresDry(frame, river);
  const roads = drawRoads(frame, river, rng.fork('roads'));
  const waterRng = rng.fork('water');
  const reservoir = placeReservoir(frame, river, roads, waterRng);
  const streams = drawStreams(frame, river, roads, reservoir, waterRng);
  const water = [river, ...streams];
  const settlements = placeSettlements(frame, roads, water, reservoir, rng.fork('settlements'));
  const ponds = placePonds(frame, roads, water, reservoir, settlements, waterRng);
  return { type: 'FeatureCollection', features: toFeatures(town, frame, { river, roads, reservoir, streams, settlements, ponds }) };
}

/** The town in local metres: its regions, its bounds and its seat. */
interface TownFrame {
  proj: LocalProjection;
  townR: Region;
  villages: Region[];
  /** Basic grids only. */
  grids: Region[];
  inTown: (p: XY) => boolean;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  /** The town seat: the first community (南环社区, code …001) hosts the town government. */
  seatRegion: Region;
  seat: XY;
}

function townFrame(town: TownDataset): TownFrame {
  // Project around the town's own centre, so metres are true to 0.1 %.
  const outer0 = outerRings(town.town.geometry)[0] ?? [];
  const lon0 = outer0.reduce((s, p) => s + (p[0] ?? 0), 0) / Math.max(1, outer0.length);
  const lat0 = outer0.reduce((s, p) => s + (p[1] ?? 0), 0) / Math.max(1, outer0.length);
  const proj = localProjection(lon0, lat0);
  const townR = regionOf(town.town, proj);
  const villages = town.villages.map((v) => regionOf(v, proj));
  const grids = town.grids.filter((g) => g.kind === 'basic').map((g) => regionOf(g, proj));
  const inTown = (p: XY): boolean => booleanPointInPolygon(proj.toLonLat(p[0], p[1]), town.town.geometry);
  const [minX, minY, maxX, maxY] = townR.rings.flat().reduce<[number, number, number, number]>(
    (b, [x, y]) => [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)],
    [Infinity, Infinity, -Infinity, -Infinity],
  );
  const seatRegion = villages.find((v) => v.grid.code.endsWith('001')) ?? villages[0]!;
  return { proj, townR, villages, grids, inTown, minX, minY, maxX, maxY, seatRegion, seat: seatRegion.centre };
}

/** How far the river and the county road run on beyond the town's bounds. */
const MARGIN = 1500;

/** The river 汨水, east to west, north of the seat. */
function drawRiver(frame: TownFrame, riverRng: Rng): XY[] {
  const { seat, minX, maxX } = frame;
  const riverNorthOfSeat = 1300;
  const riverControls: XY[] = [
    [maxX + MARGIN, seat[1] + riverNorthOfSeat + riverRng.float(600, 1400)],
    [(maxX + seat[0]) / 2, seat[1] + riverNorthOfSeat + riverRng.float(100, 600)],
    [seat[0], seat[1] + riverNorthOfSeat + riverRng.float(-50, 150)],
    [(minX + seat[0]) / 2, seat[1] + riverNorthOfSeat + riverRng.float(-300, 300)],
    [minX - MARGIN, seat[1] + riverNorthOfSeat + riverRng.float(-900, 100)],
  ];
  const river = meander(spline(riverControls, 60), 330, 3200, riverRng);
  // Keep the seat's built-up area dry.
  if (closestOnLine(seat, river).distance < 650) return river.map(([x, y]) => [x, y + 300] as XY);
  return river;
}

/** Village and grid centres too close to the river move away from it (a village office stands on dry land). */
function keepCentresDry(frame: TownFrame, river: readonly XY[]): void {
  const riverSafe = (p: XY, min: number): XY => {
    const near = closestOnLine(p, river);
    if (near.distance >= min) return p;
    const dx = p[0] - near.point[0];
    const dy = p[1] - near.point[1];
    const len = Math.hypot(dx, dy) || 1;
    return [near.point[0] + (dx / len) * min, near.point[1] + (dy / len) * min];
  };
  for (const v of frame.villages) v.centre = riverSafe(v.centre, 280);
  for (const g of frame.grids) g.centre = riverSafe(g.centre, 120);
}

interface Roads {
  countyRoad: XY[];
  villageRoads: XY[][];
  tracks: XY[][];
  /** All of the above. */
  all: XY[][];
}

function drawRoads(frame: TownFrame, river: readonly XY[], roadRng: Rng): Roads {
  const countyRoad = drawCountyRoad(frame, roadRng);
  const villageRoads = drawVillageRoads(frame, river, countyRoad, roadRng);
  const tracks = drawTracks(frame, river, [countyRoad, ...villageRoads], roadRng);
  return { countyRoad, villageRoads, tracks, all: [countyRoad, ...villageRoads, ...tracks] };
}

/**
 * The county road: from outside the town in the south-west, through the seat and the
 * other community's centre, out in the north-east; it crosses 汨水 once, on a bridge.
 */
function drawCountyRoad(frame: TownFrame, roadRng: Rng): XY[] {
  const { seat, minX, minY, maxX, maxY } = frame;
  const second = frame.villages.find((v) => v.grid.code.endsWith('002'))?.centre ?? [seat[0] + 1000, seat[1] + 1000];
  const countyControls: XY[] = [
    [seat[0] - 0.55 * (seat[0] - minX + MARGIN), minY - MARGIN],
    [seat[0] - 250, seat[1] - 900],
    seat,
    second,
    [second[0] + 0.5 * (maxX + MARGIN - second[0]), maxY + MARGIN],
  ];
  return meander(spline(countyControls, 50), 60, 1800, roadRng);
}

/**
 * Village roads: each village centre to the nearest point of the network built so far,
 * nearest villages first, so the roads branch like a real network rather than a star.
 */
function drawVillageRoads(frame: TownFrame, river: readonly XY[], countyRoad: XY[], roadRng: Rng): XY[][] {
  const { seat, seatRegion } = frame;
  const villageRoads: XY[][] = [];
  const ordered = frame.villages.filter((v) => v !== seatRegion).sort((a, b) => dist(a.centre, seat) - dist(b.centre, seat));
  for (const v of ordered) {
    // Join the nearest road, but never along the river: a road that would cross 汨水
    // twice goes straight to the seat's bridge instead.
    let road = bentLine(v.centre, nearestOnNetwork(v.centre, [countyRoad, ...villageRoads]).point, 0.12, roadRng);
    if (crossings(road, river) > 1) road = bentLine(v.centre, seat, 0.05, roadRng);
    if (lineLength(road) > 60) villageRoads.push(road);
  }
  return villageRoads;
}

/** Tracks (村组道路): each grid's centre to its village's network. */
function drawTracks(frame: TownFrame, river: readonly XY[], network: readonly XY[][], roadRng: Rng): XY[][] {
  const tracks: XY[][] = [];
  for (const g of frame.grids) {
    const village = frame.villages.find((v) => v.grid.code === g.grid.parent);
    if (!village || dist(g.centre, village.centre) < 150) continue;
    let road = bentLine(g.centre, nearestOnNetwork(g.centre, [...network, ...tracks]).point, 0.15, roadRng, 30);
    if (crossings(road, river) > 0 && crossings(bentLine(g.centre, village.centre, 0.1, roadRng, 30), river) === 0) {
      road = bentLine(g.centre, village.centre, 0.1, roadRng, 30);
    }
    if (lineLength(road) > 60) tracks.push(road);
  }
  return tracks;
}

function straightToRiver(from: XY, river: readonly XY[]): XY[] {
  return spline([from, closestOnLine(from, river).point], 60);
}

/** A stream keeps away from the main roads: one running beside a road for kilometres looks drawn, not found. */
function offRoads(stream: readonly XY[], roads: Roads): boolean {
  const near = stream.filter((q) => distanceToLines(q, [roads.countyRoad, ...roads.villageRoads]) < 250).length;
  return near <= stream.length * 0.12;
}

/** The village farthest from the seat: its hills hold the reservoir. */
function hillVillageOf(frame: TownFrame): Region {
  return [...frame.villages].sort((a, b) => dist(b.centre, frame.seat) - dist(a.centre, frame.seat))[0] ?? frame.seatRegion;
}

/** The reservoir lies in the hills of the village farthest from the seat, away from every road; null when none fits. */
function placeReservoir(frame: TownFrame, river: readonly XY[], roads: Roads, waterRng: Rng): XY[] | null {
  const hillVillage = hillVillageOf(frame);
  for (let attempt = 0; attempt < 400; attempt++) {
    const ring = hillVillage.rings[0] ?? [];
    const p = ring[waterRng.int(0, Math.max(0, ring.length - 2))] ?? hillVillage.centre;
    const t = waterRng.float(0.25, 0.6);
    const c: XY = [p[0] + (hillVillage.centre[0] - p[0]) * t, p[1] + (hillVillage.centre[1] - p[1]) * t];
    const candidate = blobRing(c, waterRng.float(260, 360), waterRng, 28, 0.3, 1.6);
    const ok =
      candidate.every((q) => frame.inTown(q)) &&
      candidate.every((q) => distanceToLines(q, roads.all) > 90) &&
      distanceToLines(c, [river]) > 900 &&
      dist(c, hillVillage.centre) > 500 &&
      offRoads(straightToRiver(c, river), roads);
    if (ok) return candidate;
  }
  return null;
}

/** Streams: from the reservoir (when there is one) and from two hillsides, down to 汨水. */
function drawStreams(frame: TownFrame, river: readonly XY[], roads: Roads, reservoir: XY[] | null, waterRng: Rng): XY[][] {
  const { seat } = frame;
  const streamStarts: XY[] = [];
  if (reservoir) {
    const c = ringCentroid(reservoir);
    const toRiver = closestOnLine(c, river).point;
    // Leave the reservoir at its dam, the rim point nearest the river.
    const dam = reservoir.reduce((best, q) => (dist(q, toRiver) < dist(best, toRiver) ? q : best), reservoir[0]!);
    streamStarts.push(dam);
  }
  for (let i = 0; i < 2; i++) {
    const ring = frame.townR.rings[0] ?? [];
    for (let attempt = 0; attempt < 50; attempt++) {
      const p = ring[waterRng.int(0, Math.max(0, ring.length - 2))] ?? seat;
      const inward: XY = [p[0] + (seat[0] - p[0]) * 0.12, p[1] + (seat[1] - p[1]) * 0.12];
      if (distanceToLines(inward, [river]) > 2000 && streamStarts.every((s) => dist(s, inward) > 3000) && offRoads(straightToRiver(inward, river), roads)) {
        streamStarts.push(inward);
        break;
      }
    }
  }
  return streamStarts.map((start) => meander(bentLine(start, closestOnLine(start, river).point, 0.15, waterRng, 40), 60, 900, waterRng));
}

interface Settlement {
  ring: XY[];
  cls: string;
  name?: string;
}

/** The built-up area at each village centre, then hamlets strung along the village roads and tracks. */
function placeSettlements(frame: TownFrame, roads: Roads, water: readonly XY[][], reservoir: XY[] | null, settleRng: Rng): Settlement[] {
  const settlements: Settlement[] = [];
  for (const v of frame.villages) {
    const community = v.grid.code.slice(9, 10) === '0';
    const radius = v === frame.seatRegion ? 520 : community ? 380 : settleRng.float(150, 230);
    let r = radius;
    while (r > 80 && distanceToLines(v.centre, water) < r + 40) r *= 0.85;
    settlements.push({ ring: blobRing(v.centre, r, settleRng, 24, 0.22, 1.25), cls: v === frame.seatRegion ? 'seat' : 'centre', name: v.grid.name });
  }
  const clear = (c: XY, r: number): boolean =>
    distanceToLines(c, water) > r + 60 &&
    (!reservoir || dist(c, ringCentroid(reservoir)) > r + 450) &&
    settlements.every((s) => dist(ringCentroid(s.ring), c) > r + 80);
  // Hamlets set back from the roadside.
  for (const road of [...roads.villageRoads, ...roads.tracks]) {
    for (const { at, dir } of along(road, 260)) {
      if (!settleRng.chance(0.42)) continue;
      const side = settleRng.chance(0.5) ? 1 : -1;
      const off = settleRng.float(45, 110) * side;
      const c: XY = [at[0] - dir[1] * off, at[1] + dir[0] * off];
      const r = settleRng.float(35, 85);
      if (!frame.inTown(c) || !clear(c, r) || distanceToLines(c, roads.all) < r * 0.6) continue;
      const ring = blobRing(c, r, settleRng, 10, 0.3, settleRng.float(1, 1.8));
      if (ring.every(frame.inTown)) settlements.push({ ring, cls: 'hamlet' });
    }
  }
  return settlements;
}

/** Ponds (塘): many small ones, off roads and villages. */
function placePonds(frame: TownFrame, roads: Roads, water: readonly XY[][], reservoir: XY[] | null, settlements: readonly Settlement[], waterRng: Rng): XY[][] {
  const { minX, minY, maxX, maxY, inTown } = frame;
  const ponds: XY[][] = [];
  for (let attempt = 0; attempt < 3000 && ponds.length < 46; attempt++) {
    const c: XY = [waterRng.float(minX, maxX), waterRng.float(minY, maxY)];
    const r = waterRng.float(22, 75);
    if (!inTown(c)) continue;
    if (distanceToLines(c, roads.all) < r + 35) continue;
    if (distanceToLines(c, water) < r + 60) continue;
    if (reservoir && dist(c, ringCentroid(reservoir)) < r + 500) continue;
    if (settlements.some((s) => dist(ringCentroid(s.ring), c) < r + 160)) continue;
    if (ponds.some((p) => dist(ringCentroid(p), c) < r + 140)) continue;
    const ring = blobRing(c, r, waterRng, 10, 0.3, waterRng.float(1, 1.6));
    if (ring.every(inTown)) ponds.push(ring);
  }
  return ponds;
}

interface Drawn {
  river: XY[];
  roads: Roads;
  reservoir: XY[] | null;
  streams: XY[][];
  settlements: Settlement[];
  ponds: XY[][];
}

/** Builds GeoJSON geometries from local metres, rounded and deduplicated. */
function geometryMakers(proj: LocalProjection) {
  const ll = (p: XY): Position => {
    const [lon, lat] = proj.toLonLat(p[0], p[1]);
    return [round5(lon), round5(lat)];
  };
  return {
    line: (l: readonly XY[]): LineString => ({ type: 'LineString', coordinates: dedupe(l.map(ll)) }),
    poly: (r: readonly XY[]): Polygon => ({ type: 'Polygon', coordinates: [closeRing(dedupe(r.map(ll)))] }),
    point: (p: XY): { type: 'Point'; coordinates: Position } => ({ type: 'Point', coordinates: ll(p) }),
  };
}

const reservoirNameOf = (frame: TownFrame): string => `${hillVillageOf(frame).grid.name.replace(/(村|社区)$/, '')}水库`;

/** The features in drawing order (areas, water, settlements, roads), then the labels. */
function toFeatures(town: TownDataset, frame: TownFrame, drawn: Drawn): BasemapFeature[] {
  const { line, poly } = geometryMakers(frame.proj);
  const { river, roads, reservoir, streams, settlements, ponds } = drawn;
  const features: BasemapFeature[] = [];
  const add = (geometry: BasemapFeature['geometry'], properties: BasemapProperties): void => {
    features.push({ type: 'Feature', properties, geometry });
  };
  for (const v of frame.villages) {
    const community = v.grid.code.slice(9, 10) === '0';
    add(roundGeometry(v.grid.geometry), { layer: 'village', class: community ? 'community' : 'village', name: v.grid.name, code: v.grid.code });
  }
  if (reservoir) add(poly(reservoir), { layer: 'water', class: 'reservoir', name: reservoirNameOf(frame) });
  for (const p of ponds) add(poly(p), { layer: 'water', class: 'pond' });
  add(line(river), { layer: 'river', class: 'major', name: '汨水' });
  for (const s of streams) add(line(s), { layer: 'river', class: 'stream' });
  for (const s of settlements) add(poly(s.ring), { layer: 'settlement', class: s.cls, ...(s.name ? { name: s.name } : {}) });
  for (const t of roads.tracks) add(line(t), { layer: 'road', class: 'track' });
  for (const r of roads.villageRoads) add(line(r), { layer: 'road', class: 'village' });
  add(line(roads.countyRoad), { layer: 'road', class: 'county', name: '县道 X041' });
  return [...features, ...labelFeatures(town, frame, drawn)];
}

/**
 * Labels for deck.gl's TextLayer (no glyphs are downloaded): town, villages, waters, the county road.
 * The town's name above its seat, the seat community's own name below it, so the two never overlap.
 */
function labelFeatures(town: TownDataset, frame: TownFrame, drawn: Drawn): BasemapFeature[] {
  const { point } = geometryMakers(frame.proj);
  const { seat, seatRegion, villages } = frame;
  const { river, reservoir } = drawn;
  const countyRoad = drawn.roads.countyRoad;
  const label = (at: XY, properties: BasemapProperties): BasemapFeature => ({ type: 'Feature', properties, geometry: point(at) });
  const features: BasemapFeature[] = [label([seat[0], seat[1] + 420], { layer: 'label', class: 'town', name: town.town.name, rank: 1 })];
  for (const v of villages) features.push(label(v === seatRegion ? [v.centre[0], v.centre[1] - 380] : v.centre, { layer: 'label', class: 'village', name: v.grid.name, rank: 2 }));
  // The river's name where it is inside the town and farthest from every village's name.
  const riverLabelAt = river
    .filter((q, i) => i % 5 === 0 && frame.inTown(q))
    .reduce<{ at: XY; d: number }>(
      (best, q) => {
        const d = Math.min(...villages.map((v) => dist(q, v.centre)));
        return d > best.d ? { at: q, d } : best;
      },
      { at: river[Math.floor(river.length / 2)]!, d: -1 },
    ).at;
  features.push(label(riverLabelAt, { layer: 'label', class: 'water', name: '汨水', rank: 1 }));
  if (reservoir) features.push(label(ringCentroid(reservoir), { layer: 'label', class: 'water', name: reservoirNameOf(frame), rank: 2 }));
  const roadLabelAt = countyRoad[Math.floor(countyRoad.length * 0.2)] ?? countyRoad[0]!;
  features.push(label(roadLabelAt, { layer: 'label', class: 'road', name: '县道 X041', rank: 3 }));
  return features;
}

function nearestOnNetwork(p: XY, lines: readonly XY[][]): { point: XY; distance: number } {
  let best: { point: XY; distance: number } = { point: p, distance: Infinity };
  for (const l of lines) {
    const c = closestOnLine(p, l);
    if (c.distance < best.distance) best = c;
  }
  return best;
}

/** 5 decimals: about 1 m, plenty for a base map and half the bytes of 6. */
const round5 = (v: number): number => Math.round(v * 1e5) / 1e5;

function dedupe(ps: Position[]): Position[] {
  return ps.filter((p, i) => i === 0 || p[0] !== ps[i - 1]![0] || p[1] !== ps[i - 1]![1]);
}

function closeRing(ps: Position[]): Position[] {
  const first = ps[0];
  const last = ps[ps.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) return [...ps, first];
  return ps;
}

function roundGeometry(g: Polygon | MultiPolygon): Polygon | MultiPolygon {
  const ring = (r: Position[]): Position[] => closeRing(dedupe(r.map(([x, y]) => [round5(x!), round5(y!)])));
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map(ring)) };
}

/** One feature per line: readable in a diff, compact on disk. */
export function formatBasemap(fc: FeatureCollection): string {
  return `{"type":"FeatureCollection","features":[\n${fc.features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
}

// ---------------------------------------------------------------- command line

function parseArgs(argv: readonly string[]): { seed: number; town: string; out: string } {
  const v = parseFlags(argv, ['seed', 'town', 'out']);
  return { seed: seedFlag(v.seed, BASEMAP_SEED), town: resolve(v.town ?? DEFAULT_TOWN_FILE), out: resolve(v.out ?? DEFAULT_OUT) };
}

function main(): void {
  const args = cliArgs('gen-basemap [--seed N] [--town FILE] [--out FILE]', parseArgs);
  if (!args) return;
  const town = JSON.parse(readFileSync(args.town, 'utf8')) as TownDataset;
  const text = formatBasemap(generateBasemap(town, { seed: args.seed }));
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, text);
  console.log(`wrote ${args.out} (${(text.length / 1024).toFixed(0)} KiB)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
