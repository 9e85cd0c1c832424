// Upstream: commands queued with their optimistic effect, acknowledged, settled by
// lastN or rolled back by a rejection, on real SQLite files.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toIso } from '../../../core/time/shanghai';
import {
  DISPATCHER,
  MINUTE,
  T0,
  batch,
  countyEvent,
  createArgs,
  del,
  eventItem,
  runCommands,
  seededReplica,
  tempDir,
} from './test-fixtures';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const page = { paging: { offset: 0, limit: 100 }, sort: 'risk' as const };

describe('command and the optimistic overlay', () => {
  it('creates an event offline, shows it, and drops the overlay once lastN reaches its n', async () => {
    const { replica } = await seededReplica(tmp.file('r.db'));
    const at = T0 + 234; // the wire carries whole seconds: the replay uses T0 too
    const out = replica.command('event.create', createArgs({ id: 'n1', title: ' 路灯损坏 ' }), DISPATCHER, at);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.receipt).toMatchObject({ commandId: `${replica.replicaId}:1`, n: 1, eventId: 'n1' });
    expect(out.receipt.event.title).toBe('路灯损坏');
    expect(replica.getEvent('n1')).toEqual(out.receipt.event);
    const listed = replica.listEvents(page, T0);
    expect(listed.items.map((e) => e.id)).toEqual(['n1']);
    expect(listed.pending).toEqual(['n1']);
    expect(replica.snapshot().events).toEqual([]);
    expect(replica.state().nextN).toBe(2);
    expect(replica.nextOutbound()).toEqual({
      n: 1,
      id: `${replica.replicaId}:1`,
      name: 'event.create',
      args: { ...createArgs({ id: 'n1', title: '路灯损坏' }) },
      at: toIso(T0),
      actor: DISPATCHER,
    });
    expect([replica.unsentCount(), replica.queueLength()]).toEqual([1, 1]);

    // applied: no longer unsent, but still in the queue and still visible
    expect(replica.acknowledge(1, { status: 'applied' })).toEqual({ changedEventIds: [] });
    expect(replica.nextOutbound()).toBeNull();
    expect([replica.unsentCount(), replica.queueLength()]).toEqual([0, 1]);
    replica.applyBatch(batch('c-1', 'c-2', [], { lastN: null }));
    expect(replica.getEvent('n1')?.title).toBe('路灯损坏');
    expect(replica.pendingCommands('n1')).toEqual([{ n: 1, name: 'event.create', state: 'applied' }]);

    // The county's event arrives with lastN 1: the view is the county's, nothing pending.
    const county = runCommands(null, [['event.create', createArgs({ id: 'n1', title: '路灯损坏' }), T0]]);
    const settled = replica.applyBatch(batch('c-2', 'c-3', [eventItem(county, 1)], { lastN: 1 }));
    expect(settled.changed).toEqual([{ type: 'event', ids: ['n1'] }]);
    expect(replica.getEvent('n1')).toEqual(county);
    expect(replica.snapshot().events).toEqual([county]);
    expect(replica.listEvents(page, T0).pending).toEqual([]);
    expect(replica.queueLength()).toBe(0);
    expect(replica.pendingCommands('n1')).toEqual([]);
    expect(replica.state().lastN).toBe(1);
    // Settled, the view is the base: only the base is stored.
    const docs = (replica as unknown as { db: { prepare(sql: string): { all(): unknown[] } } }).db.prepare('SELECT base IS NOT NULL AS hasBase, view FROM event_docs').all();
    expect(docs).toEqual([{ hasBase: 1, view: null }]);
    await replica.close();
  });

  it('drops an event the county deletes even with a command pending; the command stays queued', async () => {
    const { replica } = await seededReplica(tmp.file('r.db'));
    replica.applyBatch(batch('c-1', 'c-2', [eventItem(countyEvent({ id: 'e1' }), 1)]));
    replica.command('event.comment', { id: 'e1', note: '跟进' }, DISPATCHER, T0 + MINUTE);
    const result = replica.applyBatch(batch('c-2', 'c-3', [del('event', 'e1', 2)]));
    expect(result.changed).toEqual([{ type: 'event', ids: ['e1'] }]);
    expect(replica.getEvent('e1')).toBeNull();
    expect(replica.listEvents(page, T0).total).toBe(0);
    expect(replica.nextOutbound()?.name).toBe('event.comment');
    // The county brings it back (a newer revision): the comment shows again on top.
    replica.applyBatch(batch('c-3', 'c-4', [eventItem(countyEvent({ id: 'e1' }), 3)]));
    expect(replica.getEvent('e1')?.history.map((h) => h.action)).toEqual(['event.create', 'event.comment']);
    expect(replica.integrityCheck()).toBe('ok');
    await replica.close();
  });

  it('keeps an applied command visible over an older base until lastN reaches it, and the view then equals the county', async () => {
    const { replica } = await seededReplica(tmp.file('r.db'));
    const base = countyEvent({ id: 'e1' });
    replica.applyBatch(batch('c-1', 'c-2', [eventItem(base, 1)]));
    const accepted = replica.command('event.accept', { id: 'e1', note: '已受理' }, DISPATCHER, T0 + 5 * MINUTE);
    expect(accepted.ok && accepted.receipt.event.status).toBe('accepted');
    replica.acknowledge(1, { status: 'applied' });
    // A batch before the county settled n=1: another change to e1 (a comment by the county), lastN still null.
    const commented = runCommands(base, [['event.comment', { id: 'e1', note: '县级关注' }, T0 + 4 * MINUTE]]);
    const result = replica.applyBatch(batch('c-2', 'c-3', [eventItem(commented, 2)]));
    expect(result.changed).toEqual([{ type: 'event', ids: ['e1'] }]);
    const view = replica.getEvent('e1');
    expect(view?.status).toBe('accepted');
    expect(view?.history.map((h) => h.action)).toEqual(['event.create', 'event.comment', 'event.accept']);
    expect(replica.snapshot().events[0]?.status).toBe('reported');

    const county = runCommands(commented, [['event.accept', { id: 'e1', note: '已受理' }, T0 + 5 * MINUTE]]);
    replica.applyBatch(batch('c-3', 'c-4', [eventItem(county, 3)], { lastN: 1 }));
    expect(replica.getEvent('e1')).toEqual(county);
    expect(replica.queueLength()).toBe(0);
    await replica.close();
  });

  it('rolls back a rejected command, lists it, and replays the later commands of the event on the rolled-back view', async () => {
    const { replica, clock } = await seededReplica(tmp.file('r.db'));
    const base = countyEvent({ id: 'e2' }, 'accepted');
    replica.applyBatch(batch('c-1', 'c-2', [eventItem(base, 1)]));
    const dispatched = replica.command('event.dispatch', { id: 'e2', to: { kind: 'department', id: 'dept-rj' } }, DISPATCHER, T0 + 10 * MINUTE);
    const commented = replica.command('event.comment', { id: 'e2', note: '请尽快处理' }, DISPATCHER, T0 + 11 * MINUTE);
    expect(dispatched.ok && commented.ok).toBe(true);
    expect(replica.getEvent('e2')?.status).toBe('dispatched');

    clock.now = T0 + HOUR_MS;
    const ack = replica.acknowledge(1, { status: 'rejected', code: 'invalid-transition', message: '事件已被县级平台派遣' });
    expect(ack).toEqual({ changedEventIds: ['e2'] });
    const view = replica.getEvent('e2');
    expect(view?.status).toBe('accepted');
    expect(view?.assignee).toBeNull();
    expect(view?.history.map((h) => h.action)).toEqual(['event.create', 'event.accept', 'event.comment']);
    expect(replica.rejectedCommands(10)).toEqual([
      {
        id: `${replica.replicaId}:1`,
        n: 1,
        name: 'event.dispatch',
        args: { id: 'e2', to: { kind: 'department', id: 'dept-rj' } },
        at: toIso(T0 + 10 * MINUTE),
        code: 'invalid-transition',
        message: '事件已被县级平台派遣',
        rejectedAt: toIso(T0 + HOUR_MS),
      },
    ]);
    // Final: a late duplicate answer changes nothing; the queue moves on to n=2.
    expect(replica.acknowledge(1, { status: 'applied' })).toEqual({ changedEventIds: [] });
    expect(replica.rejectedCommands(10)).toHaveLength(1);
    expect(replica.nextOutbound()?.n).toBe(2);
    expect([replica.unsentCount(), replica.queueLength()]).toEqual([1, 1]);
    await replica.close();
  });

  it('treats out-of-order as not final: nothing changes and the command is sent again', async () => {
    const { replica } = await seededReplica(tmp.file('r.db'));
    replica.applyBatch(batch('c-1', 'c-2', [eventItem(countyEvent({ id: 'e1' }), 1)]));
    replica.command('event.accept', { id: 'e1' }, DISPATCHER, T0 + MINUTE);
    expect(replica.acknowledge(1, { status: 'rejected', code: 'out-of-order', message: 'expected n=7' })).toEqual({ changedEventIds: [] });
    expect(replica.nextOutbound()?.n).toBe(1);
    expect(replica.getEvent('e1')?.status).toBe('accepted');
    expect(replica.rejectedCommands(10)).toEqual([]);
    // An answer for a command that does not exist is ignored.
    expect(replica.acknowledge(99, { status: 'applied' })).toEqual({ changedEventIds: [] });
    await replica.close();
  });

  it('keeps a command queued but hides it when the newer base no longer allows it', async () => {
    const { replica } = await seededReplica(tmp.file('r.db'));
    const base = countyEvent({ id: 'e3' });
    replica.applyBatch(batch('c-1', 'c-2', [eventItem(base, 1)]));
    replica.command('event.accept', { id: 'e3' }, DISPATCHER, T0 + MINUTE);
    const rejectedByCounty = runCommands(base, [['event.reject', { id: 'e3', reason: '重复上报' }, T0 + 30_000]]);
    replica.applyBatch(batch('c-2', 'c-3', [eventItem(rejectedByCounty, 2)]));
    expect(replica.getEvent('e3')).toEqual(rejectedByCounty);
    expect(replica.listEvents(page, T0).pending).toEqual([]);
    expect(replica.pendingCommands('e3')).toEqual([{ n: 1, name: 'event.accept', state: 'queued' }]);
    expect(replica.nextOutbound()?.name).toBe('event.accept');
    await replica.close();
  });

  it('replays a pending merge against its target: when the county closes the target the merge is not shown', async () => {
    const { replica } = await seededReplica(tmp.file('r.db'));
    const dup = countyEvent({ id: 'dup' });
    const main = countyEvent({ id: 'main' });
    replica.applyBatch(batch('c-1', 'c-2', [eventItem(dup, 1), eventItem(main, 1)]));
    const merged = replica.command('event.merge', { id: 'dup', into: 'main' }, DISPATCHER, T0 + MINUTE);
    expect(merged.ok && merged.receipt.event.status).toBe('merged');
    // Merging into an event that does not exist is refused locally and not queued.
    const missing = replica.command('event.merge', { id: 'main', into: 'nowhere' }, DISPATCHER, T0 + MINUTE);
    expect(missing).toMatchObject({ ok: false, code: 'not-found' });
    expect(replica.state().nextN).toBe(2);

    const closedMain = runCommands(main, [['event.reject', { id: 'main', reason: '不属实' }, T0 + 30_000]]);
    const result = replica.applyBatch(batch('c-2', 'c-3', [eventItem(closedMain, 2)]));
    expect(result.changed).toEqual([{ type: 'event', ids: ['main', 'dup'] }]);
    expect(replica.getEvent('dup')).toEqual(dup);
    await replica.close();
  });

  it('refuses invalid, unknown and disallowed commands without queueing them', async () => {
    const { replica } = await seededReplica(tmp.file('r.db'));
    replica.applyBatch(batch('c-1', 'c-2', [eventItem(countyEvent({ id: 'e1' }, 'accepted'), 1)]));
    expect(replica.command('event.launch', { id: 'e1' }, DISPATCHER, T0)).toMatchObject({ ok: false, code: 'unknown-command' });
    expect(replica.command('event.reject', { id: 'e1', reason: '   ' }, DISPATCHER, T0)).toEqual({ ok: false, code: 'invalid', message: '原因不能为空' });
    const twice = replica.command('event.accept', { id: 'e1' }, DISPATCHER, T0);
    expect(twice).toMatchObject({ ok: false, code: 'invalid-transition' });
    expect(!twice.ok && twice.message).toContain('只能受理待受理的事件');
    expect(replica.command('event.accept', { id: 'zz' }, DISPATCHER, T0)).toMatchObject({ ok: false, code: 'not-found' });
    expect(replica.command('event.close', { id: 'e1' }, { id: 'v', role: 'viewer' }, T0)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(replica.command('event.comment', { id: 'e1', note: 'x' }, { id: '', role: 'dispatcher' }, T0)).toMatchObject({ ok: false, code: 'invalid' });
    expect(replica.command('event.comment', { id: 'e1', note: 'x' }, DISPATCHER, Number.NaN)).toMatchObject({ ok: false, code: 'invalid' });
    expect(replica.command('event.create', createArgs({ id: 'e1' }), DISPATCHER, T0)).toMatchObject({ ok: false, code: 'conflict' });
    expect(replica.command('event.create', createArgs({ id: 'e9', category: '9999' }), DISPATCHER, T0)).toMatchObject({ ok: false, code: 'invalid' });
    expect(replica.state().nextN).toBe(1);
    expect(replica.nextOutbound()).toBeNull();
    await replica.close();
  });

  it('numbers commands 1, 2, 3 … and settles a run of them with one lastN', async () => {
    const { replica } = await seededReplica(tmp.file('r.db'));
    const base = countyEvent({ id: 'e1' });
    replica.applyBatch(batch('c-1', 'c-2', [eventItem(base, 1)]));
    const ns = [
      replica.command('event.accept', { id: 'e1' }, DISPATCHER, T0 + MINUTE),
      replica.command('event.dispatch', { id: 'e1', to: { kind: 'department', id: 'dept-rj' } }, DISPATCHER, T0 + 2 * MINUTE),
      replica.command('event.supervise', { id: 'e1', note: '加快进度' }, DISPATCHER, T0 + 3 * MINUTE),
    ].map((r) => (r.ok ? r.receipt.n : 0));
    expect(ns).toEqual([1, 2, 3]);
    expect(replica.getEvent('e1')?.supervisionCount).toBe(1);
    for (const n of ns) {
      expect(replica.nextOutbound()?.n).toBe(n);
      replica.acknowledge(n, { status: 'applied' });
    }
    expect(replica.queueLength()).toBe(3);
    // The county settled 1 and 2 so far: 3 stays on top of the county's state.
    const county2 = runCommands(base, [
      ['event.accept', { id: 'e1' }, T0 + MINUTE],
      ['event.dispatch', { id: 'e1', to: { kind: 'department', id: 'dept-rj' } }, T0 + 2 * MINUTE],
    ]);
    replica.applyBatch(batch('c-2', 'c-3', [eventItem(county2, 3)], { lastN: 2 }));
    expect(replica.queueLength()).toBe(1);
    expect(replica.getEvent('e1')?.supervisionCount).toBe(1);
    expect(replica.getEvent('e1')?.status).toBe('dispatched');
    const county3 = runCommands(county2, [['event.supervise', { id: 'e1', note: '加快进度' }, T0 + 3 * MINUTE]]);
    replica.applyBatch(batch('c-3', 'c-4', [eventItem(county3, 4)], { lastN: 3 }));
    expect(replica.getEvent('e1')).toEqual(county3);
    // lastN never goes backwards, whatever a batch says.
    replica.applyBatch(batch('c-4', 'c-5', [], { lastN: 1 }));
    expect(replica.state().lastN).toBe(3);
    await replica.close();
  });
});

const HOUR_MS = 3_600_000;
