// Downstream: `changes` batches applied with their cursor, the revision rule, resets,
// bad items, atomicity and restarts, on real SQLite files.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Replica } from './replica';
import {
  DISPATCHER,
  GRID_A,
  GRIDS,
  T0,
  TOWN,
  TOWN_CODE,
  batch,
  countyEvent,
  createArgs,
  del,
  eventItem,
  openReplica,
  put,
  seededReplica,
  tempDir,
  townItems,
} from './test-fixtures';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('applyBatch', () => {
  it('applies the demo town and stores the cursor, lastN and the sync time', async () => {
    const { replica, clock } = await openReplica(tmp.file('r.db'));
    clock.now = T0 + 5000;
    const result = replica.applyBatch(batch(null, 'c-1', townItems(), { lastN: null, more: true }));
    expect(result.status).toBe('applied');
    expect(result.applied).toBe(townItems().length);
    expect(result.ignored).toEqual([]);
    expect(result.changed.find((c) => c.type === 'worker')?.ids).toHaveLength(TOWN.workers.length);
    expect(replica.state()).toEqual({ cursor: 'c-1', lastN: null, nextN: 1, lastSyncAt: T0 + 5000, catchingUp: true });
    expect(replica.grids().map((g) => g.code)).toEqual(GRIDS.map((g) => g.code).sort());
    expect(replica.grids(1)).toEqual([TOWN.town]);
    expect(replica.departments()).toHaveLength(TOWN.departments.length);
    expect(replica.categories().find((c) => c.code === '0301')).toEqual(TOWN.categories.find((c) => c.code === '0301'));
    expect(replica.workers({}).find((w) => w.id === 'w-0001')).toEqual(TOWN.workers.find((w) => w.id === 'w-0001'));
    // more: false ends catching up
    replica.applyBatch(batch('c-1', 'c-2', [], { more: false }));
    expect(replica.state().catchingUp).toBe(false);
    expect(replica.integrityCheck()).toBe('ok');
    await replica.close();
  });

  it('applies an item only when its rev is greater than the one held; a del leaves a tombstone', async () => {
    const { replica } = await seededReplica(tmp.file('r.db'));
    const e = countyEvent({ id: 'e1', title: '旧标题' });
    const renamed = { ...e, title: '新标题' };
    expect(replica.applyBatch(batch('c-1', 'c-2', [eventItem(e, 5)])).applied).toBe(1);
    // An older revision and the same revision do nothing.
    const stale = replica.applyBatch(batch('c-2', 'c-3', [eventItem(renamed, 4), eventItem(renamed, 5)]));
    expect(stale.applied).toBe(0);
    expect(stale.changed).toEqual([]);
    expect(replica.getEvent('e1')?.title).toBe('旧标题');
    expect(replica.applyBatch(batch('c-3', 'c-4', [eventItem(renamed, 6)])).applied).toBe(1);
    expect(replica.getEvent('e1')?.title).toBe('新标题');
    // Delete at rev 7; the put of rev 6 arriving late must not bring it back.
    replica.applyBatch(batch('c-4', 'c-5', [del('event', 'e1', 7)]));
    expect(replica.getEvent('e1')).toBeNull();
    expect(replica.applyBatch(batch('c-5', 'c-6', [eventItem(renamed, 6)])).applied).toBe(0);
    expect(replica.getEvent('e1')).toBeNull();
    expect(replica.applyBatch(batch('c-6', 'c-7', [eventItem(e, 8)])).applied).toBe(1);
    expect(replica.getEvent('e1')?.title).toBe('旧标题');

    // The same rules for the other types.
    const worker = TOWN.workers[0]!;
    replica.applyBatch(batch('c-7', 'c-8', [del('worker', worker.id, 2)]));
    expect(replica.workers({}).some((w) => w.id === worker.id)).toBe(false);
    replica.applyBatch(batch('c-8', 'c-9', [put({ type: 'worker', id: worker.id, value: { ...worker, onDuty: false } }, 2)]));
    expect(replica.workers({}).some((w) => w.id === worker.id)).toBe(false);
    replica.applyBatch(batch('c-9', 'c-10', [put({ type: 'worker', id: worker.id, value: { ...worker, onDuty: false } }, 3)]));
    expect(replica.workers({ onDuty: false }).map((w) => w.id)).toContain(worker.id);

    // A del for an entity never seen still leaves its tombstone: the older put that arrives late does nothing.
    const dept = { type: 'department' as const, id: 'dept-new', value: { id: 'dept-new', name: '新部门', categories: [] } };
    const early = replica.applyBatch(batch('c-10', 'c-11', [del('department', 'dept-new', 5)]));
    expect([early.applied, early.changed]).toEqual([0, []]);
    expect(replica.applyBatch(batch('c-11', 'c-12', [put(dept, 4)])).applied).toBe(0);
    expect(replica.departments().some((d) => d.id === 'dept-new')).toBe(false);
    expect(replica.applyBatch(batch('c-12', 'c-13', [put(dept, 6)])).changed).toEqual([{ type: 'department', ids: ['dept-new'] }]);
    expect(replica.departments().find((d) => d.id === 'dept-new')).toEqual(dept.value);
    await replica.close();
  });

  it('answers duplicate for a batch already applied and out-of-sequence for a gap, storing nothing', async () => {
    const { replica } = await seededReplica(tmp.file('r.db'));
    const e = countyEvent({ id: 'e1' });
    expect(replica.applyBatch(batch('c-1', 'c-2', [eventItem(e, 1)])).status).toBe('applied');
    const again = replica.applyBatch(batch('c-1', 'c-2', [eventItem({ ...e, title: '重复投递' }, 9)]));
    expect(again).toEqual({ status: 'duplicate', applied: 0, ignored: [], changed: [] });
    const gap = replica.applyBatch(batch('c-5', 'c-6', [eventItem({ ...e, title: '跳号' }, 10)], { lastN: 3 }));
    expect(gap.status).toBe('out-of-sequence');
    expect(replica.getEvent('e1')?.title).toBe(e.title);
    expect(replica.state().cursor).toBe('c-2');
    expect(replica.state().lastN).toBeNull();
    // A first batch that presents a cursor while the replica has none is a gap too.
    const fresh = await openReplica(tmp.file('fresh.db'));
    expect(fresh.replica.applyBatch(batch('c-1', 'c-2', townItems())).status).toBe('out-of-sequence');
    expect(fresh.replica.grids()).toEqual([]);
    await fresh.replica.close();
    await replica.close();
  });

  it('skips unknown types (logged as info) and invalid items (warn) and applies the rest', async () => {
    const { replica, log } = await seededReplica(tmp.file('r.db'));
    const e = countyEvent({ id: 'e1' });
    const items = [
      { type: 'meeting', op: 'put', id: 'm1', rev: 1, data: {} },
      eventItem(e, 1),
      { type: 'event', op: 'put', id: 'e2', rev: 1, data: { ...eventItem(e, 1).data as object, status: 'bogus' } },
      { type: 'event', op: 'put', id: 'e3', rev: -4, data: {} },
      "'; DROP TABLE events; --",
      { type: 'grid', op: 'put', id: GRID_A, rev: 9, data: { ...GRIDS[5], code: '999' } },
      null,
    ];
    const result = replica.applyBatch(batch('c-1', 'c-2', items));
    expect(result.status).toBe('applied');
    expect(result.applied).toBe(1);
    expect(result.ignored.map((i) => [i.index, i.unknownType])).toEqual([
      [0, true],
      [2, false],
      [3, false],
      [4, false],
      [5, false],
      [6, false],
    ]);
    expect(result.ignored[0]?.reason).toContain('unknown entity type "meeting"');
    expect(result.ignored[1]?.reason).toContain('status');
    expect(log.info).toHaveLength(1);
    expect(log.warn).toHaveLength(5);
    expect(log.warn[0]).toContain('ignored item 2 of batch c-2');
    const stored = replica.inboundRejects(10);
    expect(stored).toHaveLength(6);
    expect(stored[0]).toMatchObject({ batchTo: 'c-2', index: 6, unknownType: false, excerpt: 'null' });
    expect(stored.find((r) => r.index === 4)?.excerpt).toBe(JSON.stringify("'; DROP TABLE events; --"));
    expect(replica.getEvent('e1')).toEqual(e);
    expect(replica.getEvent('e2')).toBeNull();
    expect(replica.grids().find((g) => g.code === GRID_A)).toEqual(GRIDS.find((g) => g.code === GRID_A));
    expect(replica.integrityCheck()).toBe('ok');
    await replica.close();
  });

  it('keeps only the newest inbound rejects', async () => {
    const { replica } = await seededReplica(tmp.file('r.db'), { inboundRejectsMax: 3 });
    replica.applyBatch(batch('c-1', 'c-2', [1, 2, 3, 4, 5]));
    expect(replica.inboundRejects(10).map((r) => r.index)).toEqual([4, 3, 2]);
    await replica.close();
  });

  it('stores nothing of a batch that fails half way: neither its items nor its cursor', async () => {
    const { replica } = await seededReplica(tmp.file('r.db'));
    const events = [1, 2, 3, 4].map((i) => countyEvent({ id: `e${i}` }));
    const internals = (replica as unknown as { sync: { applyEventItem: (...args: unknown[]) => boolean } }).sync;
    const original = internals.applyEventItem.bind(internals);
    let calls = 0;
    const spy = vi.spyOn(internals, 'applyEventItem').mockImplementation((...args: unknown[]) => {
      if (++calls === 3) throw new Error('disk full');
      return original(...args);
    });
    expect(() => replica.applyBatch(batch('c-1', 'c-2', events.map((e) => eventItem(e, 1)), { lastN: 4, more: true }))).toThrow('disk full');
    spy.mockRestore();
    expect(replica.state()).toMatchObject({ cursor: 'c-1', lastN: null, catchingUp: false });
    expect(replica.getEvent('e1')).toBeNull();
    expect(replica.listEvents({ paging: { offset: 0, limit: 10 }, sort: 'risk' }, T0).total).toBe(0);
    // The same batch, delivered again, applies in full.
    expect(replica.applyBatch(batch('c-1', 'c-2', events.map((e) => eventItem(e, 1)))).applied).toBe(4);
    expect(replica.state().cursor).toBe('c-2');
    await replica.close();
  });

  it('reset drops the replicated entities but keeps the outbox and the optimistic events', async () => {
    const { replica } = await seededReplica(tmp.file('r.db'));
    const e1 = countyEvent({ id: 'e1' });
    const e2 = countyEvent({ id: 'e2' });
    replica.applyBatch(batch('c-1', 'c-2', [eventItem(e1, 1), eventItem(e2, 1), del('event', 'gone', 3)]));
    const accepted = replica.command('event.accept', { id: 'e1' }, DISPATCHER, T0 + 60_000);
    const created = replica.command('event.create', createArgs({ id: 'local-1', title: '离线新建' }), DISPATCHER, T0 + 120_000);
    expect(accepted.ok && created.ok).toBe(true);

    // The snapshot's first batch: only part of the town, e1 unchanged; e2 is gone from the county.
    const snapshot = [...townItems().slice(0, 10), ...townItems().filter((i) => i.type === 'category' || i.type === 'worker'), eventItem(e1, 1)];
    const result = replica.applyBatch(batch(null, 's-1', snapshot, { reset: true, more: true }));
    expect(result.status).toBe('applied');
    expect(result.changed.every((c) => c.all === true)).toBe(true);
    expect(replica.grids()).toHaveLength(10);
    expect(replica.departments()).toEqual([]);
    expect(replica.getEvent('e2')).toBeNull();
    // e1's base came back at rev 1 (the tombstones went with the reset); the accept replays on it.
    expect(replica.getEvent('e1')?.status).toBe('accepted');
    expect(replica.snapshot().events.map((e) => e.id)).toEqual(['e1']);
    // The locally created event stays visible, with no base.
    expect(replica.getEvent('local-1')?.title).toBe('离线新建');
    expect(replica.unsentCount()).toBe(2);
    expect(replica.nextOutbound()?.n).toBe(1);
    expect(replica.state()).toMatchObject({ cursor: 's-1', catchingUp: true, nextN: 3 });
    // Search still finds the kept events.
    expect(replica.listEvents({ text: '离线新建', paging: { offset: 0, limit: 10 }, sort: 'risk' }, T0).items.map((e) => e.id)).toEqual(['local-1']);
    expect(replica.integrityCheck()).toBe('ok');
    await replica.close();
  });

  it('keeps the replica id, cursor, lastN, nextN and the outbox across a restart of the same file', async () => {
    const file = tmp.file('r.db');
    const first = await seededReplica(file);
    const id = first.replica.replicaId;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const e = countyEvent({ id: 'e1' });
    first.replica.applyBatch(batch('c-1', 'c-2', [eventItem(e, 1)], { lastN: 0 }));
    first.replica.command('event.accept', { id: 'e1' }, DISPATCHER, T0 + 60_000);
    first.replica.command('event.comment', { id: 'e1', note: '已电话联系' }, DISPATCHER, T0 + 90_000);
    first.replica.acknowledge(1, { status: 'applied' });
    await first.replica.close();

    const second = await openReplica(file);
    expect(second.replica.replicaId).toBe(id);
    expect(second.replica.town).toBe(TOWN_CODE);
    expect(second.replica.state()).toEqual({ cursor: 'c-2', lastN: 0, nextN: 3, lastSyncAt: T0, catchingUp: false });
    // Command 2 was never acknowledged: it is the next to send.
    expect(second.replica.nextOutbound()).toMatchObject({ n: 2, id: `${id}:2`, name: 'event.comment', args: { id: 'e1', note: '已电话联系' } });
    expect(second.replica.queueLength()).toBe(2);
    expect(second.replica.getEvent('e1')?.status).toBe('accepted');
    const third = second.replica.command('event.reject', { id: 'e1', reason: 'x' }, DISPATCHER, T0);
    expect(third.ok).toBe(false);
    const fourth = second.replica.command('event.comment', { id: 'e1', note: '再次联系' }, DISPATCHER, T0 + 100_000);
    expect(fourth.ok && fourth.receipt.n).toBe(3);
    await second.replica.close();
  });

  it('refuses a file made for another town and a malformed town code', async () => {
    const file = tmp.file('r.db');
    const { replica } = await openReplica(file);
    await replica.close();
    await expect(Replica.open({ file, town: '430624101' })).rejects.toThrow('serves town 430624103');
    await expect(Replica.open({ file: ':memory:', town: '4306' })).rejects.toThrow('9 digits');
  });

  it('works on :memory: for quick checks', async () => {
    const replica = await Replica.open({ file: ':memory:', town: TOWN_CODE, now: () => T0 });
    expect(replica.applyBatch(batch(null, 'c-1', townItems())).status).toBe('applied');
    expect(replica.gridTree()?.code).toBe(TOWN_CODE);
    expect(replica.integrityCheck()).toBe('ok');
    await replica.close();
    await replica.close();
  });
});
