// A report taken by hand (12345 hotline, walk-in, WeChat) as the arguments of
// event.create: the id and case number are made here, on the client, so the report
// can be queued while the county link is down and still be one event everywhere.
import { parseCommand } from '../../../core/events/commands';
import { CREATE_SOURCES } from '../../../core/events/permissions';
import type { ActorRole, EventSource, Urgency } from '../../../core/model';
import { toIso } from '../../../core/time/shanghai';

/** The sources a dispatcher enters by hand (core/events CREATE_SOURCES allows these for the role). */
export const INTAKE_SOURCES: readonly EventSource[] = ['hotline', 'walkIn', 'wechat', 'patrol', 'superior'];

export interface IntakeInput {
  title: string;
  description: string;
  category: string;
  urgency: Urgency;
  source: EventSource;
  reporterName: string;
  reporterPhone: string;
  reporterId: string;
  address: string;
  lon: number | null;
  lat: number | null;
  /** The grid found from the point (grids.locate); null when the point is outside the town. */
  grid: string | null;
}

export const EMPTY_INTAKE: IntakeInput = {
  title: '',
  description: '',
  category: '',
  urgency: 'normal',
  source: 'hotline',
  reporterName: '',
  reporterPhone: '',
  reporterId: '',
  address: '',
  lon: null,
  lat: null,
  grid: null,
};

/** The sources this role may report under (core's CREATE_SOURCES), in the form's order; all of the form's when core names none. */
export function intakeSources(role: ActorRole): readonly EventSource[] {
  const allowed = CREATE_SOURCES[role];
  const sources = allowed ? INTAKE_SOURCES.filter((s) => allowed.includes(s)) : [];
  return sources.length > 0 ? sources : INTAKE_SOURCES;
}

/** A new report's empty form for this role: its first allowed source chosen. */
export function emptyIntake(role: ActorRole): IntakeInput {
  const sources = intakeSources(role);
  return sources.includes(EMPTY_INTAKE.source) ? EMPTY_INTAKE : { ...EMPTY_INTAKE, source: sources[0] as EventSource };
}

/**
 * The case number of a report entered at the center: "SL" (受理) + the Shanghai date +
 * six characters of its UUID, e.g. "SL20261128-3F9A2C". The county numbers its own
 * reports by sequence; the UUID part keeps two offline desks from ever colliding.
 */
export function caseNumber(nowMs: number, id: string): string {
  const date = toIso(nowMs).slice(0, 10).replaceAll('-', '');
  const tail = id.replace(/[^0-9a-fA-F]/g, '').slice(0, 6).toUpperCase().padEnd(6, '0');
  return `SL${date}-${tail}`;
}

export type IntakeResult = { ok: true; args: Record<string, unknown> } | { ok: false; message: string };

/** The event.create arguments, or the first thing the dispatcher still has to fill in. */
export function buildCreate(input: IntakeInput, id: string, nowMs: number): IntakeResult {
  if (input.title.trim() === '') return { ok: false, message: '请填写事件标题（一句话说明什么事）。' };
  if (input.category === '') return { ok: false, message: '请选择事件类别。' };
  if (input.lon === null || input.lat === null || !Number.isFinite(input.lon) || !Number.isFinite(input.lat)) {
    return { ok: false, message: '请在地图上点选事发位置，或填写经纬度。' };
  }
  if (input.grid === null) return { ok: false, message: '事发位置不在本镇任何网格内，请重新选择位置。' };
  if (input.address.trim() === '') return { ok: false, message: '请填写事发地址。' };
  const name = input.reporterName.trim();
  const phone = input.reporterPhone.trim();
  const idNumber = input.reporterId.trim();
  if (name === '' && (phone !== '' || idNumber !== '')) return { ok: false, message: '填写了报告人电话或证件号时，请同时填写报告人姓名。' };
  const args: Record<string, unknown> = {
    id,
    code: caseNumber(nowMs, id),
    title: input.title.trim(),
    description: input.description.trim(),
    category: input.category,
    urgency: input.urgency,
    source: input.source,
    location: { lon: input.lon, lat: input.lat, address: input.address.trim() },
    grid: input.grid,
  };
  if (name !== '') {
    args.reporter = { name, ...(phone ? { phone } : {}), ...(idNumber ? { idNumber } : {}) };
  }
  const parsed = parseCommand('event.create', args);
  if (!parsed.ok) return { ok: false, message: parsed.reason };
  return { ok: true, args };
}

/** The form prefilled from a rejected event.create, to send again as a new report. */
export function intakeFromArgs(args: unknown): IntakeInput {
  const a = (args ?? {}) as Record<string, unknown>;
  const loc = (a.location ?? {}) as Record<string, unknown>;
  const rep = (a.reporter ?? {}) as Record<string, unknown>;
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    title: str(a.title),
    description: str(a.description),
    category: str(a.category),
    urgency: (['normal', 'urgent', 'critical'] as const).find((u) => u === a.urgency) ?? 'normal',
    source: INTAKE_SOURCES.find((s) => s === a.source) ?? 'hotline',
    reporterName: str(rep.name),
    reporterPhone: str(rep.phone),
    reporterId: str(rep.idNumber),
    address: str(loc.address),
    lon: num(loc.lon),
    lat: num(loc.lat),
    grid: typeof a.grid === 'string' ? a.grid : null,
  };
}

/** Longitude and latitude as typed, when both are numbers on the globe; else null. */
export function parseLonLat(lonText: string, latText: string): { lon: number; lat: number } | null {
  const lon = Number(lonText);
  const lat = Number(latText);
  const ok = lonText.trim() !== '' && latText.trim() !== '' && Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;
  return ok ? { lon, lat } : null;
}

/** A coordinate picked on the map, to six decimals (about 0.1 m). */
export const roundCoord = (x: number): number => Math.round(x * 1e6) / 1e6;

/** The grid found for the point, in words; `located` is undefined while it is looked up, null outside the town. */
export function gridFoundText(
  point: { lon: number | null; lat: number | null },
  located: { grid: { name: string }; village?: { name: string } | null | undefined } | null | undefined,
): string {
  if (point.lon === null || point.lat === null) return '在右侧地图上点击事发位置，或填写经纬度。';
  if (located === undefined) return '正在查找所在网格…';
  if (located === null) return '该位置不在本镇任何网格内。';
  return `所在网格：${located.village ? `${located.village.name} · ` : ''}${located.grid.name}`;
}
