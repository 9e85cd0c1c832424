// Worker activity from position fixes: "通过网格管理平台对网格员的巡查轨迹、工作记录等进行
// 实时监控" (方案4 四). A gap of more than two hours between fixes means the device was
// off or the worker off patrol: that stretch counts neither as time nor as distance.
import distance from '@turf/distance';
import type { PositionFix } from '../model';
import type { Period } from './period';

export const MAX_GAP_MS = 2 * 3_600_000;

export interface PatrolStats {
  /** Time covered by consecutive fixes no more than MAX_GAP_MS apart. */
  onlineMs: number;
  /** Great-circle (haversine) length of those stretches. */
  distanceM: number;
  /** Fixes used: inside the period, one per instant. */
  fixes: number;
}

/**
 * One worker's patrol in a period. Fixes may arrive late and out of order (the
 * county link is lossy and volatile): they are put in time order; a second fix at
 * the same instant is a duplicate and ignored. Only fixes inside the period count,
 * so a stretch across the period's edge is cut at the last fix before it.
 */
export function patrolStats(fixes: readonly PositionFix[], period: Period): PatrolStats {
  const track = fixes
    .filter((f) => Number.isFinite(f.at) && f.at >= period.from && f.at < period.to)
    .sort((a, b) => a.at - b.at)
    .filter((f, i, all) => i === 0 || f.at !== (all[i - 1] as PositionFix).at);
  let onlineMs = 0;
  let distanceM = 0;
  for (let i = 1; i < track.length; i++) {
    const a = track[i - 1] as PositionFix;
    const b = track[i] as PositionFix;
    const gap = b.at - a.at;
    if (gap > MAX_GAP_MS) continue;
    onlineMs += gap;
    distanceM += distance([a.lon, a.lat], [b.lon, b.lat], { units: 'meters' });
  }
  return { onlineMs, distanceM, fixes: track.length };
}

/** patrolStats for every worker present in a mixed list of fixes. */
export function patrolStatsByWorker(fixes: readonly PositionFix[], period: Period): Map<string, PatrolStats> {
  const byWorker = new Map<string, PositionFix[]>();
  for (const f of fixes) {
    const list = byWorker.get(f.workerId) ?? [];
    list.push(f);
    byWorker.set(f.workerId, list);
  }
  return new Map([...byWorker].map(([id, list]) => [id, patrolStats(list, period)]));
}

// ---------------------------------------------------------------- stops

export interface StopOptions {
  /** Fixes within this distance of the stop's running centre belong to it. Default 30 m (GPS noise of a phone in a village). */
  radiusM?: number;
  /** Shorter stays are walking, not stopping. Default 2 minutes. */
  minDurationMs?: number;
  /** A gap between fixes longer than this ends a stop (the device was off). Default MAX_GAP_MS. */
  maxGapMs?: number;
}

export interface Stop {
  /** Centre of the stop's fixes. */
  lon: number;
  lat: number;
  /** First and last fix of the stop, epoch ms. */
  from: number;
  to: number;
  durationMs: number;
  fixes: number;
}

/**
 * Where a worker stayed: maximal runs of consecutive fixes that all lie within
 * radiusM of the run's running centre and last at least minDurationMs, oldest
 * first. The track replay marks them, since a stop is where the work was done
 * (a visit, a check) and a pass-through is not. Fixes are put in time order and
 * duplicates of an instant dropped, as in patrolStats.
 */
export function detectStops(fixes: readonly PositionFix[], options: StopOptions = {}): Stop[] {
  const radiusM = options.radiusM ?? 30;
  const minMs = options.minDurationMs ?? 2 * 60_000;
  const maxGap = options.maxGapMs ?? MAX_GAP_MS;
  const track = fixes
    .filter((f) => Number.isFinite(f.at) && Number.isFinite(f.lon) && Number.isFinite(f.lat))
    .sort((a, b) => a.at - b.at)
    .filter((f, i, all) => i === 0 || f.at !== (all[i - 1] as PositionFix).at);
  const stops: Stop[] = [];
  let i = 0;
  while (i < track.length) {
    const first = track[i] as PositionFix;
    let sumLon = first.lon;
    let sumLat = first.lat;
    let n = 1;
    let j = i + 1;
    for (; j < track.length; j++) {
      const f = track[j] as PositionFix;
      if (f.at - (track[j - 1] as PositionFix).at > maxGap) break;
      if (distance([sumLon / n, sumLat / n], [f.lon, f.lat], { units: 'meters' }) > radiusM) break;
      sumLon += f.lon;
      sumLat += f.lat;
      n++;
    }
    const last = track[j - 1] as PositionFix;
    if (last.at - first.at >= minMs) {
      stops.push({ lon: sumLon / n, lat: sumLat / n, from: first.at, to: last.at, durationMs: last.at - first.at, fixes: n });
      i = j;
    } else {
      i++;
    }
  }
  return stops;
}
