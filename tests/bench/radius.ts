// `npm run bench -- --only radius`
//
// The emergency desk's search around an incident (issue 13: "The radius search over the
// benchmark county (10,000 workers, 5,000 grids) answers within 2× a direct spatial-index
// query in the same run"): electron/service/emergency/nearby.ts's `search` (workers by
// their last fix, resources, grids: the index search, the exact distances, sorting,
// joining each fix to its worker, building the answer) against a direct spatial-index
// query of the same circles on the same indexes: flatbush's box search with the same exact
// distance filter, ids only (what any radius query costs), interleaved query by query,
// over incidents all over the county.
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import bbox from '@turf/bbox';
import { countyGrids, countyWorkers, generateCounty } from '../../county/demo/town';
import { createRng, type Rng } from '../../county/demo/random';
import { demoResources } from '../../core/emergency/resources';
import type { Grid, PositionFix } from '../../core/model';
import { NearbySearch } from '../../electron/service/emergency/nearby';
import { M_PER_DEG, RAD, circleBox, type RadiusIndex } from '../../core/emergency/radius';
import type { BenchReport, Check, Row } from './lib/report';
import { fmtInt, fmtRatio, median } from './lib/util';

export const RADIUS_TARGET = { maxRatio: 2 };

export interface RadiusOptions {
  workers: number;
  queries: number;
  radiusM?: number;
  log?: (line: string) => void;
}

function pointIn(g: Grid, rng: Rng): [number, number] {
  const [minX, minY, maxX, maxY] = bbox(g.geometry);
  for (let i = 0; i < 30; i++) {
    const p: [number, number] = [rng.float(minX, maxX), rng.float(minY, maxY)];
    if (booleanPointInPolygon(p, g.geometry)) return p;
  }
  return [(minX + maxX) / 2, (minY + maxY) / 2];
}

export async function runRadius(o: RadiusOptions): Promise<{ report: BenchReport; ratio: number; found: number; checked: number }> {
  const radiusM = o.radiusM ?? 1000;
  o.log?.('generating the benchmark county (5,000 grids)');
  const county = generateCounty({ seed: 20241112 });
  const grids = countyGrids(county);
  const level3 = grids.filter((g) => g.level === 3);
  const workers = countyWorkers(county).slice(0, o.workers);
  const rng = createRng(13);
  const byCode = new Map(level3.map((g) => [g.code, g]));
  const now = Date.now();
  const positions: PositionFix[] = workers.map((w) => {
    const [lon, lat] = pointIn(byCode.get(w.grids[0] ?? '') ?? rng.pick(level3), rng);
    return { workerId: w.id, lon, lat, at: now, speed: 1, heading: null, accuracy: 8 };
  });
  const resources = demoResources(grids);
  // A fixed clock: the indexes are built once, as between two position messages.
  const search = new NearbySearch({ positions: () => positions, workers: () => workers, grids: () => grids, resources: () => resources }, () => now);
  const ix = search.indexes();
  const centres = Array.from({ length: o.queries }, () => pointIn(rng.pick(level3), rng));

  // Correctness first: the search finds exactly the fixes a brute-force scan finds.
  let found = 0;
  let checked = 0;
  for (const [lon, lat] of centres.slice(0, 50)) {
    const got = new Set(search.search(lon, lat, radiusM).workers.map((w) => w.worker.id));
    // Away from the edge (the search measures flat-earth metres, within 0.1 % of the great circle).
    const brute = positions.filter((p) => haversine(lon, lat, p.lon, p.lat) <= radiusM * 0.999).map((p) => p.workerId);
    const outside = positions.filter((p) => haversine(lon, lat, p.lon, p.lat) > radiusM * 1.001 && got.has(p.workerId));
    checked++;
    if (brute.every((id) => got.has(id)) && outside.length === 0) found++;
  }

  const boxOnly = (lon: number, lat: number): number => ix.fixes.candidates(lon, lat, radiusM).length + ix.resources.candidates(lon, lat, radiusM).length + ix.grids.candidates(lon, lat, radiusM).length;
  const direct3 = (lon: number, lat: number): number => directQuery(ix.fixes, lon, lat, radiusM).length + directQuery(ix.resources, lon, lat, radiusM).length + directQuery(ix.grids, lon, lat, radiusM).length;
  const [m, d, box] = timeInterleaved(centres, [(lon, lat) => search.search(lon, lat, radiusM), direct3, boxOnly]).map(median) as [number, number, number];
  const ratio = m / d;
  const rows: Row[] = [
    { name: `search within ${radiusM} m (median)`, value: `${(m * 1000).toFixed(1)} µs`, baseline: `${(d * 1000).toFixed(1)} µs`, ratio: fmtRatio(ratio), note: 'baseline: flatbush box search + the same distance filter, ids only, on the same indexes' },
    { name: '  the box searches alone (reference)', value: `${(m * 1000).toFixed(1)} µs`, baseline: `${(box * 1000).toFixed(1)} µs`, ratio: fmtRatio(m / box), note: 'no distance: answers a different question (the box, not the circle)' },
  ];
  const checks: Check[] = [{ name: 'radius search vs direct index query', measured: fmtRatio(ratio), target: `≤ ${RADIUS_TARGET.maxRatio}×`, pass: ratio <= RADIUS_TARGET.maxRatio }];
  return {
    ratio,
    found,
    checked,
    report: {
      name: 'radius',
      title: 'the emergency search around an incident',
      setup: `${fmtInt(workers.length)} workers with a fix, ${fmtInt(level3.length)} grids, ${fmtInt(resources.length)} resources; ${fmtInt(o.queries)} incidents × 3 rounds, interleaved`,
      rows,
      checks,
      verified: [found === checked ? `ok: ${checked} searches equal a brute-force scan` : `MISMATCH: ${checked - found} of ${checked} searches differ from a brute-force scan`],
    },
  };
}

/** Each path's time per query: one untimed round first (all compiled), then 3 rounds, the paths interleaved query by query. */
function timeInterleaved(centres: readonly [number, number][], paths: readonly ((lon: number, lat: number) => unknown)[]): number[][] {
  const times = paths.map((): number[] => []);
  for (const [lon, lat] of centres) for (const path of paths) path(lon, lat);
  for (let round = 0; round < 3; round++) {
    for (const [lon, lat] of centres) {
      paths.forEach((path, k) => {
        const t0 = performance.now();
        path(lon, lat);
        times[k]!.push(performance.now() - t0);
      });
    }
  }
  return times;
}

/** The baseline: a direct flatbush query of the circle (its box search with the exact distance as filter), the hits' ids unordered. */
function directQuery(index: RadiusIndex<unknown>, lon: number, lat: number, radiusM: number): number[] {
  if (index.tree === null) return [];
  const [a, b, c, d] = circleBox(lon, lat, radiusM);
  const kx = M_PER_DEG * Math.cos(lat * RAD);
  const r2 = radiusM * radiusM;
  return index.tree.search(a, b, c, d, (_i, x0, y0, x1, y1) => {
    const dx = ((lon < x0 ? x0 : lon > x1 ? x1 : lon) - lon) * kx;
    const dy = ((lat < y0 ? y0 : lat > y1 ? y1 : lat) - lat) * M_PER_DEG;
    return dx * dx + dy * dy <= r2;
  });
}

function haversine(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}
