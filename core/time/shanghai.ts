// China Standard Time is UTC+8 all year (no daylight saving since 1991), so a fixed
// offset is exact for Asia/Shanghai and keeps core/ free of the host's time zone.
import type { IsoTime } from '../model';

export const SHANGHAI_OFFSET_MINUTES = 480;
const OFFSET_MS = SHANGHAI_OFFSET_MINUTES * 60_000;
const DAY_MS = 86_400_000;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Parse an ISO instant (any offset, or Z) to epoch ms; throws on anything else. */
export function parseIso(iso: IsoTime): number {
  const ms = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) || Number.isNaN(ms)) {
    throw new RangeError(`not an ISO 8601 time: ${JSON.stringify(iso)}`);
  }
  return ms;
}

/** Format epoch ms as Shanghai local time with its offset: "2026-11-28T09:12:03+08:00". */
export function toIso(ms: number): IsoTime {
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${ms}`);
  const d = new Date(ms + OFFSET_MS);
  return (
    // Years before 1000 (a hostile or mistyped date) keep four digits: the result stays ISO 8601.
    `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+08:00`
  );
}

/** A stored time (epoch ms, or already ISO) as ISO, null and undefined as null. */
export function isoOrNull(value: IsoTime | number | null | undefined): IsoTime | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'number' ? toIso(value) : value;
}

/** The Shanghai calendar date of an instant, "YYYY-MM-DD". */
export function shanghaiDate(ms: number): string {
  return toIso(ms).slice(0, 10);
}

/** Epoch ms of Shanghai midnight starting the given "YYYY-MM-DD". */
export function shanghaiMidnight(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not a date: ${JSON.stringify(date)}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - OFFSET_MS;
}

/** Minutes since Shanghai midnight of an instant. */
export function shanghaiMinuteOfDay(ms: number): number {
  return Math.floor((((ms + OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS / 60_000);
}

/** The date n calendar days after "YYYY-MM-DD". */
export function addDays(date: string, n: number): string {
  return shanghaiDate(shanghaiMidnight(date) + n * DAY_MS + 12 * 3_600_000);
}

/** 0 Sunday … 6 Saturday, of a "YYYY-MM-DD". */
export function weekday(date: string): number {
  return new Date(shanghaiMidnight(date) + OFFSET_MS).getUTCDay();
}
