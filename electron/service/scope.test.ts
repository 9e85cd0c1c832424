// What a scoped caller sees and may act on, over a real replica file: a village
// operator only its village's events, workers and figures; a department operator the
// events of its department (lead, cooperating, or acted on). Out of scope reads as not
// found; a command on it is forbidden before the workflow looks at it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller } from '../../core/api/channels';
import type { ResultOf } from '../../core/api/contract';
import type { GridEvent } from '../../core/model';
import { eventInScope } from '../../core/privacy/scope';
import { positionItem } from '../../core/sync/protocol';
import type { Replica } from './replica/replica';
import { GRID_A, GRID_B, MINUTE, T0, TOWN, batch, countyEvent, createArgs, eventItem, runCommands, seededReplica, tempDir } from './replica/test-fixtures';
import { createReplicaService } from './replica-service';
import { createScopes, pushInScope, withScope } from './scope';
import { DEPARTMENT_WALK_MIN } from './replica/queries';
import type { Handlers, PushListener } from './service';
import type { ApiService } from './service';

const VILLAGE_A = TOWN.grids.find((g) => g.code === GRID_A)!.parent!;
const VILLAGE_B = TOWN.grids.find((g) => g.code === GRID_B)!.parent!;
const GRIDS_OF_A = TOWN.grids.filter((g) => g.parent === VILLAGE_A).map((g) => g.code);

const village: Caller = { role: 'village', grids: [VILLAGE_A], user: { id: 'u-vil', name: '课功村工作站' } };
const rj: Caller = { role: 'department', departmentId: 'dept-rj', user: { id: 'u-rj', name: '人居办经办人', departmentId: 'dept-rj' } };
const dispatcher: Caller = { role: 'dispatcher', user: { id: 'u-d', name: '王调度' } };

let tmp: ReturnType<typeof tempDir>;
let replica: Replica;
let service: ApiService;

/** Events: a1, a2 in village A; b1 in village B dispatched to dept-rj; b2 cooperated on by dept-rj; b3 commented by dept-rj; b4 nobody's. */
function events(): GridEvent[] {
  const a1 = countyEvent({ id: 'a1', grid: GRID_A });
  const a2 = countyEvent({ id: 'a2', grid: GRIDS_OF_A[1] ?? GRID_A }, 'accepted');
  const b1 = countyEvent({ id: 'b1', grid: GRID_B }, 'dispatched');
  const b2accepted = countyEvent({ id: 'b2', grid: GRID_B }, 'accepted');
  const b2 = runCommands(b2accepted, [['event.dispatch', { id: 'b2', to: { kind: 'department', id: 'dept-zz' }, cooperating: ['dept-rj'] }, T0 + 5 * MINUTE]]);
  const b3 = runCommands(countyEvent({ id: 'b3', grid: GRID_B }), [['event.comment', { id: 'b3', note: '已了解' }, T0 + MINUTE]], {
    id: 'op-rj2',
    role: 'department',
    departmentId: 'dept-rj',
  });
  const b4 = countyEvent({ id: 'b4', grid: GRID_B });
  return [a1, a2, b1, b2, b3, b4];
}

const call = async <T = unknown>(method: string, args: unknown, caller: Caller) =>
  (await service.handle(method, args, caller)) as { ok: true; result: T } | { ok: false; error: { code: string; message: string } };
const ok = async <T = unknown>(method: string, args: unknown, caller: Caller): Promise<T> => {
  const r = await call<T>(method, args, caller);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.result;
};
const ids = (page: ResultOf<'events.list'>) => page.items.map((e) => e.id).sort();
const PAGE = { paging: { offset: 0, limit: 50 } };

beforeAll(async () => {
  tmp = tempDir();
  replica = (await seededReplica(tmp.file('scope.db'))).replica;
  replica.applyBatch(batch('c-1', 'c-2', events().map((e, i) => eventItem(e, 10 + i))));
  replica.applyPositions(
    TOWN.workers.slice(0, 40).map((w) => positionItem({ workerId: w.id, lon: 112.9, lat: 28.6, at: T0, speed: null, heading: null, accuracy: null })),
  );
  service = createReplicaService({ replica, clock: () => T0 + 10 * MINUTE });
});

afterAll(async () => {
  await service.close();
  await replica.close();
  tmp.cleanup();
});

describe('a village operator (grids of its village)', () => {
  it('lists, counts and gets only the events of its village', async () => {
    expect(ids(await ok('events.list', PAGE, village))).toEqual(['a1', 'a2']);
    expect((await ok<ResultOf<'events.list'>>('events.list', PAGE, village)).total).toBe(2);
    expect((await ok<ResultOf<'events.list'>>('events.list', { ...PAGE, grid: VILLAGE_B }, village)).total).toBe(0);
    expect((await ok<ResultOf<'events.list'>>('events.list', { ...PAGE, status: ['reported'] }, village)).total).toBe(1);
    const counts = await ok<ResultOf<'events.counts'>>('events.counts', {}, village);
    expect([counts.all, counts.byStatus.reported, counts.byStatus.accepted]).toEqual([2, 1, 1]);
    expect(await ok('events.get', { id: 'a1' }, village)).toMatchObject({ id: 'a1' });
    expect(await ok('events.get', { id: 'b4' }, village)).toBeNull();
    expect(ids(await ok('events.list', PAGE, dispatcher))).toEqual(['a1', 'a2', 'b1', 'b2', 'b3', 'b4']);
  });

  it('learns nothing of another village through duplicates, recommendations or pending commands', async () => {
    expect(await call('events.duplicates', { id: 'b4' }, village)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await call('dispatch.recommend', { eventId: 'b1' }, village)).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await ok('commands.pending', { eventId: 'b1' }, village)).toEqual([]);
    const recommended = await ok<ResultOf<'dispatch.recommend'>>('dispatch.recommend', { eventId: 'a1' }, village);
    for (const r of recommended) expect(r.worker.grids.some((g) => g.startsWith(VILLAGE_A))).toBe(true);
  });

  it('sees the workers and positions of its village only, and may locate any point', async () => {
    const workers = await ok<ResultOf<'workers.list'>>('workers.list', {}, village);
    expect(workers.length).toBeGreaterThan(0);
    for (const w of workers) expect(w.grids.some((g) => g.startsWith(VILLAGE_A))).toBe(true);
    const visible = new Set(workers.map((w) => w.id));
    const positions = await ok<ResultOf<'workers.positions'>>('workers.positions', {}, village);
    expect(positions.length).toBeGreaterThan(0);
    for (const p of positions) expect(visible.has(p.workerId)).toBe(true);
    expect((await ok<ResultOf<'workers.positions'>>('workers.positions', {}, dispatcher)).length).toBe(40);
    const other = TOWN.workers.find((w) => w.grids.every((g) => g.startsWith(VILLAGE_B)))!;
    expect(await ok('workers.track', { workerId: other.id, from: '2026-11-30T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00' }, village)).toEqual([]);
    expect((await call('grids.locate', { lon: 112.9, lat: 28.6 }, village)).ok).toBe(true);
  });

  it('has the figures of its village', async () => {
    const town = await ok<ResultOf<'stats.overview'>>('stats.overview', {}, dispatcher);
    const mine = await ok<ResultOf<'stats.overview'>>('stats.overview', {}, village);
    expect([town.open, mine.open]).toEqual([6, 2]);
    expect(mine.latest.map((e) => e.id).sort()).toEqual(['a1', 'a2']);
    expect(mine.patrol.basicGrids).toBe(GRIDS_OF_A.length);
    expect(mine.workers.total).toBeLessThan(town.workers.total);
  });

  it('reports inside its grids, and is refused outside them or on another village’s event', async () => {
    const here = { ...createArgs({ id: 'v1', grid: GRID_A }), source: 'walkIn' };
    expect(await call('event.create', here, village)).toMatchObject({ ok: true });
    const there = { ...createArgs({ id: 'v2', grid: GRID_B }), source: 'walkIn' };
    const refused = await call('event.create', there, village);
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(!refused.ok && refused.error.message).toMatch(/范围以外的网格/);
    expect(await call('event.comment', { id: 'b4', note: '看看' }, village)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call('event.comment', { id: 'a1', note: '已联系村民' }, village)).toMatchObject({ ok: true });
    // A village without grids (a broken account) sees nothing rather than the town.
    expect((await ok<ResultOf<'events.list'>>('events.list', PAGE, { role: 'village' })).total).toBe(0);
  });
});

describe('a department operator (its department’s events)', () => {
  it('lists the events it leads, cooperates on or acted on, and counts them', async () => {
    expect(ids(await ok('events.list', PAGE, rj))).toEqual(['b1', 'b2', 'b3']);
    expect((await ok<ResultOf<'events.counts'>>('events.counts', {}, rj)).all).toBe(3);
    expect(await ok('events.get', { id: 'b4' }, rj)).toBeNull();
    expect(await ok('workers.list', {}, rj)).toEqual([]);
    // Without its department: nothing.
    expect((await ok<ResultOf<'events.list'>>('events.list', PAGE, { role: 'department' })).total).toBe(0);
  });

  it("may not act on another department's event: forbidden before the workflow", async () => {
    const r = await call('event.feedback', { id: 'b4', note: '已处理' }, rj);
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(!r.ok && r.error.message).toMatch(/范围以外的事件/);
    expect(await call('event.feedback', { id: 'b1', note: '已处理' }, rj)).toMatchObject({ ok: true });
  });

  it('follows the event as it moves: a local dispatch, a county change, a return', async () => {
    const list = async () => ids(await ok('events.list', PAGE, rj));
    await ok('event.create', { ...createArgs({ id: 'd1', grid: GRID_B }), source: 'hotline' }, dispatcher);
    await ok('event.accept', { id: 'd1' }, dispatcher);
    expect(await list()).not.toContain('d1');
    await ok('event.dispatch', { id: 'd1', to: { kind: 'department', id: 'dept-rj' } }, dispatcher);
    expect(await list()).toContain('d1');
    // The county assigns b4 to another department with dept-rj cooperating.
    const b4 = runCommands(countyEvent({ id: 'b4', grid: GRID_B }, 'accepted'), [
      ['event.dispatch', { id: 'b4', to: { kind: 'department', id: 'dept-gt' }, cooperating: ['dept-rj'] }, T0 + 5 * MINUTE],
    ]);
    replica.applyBatch(batch('c-2', 'c-3', [eventItem(b4, 100)]));
    expect(await list()).toContain('b4');
    // Returned by the operator: the department acted on it, so it stays in its queue.
    await ok('event.return', { id: 'd1', reason: '不属于本部门职责' }, rj);
    expect(await ok('events.get', { id: 'd1' }, rj)).toMatchObject({ id: 'd1', assignee: null });
    expect(await list()).toContain('d1');
    const moved = runCommands(b4, [['event.return', { id: 'b4', reason: '退回' }, T0 + 6 * MINUTE]], { id: 'op-gt', role: 'department', departmentId: 'dept-gt' });
    replica.applyBatch(batch('c-3', 'c-4', [eventItem(moved, 101)]));
    expect(await list()).not.toContain('b4');
  });

  it('agrees with the predicate of core/privacy/scope for every event', async () => {
    const scopes = createScopes(replica);
    const all = (await ok<ResultOf<'events.list'>>('events.list', PAGE, dispatcher)).items;
    for (const caller of [village, rj, { role: 'leader', grids: [GRID_B] } as Caller]) {
      const listed = new Set(ids(await ok('events.list', PAGE, caller)));
      for (const e of all) expect({ id: e.id, listed: listed.has(e.id) }).toEqual({ id: e.id, listed: eventInScope(e, scopes.of(caller)) });
    }
  });
});

describe('pushes in scope', () => {
  it('carry only the events in the caller’s scope, and no town counts', async () => {
    const seen: Record<string, unknown[]> = { village: [], dispatcher: [] };
    const offV = service.subscribe((topic, payload) => topic === 'entities.changed' && seen.village!.push(payload), village);
    const offD = service.subscribe((topic, payload) => topic === 'entities.changed' && seen.dispatcher!.push(payload), dispatcher);
    await ok('event.comment', { id: 'b4', note: '另一个村的事' }, dispatcher);
    await ok('event.comment', { id: 'a2', note: '本村的事' }, dispatcher);
    offV();
    offD();
    expect(seen.dispatcher).toHaveLength(2);
    expect(seen.village).toHaveLength(1);
    expect(seen.village![0]).toMatchObject({ ids: ['a2'], events: [{ id: 'a2' }] });
    expect(seen.village![0]).not.toHaveProperty('counts');
    expect(JSON.stringify(seen.village)).not.toContain('b4');
  });

  it('carry the positions of the workers in scope only', () => {
    const scopes = createScopes(replica);
    const got: unknown[] = [];
    const listener = pushInScope(((_t: string, p: unknown) => got.push(p)) as PushListener, village, scopes, replica);
    const mine = TOWN.workers.find((w) => w.grids.every((g) => g.startsWith(VILLAGE_A)))!;
    const other = TOWN.workers.find((w) => w.grids.every((g) => g.startsWith(VILLAGE_B)))!;
    const fix = (workerId: string) => ({ workerId, lon: 112.9, lat: 28.6, at: T0, speed: null, heading: null, accuracy: null });
    listener('positions', { at: T0, items: [fix(mine.id), fix(other.id)] });
    listener('positions', { at: T0, items: [fix(other.id)] });
    expect(got).toEqual([{ at: T0, items: [fix(mine.id)] }]);
  });
});

describe('rejected commands in scope', () => {
  it('lists a scoped caller only the rejected commands about its events, or its reports that never became one', async () => {
    const rejected = [
      { id: 'r:1', n: 1, name: 'event.comment', args: { id: 'a1', note: 'x' } },
      { id: 'r:2', n: 2, name: 'event.comment', args: { id: 'b4', note: 'x' } },
      { id: 'r:3', n: 3, name: 'event.create', args: { id: 'gone-1', grid: GRID_A } },
      { id: 'r:4', n: 4, name: 'event.create', args: { id: 'gone-2', grid: GRID_B } },
    ].map((c) => ({ ...c, at: '2026-11-30T09:00:00+08:00', code: 'invalid', message: 'x', rejectedAt: '2026-11-30T09:01:00+08:00' }));
    const handlers = withScope({ 'commands.rejected': () => rejected } as unknown as Handlers, createScopes(replica), replica, () => T0);
    const of = async (caller: Caller) => ((await handlers['commands.rejected']({ limit: 10 }, caller)) as { id: string }[]).map((c) => c.id);
    expect(await of(dispatcher)).toEqual(['r:1', 'r:2', 'r:3', 'r:4']);
    expect(await of(village)).toEqual(['r:1', 'r:3']);
    expect(await of(rj)).toEqual([]);
  });
});


describe('a department with many events (the page walks the queue order)', () => {
  it('lists the same events as the department’s set, in the queue order, with the right total', async () => {
    const dir = tempDir();
    const big = (await seededReplica(dir.file('big.db'))).replica;
    try {
      // More than DEPARTMENT_WALK_MIN events dispatched to dept-rj (every third goes to dept-gt).
      const count = Math.ceil(DEPARTMENT_WALK_MIN * 1.5) + 150;
      const made = Array.from({ length: count }, (_, i) => {
        const id = `m${i}`;
        const e = countyEvent({ id, grid: i % 2 === 0 ? GRID_A : GRID_B, at: T0 - i * MINUTE, urgency: i % 5 === 0 ? 'urgent' : 'normal' }, 'accepted');
        return runCommands(e, [['event.dispatch', { id, to: { kind: 'department', id: i % 3 === 0 ? 'dept-gt' : 'dept-rj' } }, T0]]);
      });
      big.applyBatch(batch('c-1', 'c-2', made.map((e, i) => eventItem(e, 10 + i))));
      const mine = made.filter((_, i) => i % 3 !== 0).map((e) => e.id);
      expect(mine.length).toBeGreaterThan(DEPARTMENT_WALK_MIN);
      const scoped = { department: 'dept-rj' };
      const all = big.listEvents({ paging: { offset: 0, limit: 500 }, sort: 'risk' }, T0).items.map((e) => e.id).filter((id) => mine.includes(id));
      for (const sort of ['risk', 'reportedAt'] as const) {
        const page = big.listEvents({ paging: { offset: 20, limit: 30 }, sort, scope: scoped }, T0);
        expect(page.total).toBe(mine.length);
        const town = big.listEvents({ paging: { offset: 0, limit: 5000 }, sort }, T0).items.map((e) => e.id).filter((id) => mine.includes(id));
        expect(page.items.map((e) => e.id)).toEqual(town.slice(20, 50));
      }
      expect(all.length).toBeGreaterThan(0);
      expect(big.listEvents({ paging: { offset: 0, limit: 10 }, sort: 'risk', status: ['dispatched'], scope: scoped }, T0).total).toBe(mine.length);
      // Read through by keyset pages (the exports), walked or not: the same events in the same order, ties on the key broken by seq.
      const through = (args: Parameters<typeof big.eventsAfter>[0], level?: 'numbers') => {
        const events: GridEvent[] = [];
        let total: number | null = null;
        let after: Parameters<typeof big.eventsAfter>[1] = null;
        do {
          const page = big.eventsAfter(args, after, 997, T0, level);
          total ??= page.total;
          events.push(...page.events);
          after = page.next;
        } while (after !== null);
        return { ids: events.map((e) => e.id), events, total };
      };
      for (const sort of ['risk', 'reportedAt'] as const) {
        const town = big.listEvents({ paging: { offset: 0, limit: 5000 }, sort }, T0).items.map((e) => e.id);
        const read = through({ sort });
        expect(read.total).toBe(town.length);
        expect(read.ids).toEqual(town);
        const inScope = through({ sort, scope: scoped });
        expect(inScope.total).toBe(mine.length);
        expect(inScope.ids).toEqual(town.filter((id) => mine.includes(id)));
      }
      // At a mask level, as the queue's page at that level shows them.
      const masked = through({ sort: 'risk', status: ['dispatched'], urgency: 'urgent' }, 'numbers');
      expect(masked.events).toEqual(big.listEvents({ paging: { offset: 0, limit: 5000 }, sort: 'risk', status: ['dispatched'], urgency: 'urgent' }, T0, 'numbers').items);
      expect(masked.total).toBe(masked.events.length);
    } finally {
      await big.close();
      dir.cleanup();
    }
  }, 60_000);
});
