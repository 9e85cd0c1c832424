// The field desk over a real replica file: emergency mode on an urgent fire (its plan,
// the checklist with times, the search within 1 km with distances), worker.notify queued
// in the outbox once and answered, plan imports with clear errors, the unpatrolled grids
// going as fixes come in, the sweeps, devices and their alarms, the role gate, and a real
// town's replica starting without the demo's made-up plans and register.
import { pointOnFeature } from '@turf/point-on-feature';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultOf } from '../../../core/api/contract';
import type { Caller } from '../../../core/api/channels';
import { positionItem } from '../../../core/sync/protocol';
import type { Replica } from '../replica/replica';
import { GRID_A, GRID_B, T0, TOWN, batch, eventItem, runCommands, createArgs, seededReplica, tempDir } from '../replica/test-fixtures';
import { createReplicaService } from '../replica-service';
import { DEMO_PLANS } from '../../../core/emergency/plans';
import { FieldStore } from './store';
import type { ApiService } from '../service';

let tmp: ReturnType<typeof tempDir>;
let replica: Replica;
let service: ApiService;
const clock = { now: T0 };
let cursor = 2;

const inside = (code: string): [number, number] => pointOnFeature(TOWN.grids.find((g) => g.code === code)!.geometry).geometry.coordinates as [number, number];
const [ax, ay] = inside(GRID_A);
const workers = TOWN.workers.slice(0, 4).map((w) => w.id);

async function call<T>(method: string, args: unknown, caller?: Caller): Promise<T> {
  const r = await service.handle(method, args, caller);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}
async function refusal(method: string, args: unknown, caller?: Caller): Promise<{ code: string; message: string }> {
  const r = await service.handle(method, args, caller);
  if (r.ok) throw new Error(`${method} answered`);
  return r.error;
}
const apply = (items: unknown[]): void => {
  replica.applyBatch(batch(`c-${cursor}`, `c-${cursor + 1}`, items));
  cursor++;
};

beforeAll(async () => {
  tmp = tempDir();
  replica = (await seededReplica(tmp.file('field.db'), { now: () => clock.now })).replica;
  const fire = runCommands(null, [['event.create', { ...createArgs({ id: 'fire', at: T0 }), category: '0201', urgency: 'urgent', title: '南环社区民房起火', location: { lon: ax, lat: ay, address: '南环社区' } }, T0]]);
  replica.applyBatch(batch('c-1', 'c-2', [eventItem(fire, 1)]));
  // Four workers: two within 1 km (100 m, 800 m), two beyond it.
  replica.applyPositions(workers.map((w, i) => positionItem({ workerId: w, lon: ax, lat: ay + [0.0009, 0.0072, 0.02, 0.05][i]!, at: T0 - 1000, speed: 0, heading: null, accuracy: 5 })));
  // The demo's library and register: seeded only into the demo's replica (the embedded county).
  service = createReplicaService({ replica, clock: () => clock.now, demo: true });
});

afterAll(async () => {
  await service.close();
  await replica.close();
  tmp.cleanup();
});

describe('emergency mode', () => {
  it('opens the plan that fits a fire, ticks its steps with times', async () => {
    const e = await call<ResultOf<'emergency.open'>>('emergency.open', { eventId: 'fire' });
    expect(e.plan.id).toBe('fire');
    expect(e.status).toBe('active');
    const step = e.checklist[0]!.stepId;
    clock.now = T0 + 60_000;
    const ticked = await call<ResultOf<'emergency.check'>>('emergency.check', { eventId: 'fire', stepId: step, done: true });
    expect(ticked.checklist[0]).toMatchObject({ doneAt: '2026-11-30T09:01:00+08:00' });
    expect((await refusal('emergency.check', { eventId: 'fire', stepId: 'nope', done: true })).code).toBe('not-found');
  });

  it('finds the workers and resources within 1 km, nearest first, with distances', async () => {
    const near = await call<ResultOf<'emergency.nearby'>>('emergency.nearby', { eventId: 'fire', radiusM: 1000 });
    expect(near.workers.map((w) => w.worker.id)).toEqual(workers.slice(0, 2));
    expect(near.workers[0]!.distanceM).toBeGreaterThan(90);
    expect(near.workers[0]!.distanceM).toBeLessThan(110);
    expect(near.grids.map((g) => g.code)).toContain(GRID_A);
    const wide = await call<ResultOf<'emergency.nearby'>>('emergency.nearby', { eventId: 'fire', radiusM: 20_000 });
    expect(wide.resources.length).toBeGreaterThan(0);
    expect(wide.resources.map((r) => r.distanceM)).toEqual([...wide.resources.map((r) => r.distanceM)].sort((a, b) => a - b));
  });

  it('queues worker.notify once in the outbox, shows it on the emergency, and takes the county\'s answer', async () => {
    const r = await call<ResultOf<'worker.notify'>>('worker.notify', { workers: workers.slice(0, 2), text: '请立即赶赴现场', eventId: 'fire' });
    expect(r.state).toBe('queued');
    const out = replica.nextOutbound()!;
    expect(out).toMatchObject({ n: r.n, name: 'worker.notify', args: { workers: workers.slice(0, 2), text: '请立即赶赴现场', eventId: 'fire' } });
    expect(replica.queueLength()).toBe(1);
    replica.acknowledge(r.n, { status: 'applied' });
    const e = await call<ResultOf<'emergency.get'>>('emergency.get', { eventId: 'fire' });
    expect(e!.notices).toMatchObject([{ n: r.n, state: 'applied', workers: [{ id: workers[0] }, { id: workers[1] }] }]);
    expect((await refusal('worker.notify', { workers: ['w-nobody'], text: 'x' })).code).toBe('invalid');
    // An older county answers unknown-command: the notice says so, the queue moves on.
    const old = await call<ResultOf<'worker.notify'>>('worker.notify', { workers: [workers[0]], text: '再次通知', eventId: 'fire' });
    replica.acknowledge(old.n, { status: 'rejected', code: 'unknown-command', message: 'unknown command worker.notify' });
    const after = await call<ResultOf<'emergency.get'>>('emergency.get', { eventId: 'fire' });
    expect(after!.notices[1]).toMatchObject({ state: 'rejected', code: 'unknown-command' });
    expect(replica.nextOutbound()).toBeNull();
  });

  it('shows the wall only counts, and refuses the viewer the personal queries', async () => {
    const board = await call<ResultOf<'emergency.board'>>('emergency.board', {}, { role: 'viewer' });
    expect(board).toMatchObject([{ eventId: 'fire', stepsDone: 1, notified: 2 }]);
    expect(JSON.stringify(board)).not.toMatch(/phone|name/);
    expect((await refusal('emergency.nearby', { eventId: 'fire', radiusM: 1000 }, { role: 'viewer' })).code).toBe('forbidden');
    expect((await refusal('worker.notify', { workers: [workers[0]], text: 'x' }, { role: 'leader' })).code).toBe('forbidden');
    expect((await refusal('emergency.plans.save', { plan: {} }, { role: 'leader' })).code).toBe('forbidden');
  });
});

describe('the plans library', () => {
  const file = (json: unknown) => ({ fileName: 'plans.json', content: Buffer.from(JSON.stringify(json)).toString('base64') });
  it('imports a JSON file, and refuses a file with errors whole, naming them', async () => {
    const plan = { id: 'storm', name: '台风暴雨应急预案', categories: ['0206'], steps: [{ id: 's1', role: '网格员', text: '转移群众' }] };
    expect(await call('emergency.plans.import', file([plan]), { role: 'admin' })).toMatchObject({ imported: 1 });
    const bad = await refusal('emergency.plans.import', file([{ id: 'x y', name: '', steps: [] }, plan]), { role: 'admin' });
    expect(bad.code).toBe('invalid');
    expect(bad.message).toMatch(/第 1 个预案/);
    expect(bad.message).toMatch(/预案编号/);
    expect((await refusal('emergency.plans.import', { fileName: 'p.xlsx', content: Buffer.from('not a zip').toString('base64') }, { role: 'admin' })).message).toMatch(/Excel/);
    const plans = await call<ResultOf<'emergency.plans'>>('emergency.plans', {}, { role: 'admin' });
    expect(plans.map((p) => p.id)).toContain('storm');
  });
});

describe('the register of teams and resources', () => {
  it('adds, edits, retires and restores an entry; the search follows; bad input is refused whole', async () => {
    const draft = { kind: 'team', name: '南环社区抢险队', location: { lon: ax + 0.001, lat: ay }, detail: '队员 8 人', contact: { name: '周队长', phone: '13907301234' } };
    const added = await call<ResultOf<'emergency.resources.save'>>('emergency.resources.save', { resource: draft }, { role: 'admin' });
    expect(added).toMatchObject({ kind: 'team', grid: GRID_A, retiredAt: null });
    expect(added.id).toMatch(/^team-\d+$/);
    const near = async () => (await call<ResultOf<'emergency.nearby'>>('emergency.nearby', { eventId: 'fire', radiusM: 1000 })).resources.map((r) => r.resource.id);
    expect(await near()).toContain(added.id);
    // The admin sees staff phones masked; saving the form unchanged keeps the stored number.
    const seen = (await call<ResultOf<'emergency.resources'>>('emergency.resources', {}, { role: 'admin' })).find((r) => r.id === added.id)!;
    expect(seen.contact!.phone).toBe('139****1234');
    await call('emergency.resources.save', { resource: { ...draft, id: added.id, name: '南环社区应急抢险队', contact: seen.contact } }, { role: 'admin' });
    const stored = new FieldStore(replica.store()).resource(added.id)!;
    expect(stored).toMatchObject({ name: '南环社区应急抢险队', contact: { phone: '13907301234' } });
    const refused = await refusal('emergency.resources.save', { resource: { ...draft, location: { lon: 100, lat: 20 }, contact: { name: '周队长', phone: '139****9999' } } }, { role: 'dispatcher' });
    expect(refused.code).toBe('invalid');
    expect(refused.message).toMatch(/不在本镇/);
    expect(refused.message).toMatch(/电话号码不完整/);
    expect((await refusal('emergency.resources.save', { resource: { ...draft, name: '' } })).code).toBe('invalid');
    // Retired: kept on record, not offered by the search; then back in service.
    await call('emergency.resources.retire', { id: added.id }, { role: 'dispatcher' });
    expect(await near()).not.toContain(added.id);
    expect((await call<ResultOf<'emergency.resources'>>('emergency.resources', {})).map((r) => r.id)).not.toContain(added.id);
    expect((await call<ResultOf<'emergency.resources'>>('emergency.resources', { includeRetired: true })).find((r) => r.id === added.id)!.retiredAt).toMatch(/^2026-/);
    await call('emergency.resources.retire', { id: added.id, retired: false }, { role: 'dispatcher' });
    expect(await near()).toContain(added.id);
    expect((await refusal('emergency.resources.retire', { id: 'nope' })).code).toBe('not-found');
    // The leader reads the register, does not change it; the screens without personal data do not read it.
    expect((await call<ResultOf<'emergency.resources'>>('emergency.resources', {}, { role: 'leader' })).length).toBeGreaterThan(0);
    expect((await refusal('emergency.resources.save', { resource: draft }, { role: 'leader' })).code).toBe('forbidden');
    expect((await refusal('emergency.resources.retire', { id: added.id }, { role: 'village' })).code).toBe('forbidden');
    expect((await refusal('emergency.resources', {}, { role: 'viewer' })).code).toBe('forbidden');
  });
});

describe('a real town (not the demo)', () => {
  it('starts with an empty library and register, clears an earlier release\'s demo seed, and keeps its own plans', async () => {
    const real = (await seededReplica(tmp.file('real.db'), { now: () => clock.now })).replica;
    // An earlier release seeded every replica: the demo's plans and register, one demo plan saved since.
    const old = new FieldStore(real.store());
    old.seed(real.grids());
    old.savePlans([{ ...DEMO_PLANS[1]!, name: '本镇修订的防汛预案' }], clock.now);
    expect(old.resources().length).toBeGreaterThan(0);
    const ownEntry = { ...old.resources()[0]!, id: 'town-own', name: '本镇自建物资库', updatedAt: '2026-11-30T09:00:00+08:00' };
    old.putResource(ownEntry);
    const svc = createReplicaService({ replica: real, clock: () => clock.now });
    try {
      const ask = async <T>(method: string, args: unknown): Promise<T> => {
        const r = await svc.handle(method, args, { role: 'admin' });
        if (!r.ok) throw new Error(r.error.message);
        return r.result as T;
      };
      expect((await ask<ResultOf<'emergency.plans'>>('emergency.plans', {})).map((p) => p.name)).toEqual(['本镇修订的防汛预案']);
      expect(old.resources()).toEqual([ownEntry]);
      const own = { id: 'town-fire', name: '本镇火灾预案', categories: ['0201'], steps: [{ id: 's1', role: '网格员', text: '疏散群众' }] };
      await ask('emergency.plans.save', { plan: own });
      expect((await ask<ResultOf<'emergency.plans'>>('emergency.plans', {})).map((p) => p.id)).toEqual([DEMO_PLANS[1]!.id, 'town-fire'].sort());
    } finally {
      await svc.close();
      await real.close();
    }
    // A fresh real replica: nothing at all.
    const fresh = (await seededReplica(tmp.file('fresh.db'), { now: () => clock.now })).replica;
    const svc2 = createReplicaService({ replica: fresh, clock: () => clock.now });
    const plans = await svc2.handle('emergency.plans', {}, { role: 'admin' });
    expect(plans).toMatchObject({ ok: true, result: [] });
    expect(new FieldStore(fresh.store()).resources()).toEqual([]);
    await svc2.close();
    await fresh.close();
  });
});

describe('patrols and devices', () => {
  it('lists the unpatrolled grids and drops one once a worker walks into it', async () => {
    clock.now = T0 + 10 * 60_000;
    const before = await call<ResultOf<'patrol.today'>>('patrol.today', {});
    const target = before.unpatrolled.find((g) => g.code === GRID_B);
    expect(target).toBeDefined();
    const [bx, by] = inside(GRID_B);
    replica.applyPositions([positionItem({ workerId: workers[3]!, lon: bx, lat: by, at: clock.now - 1000, speed: 1, heading: 0, accuracy: 5 })]);
    const after = await call<ResultOf<'patrol.today'>>('patrol.today', {});
    expect(after.unpatrolled.map((g) => g.code)).not.toContain(GRID_B);
    expect(after.patrolled).toBe(before.patrolled + 1);
    const days = await call<ResultOf<'patrol.workers'>>('patrol.workers', {});
    expect(days.find((d) => d.workerId === workers[3])!.gridsEntered).toContain(GRID_B);
    const sweeps = await call<ResultOf<'patrol.sweeps'>>('patrol.sweeps', { date: '2026-12-01' });
    expect(sweeps.map((s) => s.kind)).toEqual(['monthly', 'quarterly']);
  });

  it('replicates devices, links their alarms, flags the silent ones; ignores a bad one', async () => {
    const at = (ms: number) => new Date(ms).toISOString();
    const device = (id: string, lastSeen: number) => ({ type: 'device', op: 'put', id, rev: 1, data: { kind: 'smoke', name: `烟感${id}`, location: { lon: ax, lat: ay }, grid: GRID_A, status: 'normal', lastSeenAt: at(lastSeen), intervalS: 600 } });
    const alarm = runCommands(null, [['event.create', { ...createArgs({ id: 'alarm', at: clock.now }), source: 'sensor', device: 'd-1' }, clock.now]], { id: 'sensor-net', role: 'system' });
    apply([device('d-1', clock.now - 60_000), device('d-2', clock.now - 3_600_000), { type: 'device', op: 'put', id: 'd-3', rev: 1, data: { kind: 'toaster' } }, eventItem(alarm, 1)]);
    const list = await call<ResultOf<'sensors.list'>>('sensors.list', {});
    expect(list.map((d) => [d.id, d.silent])).toEqual([['d-1', false], ['d-2', true]]);
    expect(list[0]!.lastAlarm).toMatchObject({ eventId: 'alarm' });
    expect((await call<ResultOf<'events.get'>>('events.get', { id: 'alarm' }))!.device).toBe('d-1');
  });
});
