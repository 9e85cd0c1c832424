// The API over the replica, with a replica and a link double: how calls map to the
// replica, how rejections are answered, and how pushes are shaped and coalesced.
// The same service against the real replica and simulator: service.e2e.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandReceipt } from '../../core/api/contract';
import type { Actor, GridEvent, PositionFix } from '../../core/model';
import type { LinkStatus } from '../../core/api/contract';
import type { LinkEventMap } from './link/county-link';
import type { ServiceLink, ServiceReplica } from './replica-service';
import { DEFAULT_ACTOR, MAX_EVENTS_PER_PUSH, createReplicaService } from './replica-service';
import type { ApiService } from './service';
import { freshWorkflow } from '../../core/events/transition';

const NOW = Date.parse('2026-11-28T01:00:00Z');

function fakeEvent(id: string): GridEvent {
  return {
    id,
    code: 'GP20261128-0001',
    title: '道路积水',
    description: '',
    category: 'c-1',
    status: 'accepted',
    urgency: 'normal',
    source: 'patrol',
    location: { lon: 112.9, lat: 28.6, address: '南环路' },
    grid: '430624103001001',
    reportedAt: '2026-11-28T08:00:00+08:00',
    reporter: null,
    ...freshWorkflow(),
    tier: 'general',
  };
}

class Replica implements ServiceReplica {
  readonly replicaId = '9b2f6a1e-0c3d-4e5f-8a7b-1c2d3e4f5a6b';
  readonly town = '430624103';
  readonly calls: unknown[][] = [];
  queued = 0;
  state() {
    return { cursor: 'c-1', lastN: null, nextN: this.queued + 1, lastSyncAt: NOW, catchingUp: false };
  }
  command(name: string, args: unknown, actor: Actor, atMs: number) {
    this.calls.push(['command', name, args, actor, atMs]);
    const id = (args as { id: string }).id;
    if (id === 'closed') return { ok: false as const, code: 'invalid-transition', message: '事件已结案,不能受理' };
    this.queued++;
    const receipt: CommandReceipt = { commandId: `${this.replicaId}:${this.queued}`, n: this.queued, eventId: id, event: fakeEvent(id) };
    return { ok: true as const, receipt, changed: [id] };
  }
  queueLength() {
    return this.queued;
  }
  unsentCount() {
    return this.queued;
  }
  rejectedCommands(limit: number) {
    this.calls.push(['rejectedCommands', limit]);
    return [];
  }
  listEvents(args: Parameters<ServiceReplica['listEvents']>[0], nowMs: number) {
    this.calls.push(['listEvents', args, nowMs]);
    return { items: [fakeEvent('e-1')], total: 1, offset: 0, limit: 100 };
  }
  eventsAfter(args: Parameters<ServiceReplica['eventsAfter']>[0], after: Parameters<ServiceReplica['eventsAfter']>[1]) {
    this.calls.push(['eventsAfter', args, after]);
    return { events: after === null ? [fakeEvent('e-1')] : [], next: null, total: after === null ? 1 : null };
  }
  getEvent(id: string) {
    return id === 'e-1' ? fakeEvent('e-1') : null;
  }
  grids(level?: 1 | 2 | 3) {
    this.calls.push(['grids', level]);
    return [{ code: '430624103', name: '古培镇', level: 1 as const, kind: 'basic' as const, parent: null, geometry: { type: 'Polygon' as const, coordinates: [] } }];
  }
  gridTree() {
    return null;
  }
  departments() {
    return [];
  }
  categories() {
    return [];
  }
  workers(filter: { grid?: string; onDuty?: boolean }) {
    this.calls.push(['workers', filter]);
    return [];
  }
  positions(): PositionFix[] {
    return [{ workerId: 'w-1', lon: 112.9, lat: 28.6, at: NOW, speed: null, heading: null, accuracy: null }];
  }
  track(workerId: string, fromMs: number, toMs: number) {
    this.calls.push(['track', workerId, fromMs, toMs]);
    return [];
  }
  countEvents() {
    return { byStatus: {}, overdue: 0, all: 0 };
  }
  eventsOfCategoryBetween() {
    return [];
  }
  dismissRejected() {
    return false;
  }
  pendingCommands() {
    return [];
  }
}

class Link implements ServiceLink {
  kicks = 0;
  reconnects = 0;
  reconnect() {
    this.reconnects++;
  }
  private readonly listeners = new Map<string, Set<(p: unknown) => void>>();
  status(): LinkStatus {
    return { state: 'online', since: '2026-11-28T09:00:00+08:00', queueLength: 0, lastSyncAt: null, catchingUp: false };
  }
  kick() {
    this.kicks++;
  }
  log() {
    return [{ at: '2026-11-28T09:00:00+08:00', level: 'warn' as const, topic: 'changes' as const, message: 'dropped' }];
  }
  on<K extends keyof LinkEventMap>(event: K, listener: (payload: LinkEventMap[K]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener as (p: unknown) => void);
    return () => set.delete(listener as (p: unknown) => void);
  }
  fire<K extends keyof LinkEventMap>(event: K, payload: LinkEventMap[K]): void {
    for (const l of this.listeners.get(event) ?? []) l(payload);
  }
  count(): number {
    return [...this.listeners.values()].reduce((n, s) => n + s.size, 0);
  }
}

const services: ApiService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
});

function setup(withLink = true) {
  const replica = new Replica();
  const link = new Link();
  const pushes: [string, unknown][] = [];
  const service = createReplicaService({ replica, link: withLink ? link : undefined, clock: () => NOW, version: '9.9.9', positionsFlushMs: 30 });
  services.push(service);
  service.subscribe((topic, payload) => pushes.push([topic, payload]));
  return { replica, link, service, pushes };
}

const until = async (condition: () => boolean): Promise<void> => {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('queries', () => {
  it('answers from the replica, passing validated arguments and the clock', async () => {
    const { replica, service } = setup();
    const page = await service.handle('events.list', { status: ['reported'], text: '积水' });
    expect(page).toMatchObject({ ok: true, result: { total: 1 } });
    expect(replica.calls).toContainEqual(['listEvents', { status: ['reported'], text: '积水', paging: { offset: 0, limit: 100 }, sort: 'risk' }, NOW]);
    expect(await service.handle('events.get', { id: 'nope' })).toEqual({ ok: true, result: null });
    await service.handle('grids.list', { level: 1 });
    await service.handle('workers.list', { onDuty: true });
    expect(replica.calls).toContainEqual(['grids', 1]);
    expect(replica.calls).toContainEqual(['workers', { onDuty: true }]);
    expect(await service.handle('workers.positions', {})).toMatchObject({ ok: true, result: [{ workerId: 'w-1' }] });
    await service.handle('workers.track', { workerId: 'w-1', from: '2026-11-28T08:00:00+08:00', to: '2026-11-28T09:00:00+08:00' });
    expect(replica.calls).toContainEqual(['track', 'w-1', Date.parse('2026-11-28T00:00:00Z'), Date.parse('2026-11-28T01:00:00Z')]);
    expect(await service.handle('workers.track', { workerId: 'w-1', from: '2026-11-28T09:00:00+08:00', to: '2026-11-28T08:00:00+08:00' })).toMatchObject({
      ok: false,
      error: { code: 'invalid' },
    });
  });

  it('reports the link, its log and the app honestly', async () => {
    const { service } = setup();
    expect(await service.handle('link.status', {})).toMatchObject({ ok: true, result: { state: 'online' } });
    expect(await service.handle('link.log', {})).toMatchObject({ ok: true, result: [{ message: 'dropped' }] });
    const info = await service.handle('app.info', {});
    expect(info).toMatchObject({ ok: true, result: { version: '9.9.9', town: { code: '430624103', name: '古培镇' }, demo: false } });
    const features = (info as { result: { features: { key: string; ready: boolean }[] } }).result.features;
    expect(features.find((f) => f.key === 'county-link')?.ready).toBe(true);
    expect(features.find((f) => f.key === 'login')?.ready).toBe(true);
  });

  it('reconnects the link on the operator\'s request and answers the status', async () => {
    const { link, service } = setup();
    expect(await service.handle('link.reconnect', {})).toMatchObject({ ok: true, result: { state: 'online' } });
    expect(link.reconnects).toBe(1);
  });

  it('without a link reports state none with the outbox length', async () => {
    const { service } = setup(false);
    await service.handle('event.accept', { id: 'e-1' });
    expect(await service.handle('link.status', {})).toMatchObject({
      ok: true,
      result: { state: 'none', queueLength: 1, lastSyncAt: '2026-11-28T09:00:00+08:00' },
    });
    expect(await service.handle('link.log', {})).toEqual({ ok: true, result: [] });
  });
});

// The unfiltered tab counts travel with every event change (the fake replica counts none).
const TAB_COUNTS = expect.objectContaining({ all: 0, overdue: 0 });

describe('commands', () => {
  it('runs a command as the configured operator, kicks the link and pushes the change', async () => {
    const { replica, link, service, pushes } = setup();
    const answer = await service.handle('event.accept', { id: 'e-1', note: '已核实' });
    expect(answer).toMatchObject({ ok: true, result: { n: 1, eventId: 'e-1', commandId: `${replica.replicaId}:1` } });
    expect(replica.calls).toContainEqual(['command', 'event.accept', { id: 'e-1', note: '已核实' }, DEFAULT_ACTOR, NOW]);
    expect(link.kicks).toBe(1);
    expect(pushes).toContainEqual(['entities.changed', { types: ['event'], ids: ['e-1'], events: [fakeEvent('e-1')], gone: [], pending: [], counts: TAB_COUNTS }]);
  });

  it('answers a workflow rejection with its code and Chinese reason, and queues nothing', async () => {
    const { link, service } = setup();
    expect(await service.handle('event.accept', { id: 'closed' })).toEqual({
      ok: false,
      error: { code: 'invalid-transition', message: '事件已结案,不能受理' },
    });
    expect(link.kicks).toBe(0);
  });

  it('refuses invalid arguments before the replica sees them', async () => {
    const { replica, service } = setup();
    expect(await service.handle('event.reject', { id: 'e-1' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(replica.calls).toHaveLength(0);
  });
});

describe('pushes', () => {
  it('turns applied batches and settled commands into entities.changed, and relays link status', async () => {
    const { link, pushes } = setup();
    link.fire('batch', { changed: [{ type: 'event', ids: ['e-1', 'e-2'] }, { type: 'worker', ids: ['w-1'] }, { type: 'drone', ids: ['d'] }], lastN: 1, reset: false, more: false });
    link.fire('batch', { changed: [{ type: 'grid', ids: Array.from({ length: 1001 }, (_, i) => `g${i}`) }], lastN: 1, reset: true, more: false });
    link.fire('settled', { n: 1, status: 'rejected', code: 'x', message: 'y', changedEventIds: ['e-3'] });
    link.fire('settled', { n: 2, status: 'applied', changedEventIds: [] });
    link.fire('status', { state: 'offline', since: '2026-11-28T09:00:00+08:00', queueLength: 2, lastSyncAt: null, catchingUp: false });
    expect(pushes).toEqual([
      // The events travel with the change (e-2 is no more in this replica).
      ['entities.changed', { types: ['event'], ids: ['e-1', 'e-2'], events: [fakeEvent('e-1')], gone: ['e-2'], pending: [], counts: TAB_COUNTS }],
      ['entities.changed', { types: ['worker'], ids: ['w-1'] }],
      ['entities.changed', { types: ['grid'] }],
      ['entities.changed', { types: ['event'], ids: ['e-3'], events: [], gone: ['e-3'], pending: [], counts: TAB_COUNTS, rejected: true }],
      ['link.status', { state: 'offline', since: '2026-11-28T09:00:00+08:00', queueLength: 2, lastSyncAt: null, catchingUp: false }],
    ]);
  });

  it('carries the changed events as each subscriber may see them: numbers masked for all, names for a viewer, ids only past the bound', async () => {
    const replica = new Replica();
    const phone = '13912345678';
    replica.getEvent = (id: string) => ({ ...fakeEvent(id), reporter: { name: '欧阳娜娜', phone } });
    const link = new Link();
    const service = createReplicaService({ replica, link, clock: () => NOW });
    services.push(service);
    const seen: Record<string, unknown[]> = { dispatcher: [], viewer: [] };
    service.subscribe((topic, payload) => seen.dispatcher?.push(payload), { role: 'dispatcher' });
    service.subscribe((topic, payload) => seen.viewer?.push(payload), { role: 'viewer' });
    link.fire('batch', { changed: [{ type: 'event', ids: ['e-1'] }], lastN: 1, reset: false, more: false });
    // Phone numbers are masked for every role; the name only for a room's screen.
    expect(JSON.stringify(seen.dispatcher)).not.toContain(phone);
    expect(JSON.stringify(seen.dispatcher)).toContain('欧阳娜娜');
    expect(JSON.stringify(seen.viewer)).not.toContain(phone);
    expect(JSON.stringify(seen.viewer)).not.toContain('欧阳娜娜');
    expect(seen.viewer?.[0]).toMatchObject({ types: ['event'], ids: ['e-1'], masked: true, events: [{ id: 'e-1' }] });
    const many = Array.from({ length: MAX_EVENTS_PER_PUSH + 1 }, (_, i) => `e-${i}`);
    link.fire('batch', { changed: [{ type: 'event', ids: many }], lastN: 2, reset: false, more: false });
    // Past the bound: the ids and the tab counts, no events.
    expect(seen.viewer?.[1]).toEqual({ types: ['event'], ids: many, counts: TAB_COUNTS });
  });

  it('still pushes the ids when the changed events cannot be read', async () => {
    const replica = new Replica();
    replica.getEvent = () => {
      throw new Error('disk gone');
    };
    const link = new Link();
    const errors: string[] = [];
    const service = createReplicaService({ replica, link, clock: () => NOW, log: { error: (m) => errors.push(m) } });
    services.push(service);
    const seen: unknown[] = [];
    service.subscribe((topic, payload) => seen.push(payload));
    link.fire('batch', { changed: [{ type: 'event', ids: ['e-1'] }], lastN: 1, reset: false, more: false });
    expect(seen).toEqual([{ types: ['event'], ids: ['e-1'] }]);
    expect(errors).toHaveLength(1);
  });

  it('coalesces positions: one push per window, the latest fix of each worker', async () => {
    const { link, pushes } = setup();
    const fix = (workerId: string, at: number, lon: number): PositionFix => ({ workerId, lon, lat: 28.6, at, speed: null, heading: null, accuracy: null });
    for (let i = 0; i < 50; i++) link.fire('positions', [fix('w-1', NOW + i, 112 + i / 100), fix('w-2', NOW - i, 113)]);
    link.fire('positions', [fix('w-1', NOW - 1000, 100)]); // older than the one held: ignored
    await until(() => pushes.length > 0);
    const positions = pushes.filter(([t]) => t === 'positions');
    expect(positions).toHaveLength(1);
    const payload = positions[0]?.[1] as { at: number; items: PositionFix[] };
    expect(payload.at).toBe(NOW);
    expect(payload.items.map((f) => [f.workerId, f.at])).toEqual([
      ['w-1', NOW + 49],
      ['w-2', NOW],
    ]);
    link.fire('positions', [fix('w-3', NOW, 112)]);
    await until(() => pushes.length > 1);
    expect((pushes[1]?.[1] as { items: PositionFix[] }).items.map((f) => f.workerId)).toEqual(['w-3']);
  });

  it('detaches from the link on close', async () => {
    const { link, service } = setup();
    expect(link.count()).toBe(4);
    await service.close();
    expect(link.count()).toBe(0);
  });
});
