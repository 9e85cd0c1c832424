// Sensors and cameras (方案4: 整合视频监控、物联网传感器等资源): the `device` entity type the
// project adds to county-link-v1 (kind, name, location, grid, status, lastSeenAt; a client
// that does not know the type ignores it). The county is their system of record; the town
// replicates them, draws them on the map, links alarm events to them (GridEvent.device)
// and flags a device silent for longer than its reporting interval.
import * as z from 'zod';
import { GRID_CODE_PATTERN } from '../grid/codes';

export const DEVICE_TYPE = 'device';
export const DEVICE_KINDS = ['smoke', 'waterLevel', 'manhole', 'camera'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export const DEVICE_KIND_LABELS: Record<DeviceKind, string> = { smoke: '烟感', waterLevel: '水位计', manhole: '智能井盖', camera: '视频监控' };

export const DEVICE_STATUSES = ['normal', 'alarm', 'offline', 'fault'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];
export const DEVICE_STATUS_LABELS: Record<DeviceStatus, string> = { normal: '正常', alarm: '报警', offline: '离线', fault: '故障' };

/** How often each kind reports when nothing happens (its heartbeat), unless the device says. */
export const DEFAULT_INTERVAL_S: Record<DeviceKind, number> = { smoke: 3600, waterLevel: 600, manhole: 3600, camera: 300 };

/** The wire form (county-link `changes` item data). Unknown kinds and statuses are refused; extra fields ignored. */
export const DeviceWireSchema = z.object({
  kind: z.enum(DEVICE_KINDS),
  name: z.string().trim().min(1).max(200),
  location: z.object({ lon: z.number().finite().min(-180).max(180), lat: z.number().finite().min(-90).max(90) }),
  grid: z.string().regex(GRID_CODE_PATTERN),
  status: z.enum(DEVICE_STATUSES),
  lastSeenAt: z.iso.datetime({ offset: true }).nullable(),
  // project: optional
  intervalS: z.number().int().min(10).max(7 * 86_400).optional(),
  address: z.string().max(200).optional(),
});
export type DeviceWire = z.output<typeof DeviceWireSchema>;

export interface Device extends DeviceWire {
  id: string;
}

/** A device item's data, checked; the reason in English for the link's log. */
export function parseDevice(id: string, data: unknown): { ok: true; device: Device } | { ok: false; reason: string } {
  const r = DeviceWireSchema.safeParse(data);
  if (!r.success) return { ok: false, reason: `invalid device ${JSON.stringify(id.slice(0, 64))}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  return { ok: true, device: { id, ...r.data } };
}

export const intervalOf = (d: Pick<Device, 'kind' | 'intervalS'>): number => (d.intervalS ?? DEFAULT_INTERVAL_S[d.kind]) * 1000;

/**
 * Silent: nothing heard for longer than its interval (never heard counts as silent). A
 * device the county already marks offline is silent too.
 */
export function isSilent(d: Pick<Device, 'kind' | 'intervalS' | 'lastSeenAt' | 'status'>, nowMs: number): boolean {
  if (d.status === 'offline') return true;
  if (d.lastSeenAt === null) return true;
  return nowMs - Date.parse(d.lastSeenAt) > intervalOf(d);
}
