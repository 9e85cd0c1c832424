// project: the county's side of the field desk: worker.notify sends the workers on duty
// towards the event (their fixes converge), refuses unknown workers, and leaves lastN to
// reach the town with no change; `device` entities, their alarms as events linked to them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionFix } from '../../core/model';
import { distanceM } from './geo';
import { startCountySimulator, type CountySimulator } from './index';
import { TestTown, tempDir } from './test-client';

const TOWN = '430624103';
const T0 = Date.parse('2026-11-30T09:00:00+08:00');

describe('county simulator: worker.notify and devices', () => {
  const tmp = tempDir();
  let sim: CountySimulator;
  let town: TestTown;
  let now = T0;
  beforeAll(async () => {
    sim = await startCountySimulator({ port: 0, seed: 5, dbFile: tmp.file('f.sqlite'), clock: () => now, activity: false, duty: 'always', devices: true });
    town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
  }, 30_000);
  afterAll(async () => {
    town.close();
    await sim.close();
    tmp.remove();
  });

  const lastFix = (worker: string): PositionFix | undefined => {
    for (let i = town.positions.length - 1; i >= 0; i--) {
      const item = town.positions[i]!.items.find((x) => x[0] === worker);
      if (item) return { workerId: worker, lon: item[1], lat: item[2], at: item[3], speed: null, heading: null, accuracy: null };
    }
    return undefined;
  };

  it('sends notified workers towards the event: each fix nearer, then on the scene', async () => {
    const id = sim.createEvent(TOWN, { urgency: 'urgent', category: '0201' });
    const event = sim.snapshot(TOWN).events.find((e) => e.id === id)!;
    const workers = sim.snapshot(TOWN).workers.slice(0, 3).map((w) => w.id);
    const ack = await town.mutate(town.command(1, 'worker.notify', { workers, text: '请立即赶赴现场', eventId: id }, '2026-11-30T09:00:00+08:00'));
    expect(ack).toEqual({ status: 'applied' });
    await town.until(() => town.batches.some((b) => b.lastN === 1), 'lastN 1 without a change');
    const at = (w: string): number => {
      const f = lastFix(w)!;
      return distanceM([f.lon, f.lat], [event.location.lon, event.location.lat]);
    };
    const before: number[] = [];
    now += 20_000;
    sim.tick(20_000);
    await town.until(() => workers.every((w) => lastFix(w) !== undefined), 'fixes');
    for (const w of workers) before.push(at(w));
    now += 60_000;
    sim.tick(60_000);
    await town.until(() => workers.every((w) => (lastFix(w)?.at ?? 0) >= now - 5000), 'later fixes');
    workers.forEach((w, i) => expect(at(w)).toBeLessThan(Math.max(60, before[i]! - 200)));
    now += 3_600_000;
    sim.tick(3_600_000);
    await town.until(() => workers.every((w) => (lastFix(w)?.at ?? 0) >= now - 5000), 'fixes an hour on');
    for (const w of workers) expect(at(w)).toBeLessThan(60);
  });

  it('refuses unknown workers and bad arguments (the queue moves on)', async () => {
    expect(await town.mutate(town.command(2, 'worker.notify', { workers: ['w-nobody'], text: '测试' }))).toMatchObject({ status: 'rejected', code: 'invalid' });
    expect(await town.mutate(town.command(3, 'worker.notify', { workers: [], text: '' }))).toMatchObject({ status: 'rejected', code: 'invalid' });
    expect(sim.applied(town.auth.replica).map((c) => c.status)).toEqual(['applied', 'rejected', 'rejected']);
  });

  it('serves devices as `device` entities and links an alarm event to its device', async () => {
    const devices = [...town.state.entries()].filter(([k]) => k.startsWith('device/'));
    expect(devices.length).toBeGreaterThan(10);
    expect(new Set(devices.map(([, d]) => (d.data as { kind: string }).kind))).toEqual(new Set(['smoke', 'camera', 'waterLevel', 'manhole']));
    const res = await fetch(`${sim.url}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'device-alarm', town: TOWN }) });
    const body = (await res.json()) as { ok: boolean; id: string; device: string };
    expect(body.ok).toBe(true);
    const event = sim.snapshot(TOWN).events.find((e) => e.id === body.id)!;
    expect(event).toMatchObject({ source: 'sensor', device: body.device, category: '0201', urgency: 'urgent' });
    await town.until(() => (town.state.get(`device/${body.device}`)?.data as { status?: string } | undefined)?.status === 'alarm', 'the device in alarm');
    await town.until(() => (town.state.get(`event/${body.id}`)?.data as { device?: string } | undefined)?.device === body.device, 'the event with its device');
  });
});
