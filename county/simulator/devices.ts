// project: the county's sensors and cameras (`device` entities, core/devices): a plausible
// set per town (a smoke detector and a camera at each village's seat, water-level gauges
// in every third village, smart manhole covers in the town's first grids), their
// heartbeats (lastSeenAt moves on every interval), a few that fall silent, and now and
// then an alarm that the 物联感知 platform reports as an event linked to its device.
// Everything is drawn from the seed: a restart or another step length gives the same set.
import type { Grid } from '../../core/model';
import { DEFAULT_INTERVAL_S, DEVICE_KIND_LABELS, type Device, type DeviceKind } from '../../core/devices/device';
import { toIso } from '../../core/time/shanghai';
import { hashString, type Rng } from '../../county/demo/random';
import { streamOf } from './patrol';
import { randomPointIn, round6, type Shape } from './geo';

/** Average hours between two alarms in a town. */
export const ALARM_EVERY_H = 3;
/** An alarm's device shows `alarm` this long, then `normal` again. */
export const ALARM_SHOWN_MS = 30 * 60_000;

/** What an alarm of each kind reports: the category (the demo's 事项清单), its urgency, its title. */
export const ALARM_OF: Record<DeviceKind, { category: string; urgency: 'normal' | 'urgent'; title: (name: string) => string }> = {
  smoke: { category: '0201', urgency: 'urgent', title: (n) => `烟感报警:${n}疑似火情` },
  waterLevel: { category: '0206', urgency: 'urgent', title: (n) => `水位超警戒:${n}` },
  manhole: { category: '0804', urgency: 'normal', title: (n) => `井盖异常开启:${n}` },
  camera: { category: '0802', urgency: 'normal', title: (n) => `视频识别:${n}占道经营` },
};

/** Devices that stop reporting after they are installed (1 in 12, by id): the town should flag them. */
export const isBroken = (id: string): boolean => hashString(`broken/${id}`) % 12 === 0;

export function townDevices(seed: number, town: string, grids: readonly Grid[], shapeOf: (code: string) => Shape | undefined, at: number): Device[] {
  const basic = grids.filter((g) => g.level === 3).sort((a, b) => (a.code < b.code ? -1 : 1));
  const villages = grids.filter((g) => g.level === 2).sort((a, b) => (a.code < b.code ? -1 : 1));
  const out: Device[] = [];
  const add = (kind: DeviceKind, grid: Grid, label: string): void => {
    const shape = shapeOf(grid.code);
    if (!shape) return;
    const id = `dev-${town}-${kind}-${out.length + 1}`;
    const rng: Rng = streamOf(seed, `device/${id}`);
    const p = randomPointIn(shape, rng);
    out.push({
      id,
      kind,
      name: `${label}${DEVICE_KIND_LABELS[kind]}`,
      location: { lon: round6(p[0]), lat: round6(p[1]) },
      grid: grid.code,
      status: 'normal',
      lastSeenAt: toIso(at - rng.int(0, DEFAULT_INTERVAL_S[kind] - 1) * 1000),
      intervalS: DEFAULT_INTERVAL_S[kind],
      address: grid.name,
    });
  };
  villages.forEach((v, i) => {
    const own = basic.filter((g) => g.parent === v.code);
    const seat = own[0];
    if (!seat) return;
    add('smoke', seat, `${v.name}村部`);
    add('camera', own[own.length - 1] ?? seat, `${v.name}路口`);
    if (i % 3 === 0) add('waterLevel', own[Math.floor(own.length / 2)] ?? seat, `${v.name}河段`);
  });
  basic.slice(0, 4).forEach((g) => add('manhole', g, g.name));
  return out;
}

/** The devices whose heartbeat falls due by `end` (broken ones never beat), with their new state. */
export function heartbeats(devices: readonly Device[], end: number): Device[] {
  const out: Device[] = [];
  for (const d of devices) {
    if (isBroken(d.id)) continue;
    const last = d.lastSeenAt === null ? 0 : Date.parse(d.lastSeenAt);
    const interval = (d.intervalS ?? DEFAULT_INTERVAL_S[d.kind]) * 1000;
    const alarmOver = d.status === 'alarm' && end - last >= ALARM_SHOWN_MS;
    if (end - last < interval && !alarmOver) continue;
    out.push({ ...d, status: d.status === 'alarm' && !alarmOver ? 'alarm' : 'normal', lastSeenAt: toIso(end) });
  }
  return out;
}

/** Whether a town raises an alarm in a step of this length, and which working device. */
export function alarmIn(rng: Rng, devices: readonly Device[], stepMs: number): Device | null {
  const working = devices.filter((d) => !isBroken(d.id) && d.status !== 'alarm');
  if (working.length === 0 || !rng.chance(Math.min(1, stepMs / (ALARM_EVERY_H * 3_600_000)))) return null;
  return rng.pick(working);
}
