// Track replay of one grid worker (the console's map): the periods a dispatcher picks
// and the playback cursor. Pure, so the panel's arithmetic is tested without a map.
import { addDays, shanghaiDate, shanghaiMidnight, toIso } from '../../../core/time/shanghai';
import type { Replay } from './view-state';

export type ReplayPeriod = 'hour' | 'today' | 'yesterday';

export const REPLAY_PERIODS: readonly { key: ReplayPeriod; label: string }[] = [
  { key: 'hour', label: '最近 1 小时' },
  { key: 'today', label: '今天' },
  { key: 'yesterday', label: '昨天' },
];

/** Playback speeds: simulated seconds per second. */
export const REPLAY_SPEEDS: readonly number[] = [60, 300, 1800];

/** The replay of a worker over a period ending at or before `now` (Asia/Shanghai days), its cursor at the start. */
export function replayFor(workerId: string, period: ReplayPeriod, now: number): Replay {
  const today = shanghaiMidnight(shanghaiDate(now));
  const [from, to] =
    period === 'hour' ? [now - 3_600_000, now] : period === 'today' ? [today, now] : [shanghaiMidnight(addDays(shanghaiDate(now), -1)), today];
  return { workerId, from: toIso(from), to: toIso(to), at: toIso(from) };
}

/** The cursor after `elapsedMs` of playback at `speed`, clamped to the period; `done` once it reaches the end. */
export function advance(replay: Replay, elapsedMs: number, speed: number): { at: string; done: boolean } {
  const from = Date.parse(replay.from);
  const to = Date.parse(replay.to);
  const at = replay.at ? Date.parse(replay.at) : to;
  const next = Math.min(to, Math.max(from, at + Math.max(0, elapsedMs) * speed));
  return { at: toIso(next), done: next >= to };
}

/** The cursor moved to a point of the period (the slider), clamped. */
export function seek(replay: Replay, ms: number): Replay {
  const clamped = Math.min(Date.parse(replay.to), Math.max(Date.parse(replay.from), ms));
  return { ...replay, at: toIso(clamped) };
}

/** What the map found for a replay: the panel's summary line. */
export interface ReplaySummary {
  key: string;
  fixes: number;
  stops: number;
}

export const replayKey = (r: Pick<Replay, 'workerId' | 'from' | 'to'>): string => `${r.workerId}|${r.from}|${r.to}`;
