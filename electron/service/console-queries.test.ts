// The console's queries over a real replica file: tab counts with the overdue rule,
// likely duplicates, whom to send, the grid of a point, dismissing a rejected command;
// and the refusals a dispatcher must understand, as the service answers them.
import { pointOnFeature } from '@turf/point-on-feature';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultOf } from '../../core/api/contract';
import type { GridEvent } from '../../core/model';
import { positionItem } from '../../core/sync/protocol';
import type { Replica } from './replica/replica';
import {
  GRID_A,
  GRID_B,
  HOUR,
  MINUTE,
  T0,
  TOWN,
  batch,
  countyEvent,
  createArgs,
  eventItem,
  runCommands,
  seededReplica,
  tempDir,
} from './replica/test-fixtures';
import { createReplicaService } from './replica-service';
import type { ApiService } from './service';

let tmp: ReturnType<typeof tempDir>;
let replica: Replica;
let service: ApiService;
const clock = { now: T0 };

/** A point inside a grid, for events placed where the test wants them. */
const inside = (code: string): [number, number] => {
  const grid = TOWN.grids.find((g) => g.code === code);
  if (!grid) throw new Error(`no grid ${code}`);
  return pointOnFeature(grid.geometry).geometry.coordinates as [number, number];
};
const [ax, ay] = inside(GRID_A);
/** About 100 m north of the point in GRID_A (0.0009° of latitude). */
const NEAR: [number, number] = [ax, ay + 0.0009];
/** About 1 km north. */
const FAR: [number, number] = [ax, ay + 0.009];

function placed(id: string, at: number, lonLat: [number, number], extra: Record<string, unknown> = {}): GridEvent {
  const args = { ...createArgs({ id, at }), location: { lon: lonLat[0], lat: lonLat[1], address: '南环社区' }, ...extra };
  return runCommands(null, [['event.create', args, at]]);
}

async function call<T = unknown>(method: string, args: unknown): Promise<{ ok: true; result: T } | { ok: false; error: { code: string; message: string } }> {
  return (await service.handle(method, args)) as never;
}

beforeAll(async () => {
  tmp = tempDir();
  replica = (await seededReplica(tmp.file('console.db'), { now: () => clock.now })).replica;
  const events: GridEvent[] = [
    // the subject of the duplicate search, and its likely duplicates
    placed('new', T0, [ax, ay]),
    placed('near', T0 - 3 * HOUR, NEAR),
    placed('far', T0 - HOUR, FAR),
    placed('old', T0 - 60 * HOUR, NEAR),
    placed('other-category', T0 - HOUR, NEAR, { category: '0401' }),
    countyEvent({ id: 'closed-near', at: T0 - 5 * HOUR }, 'closed'),
    // statuses for the counts: 'new', 'near', 'far', 'old', 'other-category' are reported
    countyEvent({ id: 'acc', at: T0 }, 'accepted'),
    countyEvent({ id: 'dis', at: T0 - HOUR, grid: GRID_B }, 'dispatched'),
  ];
  // closed-near sits at the fixtures' default location: move it next to 'new'
  const closed = events.find((e) => e.id === 'closed-near') as GridEvent;
  closed.location = { lon: NEAR[0], lat: NEAR[1], address: '南环社区' };
  replica.applyBatch(batch('c-1', 'c-2', events.map((e) => eventItem(e, 1))));
  service = createReplicaService({ replica, clock: () => clock.now });
});

afterAll(async () => {
  await service.close();
  await replica.close();
  tmp.cleanup();
});

describe('events.counts', () => {
  it('counts every tab in one call, overdue by the running clocks at the time of the query', async () => {
    clock.now = T0;
    const r = await call<ResultOf<'events.counts'>>('events.counts', {});
    if (!r.ok) throw new Error(r.error.message);
    expect(r.result.all).toBe(8);
    expect(r.result.byStatus).toMatchObject({ reported: 5, accepted: 1, dispatched: 1, closed: 1, handled: 0, escalated: 0 });
    // accept limits of 0301 are 30 min: 'near' (3 h), 'far' (1 h) and 'old' (60 h) ran out; 'new' did not;
    // 'other-category' (0401, 10 min) reported an hour ago ran out too (before 'far').
    expect(r.result.overdue).toBe(4);
    expect(r.result.at).toBe('2026-11-30T09:00:00+08:00');

    // the list's overdue tab shows the same events, most overdue first
    const list = await call<ResultOf<'events.list'>>('events.list', { overdue: true });
    if (!list.ok) throw new Error(list.error.message);
    expect(list.result.total).toBe(4);
    expect(list.result.items.map((e) => e.id)).toEqual(['old', 'near', 'other-category', 'far']);

    // an hour later 'new' is overdue as well
    clock.now = T0 + HOUR;
    const later = await call<ResultOf<'events.counts'>>('events.counts', {});
    expect(later.ok && later.result.overdue).toBe(5);
    clock.now = T0;
  });

  it('applies the queue filters: grid prefix, category, text', async () => {
    const byGrid = await call<ResultOf<'events.counts'>>('events.counts', { grid: GRID_B });
    expect(byGrid.ok && byGrid.result).toMatchObject({ all: 1, byStatus: { dispatched: 1 } });
    const byCategory = await call<ResultOf<'events.counts'>>('events.counts', { category: '04' });
    expect(byCategory.ok && byCategory.result).toMatchObject({ all: 1, overdue: 1 });
    const byText = await call<ResultOf<'events.counts'>>('events.counts', { text: 'GP-acc' });
    expect(byText.ok && byText.result.all).toBe(1);
    const bad = await call('events.counts', { from: '2026-11-30T10:00:00+08:00', to: '2026-11-30T09:00:00+08:00' });
    expect(bad.ok).toBe(false);
  });
});

describe('events.duplicates', () => {
  it('suggests open events of the same category within 200 m and 48 h, nearest first', async () => {
    const r = await call<ResultOf<'events.duplicates'>>('events.duplicates', { id: 'new' });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.result.map((d) => d.event.id)).toEqual(['near']);
    expect(r.result[0]?.distanceM).toBeGreaterThan(80);
    expect(r.result[0]?.distanceM).toBeLessThan(120);
    expect(r.result[0]?.minutesApart).toBe(180);
  });

  it('answers not-found for an unknown event', async () => {
    const r = await call('events.duplicates', { id: 'nope' });
    expect(r).toEqual({ ok: false, error: { code: 'not-found', message: '事件不存在：nope' } });
  });

  it('a suggested duplicate can be merged into the other', async () => {
    const merged = await call<ResultOf<'event.merge'>>('event.merge', { id: 'new', into: 'near' });
    if (!merged.ok) throw new Error(merged.error.message);
    expect(merged.result.event).toMatchObject({ status: 'merged', mergedInto: 'near' });
    // merged events are no candidates any more
    const r = await call<ResultOf<'events.duplicates'>>('events.duplicates', { id: 'near' });
    expect(r.ok && r.result.map((d) => d.event.id)).toEqual([]);
  });
});

describe('dispatch.recommend', () => {
  it("ranks the on-duty workers of the event's grid before its neighbours', with their last fix", async () => {
    replica.applyPositions([positionItem({ workerId: 'w-0003', lon: NEAR[0], lat: NEAR[1], at: T0 - MINUTE, speed: null, heading: null, accuracy: null })]);
    const r = await call<ResultOf<'dispatch.recommend'>>('dispatch.recommend', { eventId: 'acc', limit: 10 });
    if (!r.ok) throw new Error(r.error.message);
    const ids = r.result.map((x) => x.worker.id);
    // the fresh fix first among the full-time workers of the own grid; liaisons after them
    expect(ids[0]).toBe('w-0003');
    expect(r.result[0]).toMatchObject({ sameGrid: true, positionAgeMs: MINUTE, position: { workerId: 'w-0003' } });
    expect(ids.slice(0, 5).sort()).toEqual(['w-0001', 'w-0002', 'w-0003', 'w-0004', 'w-0005']);
    expect(r.result.length).toBeLessThanOrEqual(10);
    expect(r.result.every((x) => x.worker.onDuty)).toBe(true);
    expect(r.result.slice(5).every((x) => !x.sameGrid)).toBe(true);
  });
});

describe('grids.locate', () => {
  it('finds the grid and village of a point, and null outside the town', async () => {
    const r = await call<ResultOf<'grids.locate'>>('grids.locate', { lon: ax, lat: ay });
    const grid = TOWN.grids.find((g) => g.code === GRID_A);
    const village = TOWN.villages.find((v) => v.code === grid?.parent);
    expect(r).toEqual({ ok: true, result: { grid: { code: GRID_A, name: grid?.name, kind: 'basic' }, village: { code: village?.code, name: village?.name } } });
    expect(await call('grids.locate', { lon: 100, lat: 20 })).toEqual({ ok: true, result: null });
    expect((await call('grids.locate', { lon: 200, lat: 20 })).ok).toBe(false);
  });
});

describe('commands.pending', () => {
  it("lists an event's unsettled commands in order, and none once the county settled them", async () => {
    const accept = await call<ResultOf<'event.accept'>>('event.accept', { id: 'far' });
    const reject = await call<ResultOf<'event.comment'>>('event.comment', { id: 'far', note: '已电话联系报告人' });
    if (!accept.ok || !reject.ok) throw new Error('commands refused');
    expect(await call('commands.pending', { eventId: 'far' })).toEqual({
      ok: true,
      result: [
        { n: accept.result.n, name: 'event.accept', state: 'queued' },
        { n: reject.result.n, name: 'event.comment', state: 'queued' },
      ],
    });
    expect(await call('commands.pending', { eventId: 'acc' })).toEqual({ ok: true, result: [] });
  });
});

describe('commands.dismiss', () => {
  it('hides a rejected command from commands.rejected, once', async () => {
    const sent = await call<ResultOf<'event.comment'>>('event.comment', { id: 'dis', note: '请尽快处理' });
    if (!sent.ok) throw new Error(sent.error.message);
    const n = sent.result.n;
    replica.acknowledge(n, { id: sent.result.commandId, status: 'rejected', code: 'invalid-transition', message: '事件已结案' } as never);
    const listed = await call<ResultOf<'commands.rejected'>>('commands.rejected', {});
    expect(listed.ok && listed.result.map((c) => [c.n, c.message])).toEqual([[n, '事件已结案']]);

    expect(await call('commands.dismiss', { n })).toEqual({ ok: true, result: { n, dismissed: true } });
    expect(await call('commands.rejected', {})).toEqual({ ok: true, result: [] });
    expect(await call('commands.dismiss', { n })).toEqual({ ok: true, result: { n, dismissed: false } });
    // a command that was not rejected is not dismissed
    expect(await call('commands.dismiss', { n: 1 })).toEqual({ ok: true, result: { n: 1, dismissed: false } });
  });
});

describe('refusals a dispatcher understands', () => {
  it('a reject without a reason, a dispatch to nobody, a close before verification', async () => {
    const reject = await call('event.reject', { id: 'old', reason: '  ' });
    expect(reject).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringContaining('原因不能为空') } });
    const dispatch = await call('event.dispatch', { id: 'acc', to: { kind: 'person', id: '' } });
    expect(dispatch).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringContaining('派遣对象编号不能为空') } });
    // nothing was queued for them
    expect(replica.getEvent('old')?.status).toBe('reported');
    const feedback = runCommands(replica.getEvent('dis'), [['event.feedback', { id: 'dis', note: '已处理' }, T0]], {
      id: 'op-rj',
      role: 'department',
      departmentId: 'dept-rj',
    });
    replica.applyBatch(batch('c-2', 'c-3', [eventItem(feedback, 2)]));
    const close = await call('event.close', { id: 'dis' });
    expect(close).toEqual({
      ok: false,
      error: { code: 'invalid-transition', message: '事件当前状态为“待核查”，不能结案：需先完成核查' },
    });
  });
});
