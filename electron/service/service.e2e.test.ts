// The data service (replica + county link + app API) against the real county
// simulator on loopback, with real SQLite files in a temp folder: initial sync, live
// events, positions, a command round trip, restart from the stored cursor, offline
// commands that survive a restart and reach the county once and in order, a county
// rejection rolled back. (The web shell's token rules with a real command: electron/web/api.e2e.test.ts.)
// No timed assertions: every wait polls for an outcome, with a generous bound.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CommandReceipt } from '../../core/api/contract';
import type { GridEvent, PositionFix } from '../../core/model';
import type { CountySimulator } from '../../county/simulator/index';
import { startCountySimulator } from '../../county/simulator/index';
import type { DataService } from './data-service';
import { openDataService } from './data-service';

const SEED = 20241112;
/** Monday 10:00 in Shanghai: the grid workers are on duty. Both sides share this manual clock. */
const BASE = Date.parse('2026-11-30T10:00:00+08:00');
const TOKEN = 'county-test-token';
const COUNTY_ACTOR = { id: 'county-operator', role: 'dispatcher' as const, name: '县平台值班员' };

let dir: string;
const clock = (): number => BASE;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'griddeck-service-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let serial = 0;
async function county(options: { dbFile?: string; port?: number } = {}): Promise<CountySimulator & { dbFile: string }> {
  const dbFile = options.dbFile ?? join(dir, `county-${++serial}.sqlite`);
  const sim = await startCountySimulator({ port: options.port ?? 0, seed: SEED, dbFile, token: TOKEN, activity: false, clock });
  let closed = false;
  const close = sim.close;
  const handle = Object.assign(sim, {
    dbFile,
    close: async () => {
      if (closed) return;
      closed = true;
      await close();
    },
  });
  cleanups.push(() => handle.close());
  return handle;
}

async function service(sim: { url: string; towns: string[] }, db = join(dir, `replica-${++serial}.sqlite`)): Promise<DataService & { db: string }> {
  const data = await openDataService({
    db,
    county: sim.url,
    countyToken: TOKEN,
    town: sim.towns[0] ?? '',
    clock,
    logger: quiet,
    link: { backoffMinMs: 20, backoffMaxMs: 300, mutateTimeoutMs: 5_000, transports: ['websocket'] },
  });
  let closed = false;
  const handle = Object.assign(data, {
    db,
    close: async () => {
      if (closed) return;
      closed = true;
      await data.close();
    },
  });
  cleanups.push(() => handle.close());
  return handle;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function call<T = unknown>(data: DataService, method: string, args: unknown = {}): Promise<T> {
  const response = await data.service.handle(method, args);
  if (!response.ok) throw new Error(`${method}: ${response.error.code} ${response.error.message}`);
  return response.result as T;
}

const getEvent = (data: DataService, id: string) => call<GridEvent | null>(data, 'events.get', { id });

/** Settled: nothing left in the outbox and the county's lastN covers every command. */
const settled = (data: DataService): boolean => data.replica.queueLength() === 0 && data.replica.state().lastN === data.replica.state().nextN - 1;

async function synced(data: DataService): Promise<void> {
  await until(() => data.replica.state().cursor !== null && !data.replica.state().catchingUp, 'initial sync');
}

/** The replica equals the county once both are quiet: every entity list, event by event. */
async function expectEqualToCounty(data: DataService, sim: CountySimulator): Promise<void> {
  const town = data.town;
  await until(() => isDeepStrictEqual(data.replica.snapshot(), sim.snapshot(town)), 'replica equal to the county');
  expect(data.replica.snapshot()).toEqual(sim.snapshot(town));
}

describe('data service against the county simulator', () => {
  it('syncs the demo town at first start and answers every query from the replica', async () => {
    const sim = await county();
    const data = await service(sim);
    expect(await data.initialSync(20_000)).toBe(true);
    await expectEqualToCounty(data, sim);

    const countyState = sim.snapshot(data.town);
    const grids = await call<unknown[]>(data, 'grids.list');
    expect(grids).toHaveLength(countyState.grids.length);
    expect(await call(data, 'grids.tree')).toMatchObject({ code: data.town, name: '古培镇' });
    expect(await call<unknown[]>(data, 'workers.list')).toHaveLength(countyState.workers.length);
    expect((await call<{ total: number }>(data, 'events.list')).total).toBe(countyState.events.length);
    expect(await call(data, 'app.info')).toMatchObject({ town: { code: data.town, name: '古培镇' }, demo: false });
    expect(await call(data, 'link.status')).toMatchObject({ state: 'online', queueLength: 0, catchingUp: false });
    expect(data.replica.integrityCheck()).toBe('ok');
  }, 60_000);

  it('shows a live event created in the county, pushed as an entity change', async () => {
    const sim = await county();
    const data = await service(sim);
    await synced(data);
    const changed: string[] = [];
    data.service.subscribe((topic, payload) => {
      if (topic === 'entities.changed') changed.push(...((payload as { ids?: string[] }).ids ?? []));
    });
    const id = sim.createEvent(data.town, { title: '南环路井盖缺失' });
    await until(async () => (await getEvent(data, id)) !== null, 'the event in the replica');
    const event = await getEvent(data, id);
    expect(event).toMatchObject({ id, title: '南环路井盖缺失', status: 'reported' });
    const page = await call<{ items: GridEvent[] }>(data, 'events.list', { status: ['reported'] });
    expect(page.items.map((e) => e.id)).toContain(id);
    expect(changed).toContain(id);
  }, 60_000);

  it('receives positions, keeps the latest fix per worker and pushes them coalesced', async () => {
    const sim = await county();
    const data = await service(sim);
    await synced(data);
    // What the link accepted from the county, message by message (positions are lossy: volatile on the wire).
    const received: PositionFix[][] = [];
    data.link.on('positions', (fixes) => received.push([...fixes]));
    const pushes: { at: number; items: PositionFix[] }[] = [];
    data.service.subscribe((topic, payload) => {
      if (topic === 'positions') pushes.push(payload as { at: number; items: PositionFix[] });
    });
    for (let i = 0; i < 400 && received.length < 5; i++) {
      sim.tick(5_000);
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(received.length).toBeGreaterThanOrEqual(5);
    const last = received[received.length - 1] ?? [];
    expect(last.length).toBe((await call<unknown[]>(data, 'workers.list', { onDuty: true })).length);

    // Latest fix wins: the replica holds exactly the last message's fixes.
    const byWorker = (fixes: PositionFix[]) => Object.fromEntries(fixes.map((f) => [f.workerId, f]));
    expect(byWorker(await call<PositionFix[]>(data, 'workers.positions'))).toEqual(byWorker(last));

    // Pushed coalesced: each push holds a worker at most once, never more pushes than messages,
    // and the last push carries the latest fixes.
    await until(() => pushes.some((p) => p.items.some((f) => f.at === last[0]?.at)), 'the last fixes pushed');
    for (const push of pushes) expect(new Set(push.items.map((f) => f.workerId)).size).toBe(push.items.length);
    expect(pushes.length).toBeLessThanOrEqual(received.length);
    expect(byWorker(pushes[pushes.length - 1]?.items ?? [])).toEqual(byWorker(last));

    // The track keeps every fix received for the worker, oldest first.
    const worker = last[0]?.workerId ?? '';
    const times = received.flatMap((m) => m.filter((f) => f.workerId === worker).map((f) => f.at));
    const track = await call<PositionFix[]>(data, 'workers.track', { workerId: worker, from: '2026-11-30T09:00:00+08:00', to: '2026-11-30T23:00:00+08:00' });
    expect(track.map((f) => f.at)).toEqual(times);
  }, 60_000);

  it('runs a command round trip: optimistic view, applied by the county, lastN settles, views agree', async () => {
    const sim = await county();
    const data = await service(sim);
    await synced(data);
    const id = sim.createEvent(data.town);
    await until(async () => (await getEvent(data, id)) !== null, 'the event in the replica');

    const receipt = await call<CommandReceipt>(data, 'event.accept', { id, note: '已核实,予以受理' });
    expect(receipt).toMatchObject({ n: 1, eventId: id, commandId: `${data.replica.replicaId}:1`, event: { status: 'accepted' } });
    expect((await getEvent(data, id))?.status).toBe('accepted');

    await until(() => settled(data), 'the command settled');
    expect(sim.applied(data.replica.replicaId)).toEqual([{ n: 1, name: 'event.accept', status: 'applied' }]);
    const countyEvent = sim.snapshot(data.town).events.find((e) => e.id === id);
    expect(countyEvent?.status).toBe('accepted');
    await until(async () => isDeepStrictEqual(await getEvent(data, id), countyEvent), 'the view equal to the county');
    expect(await getEvent(data, id)).toEqual(countyEvent);
    expect(await call(data, 'link.status')).toMatchObject({ state: 'online', queueLength: 0, unsent: 0 });
  }, 60_000);

  it('resumes after a restart from its stored cursor and replica id, without a reset', async () => {
    const sim = await county();
    const first = await service(sim);
    await synced(first);
    const replicaId = first.replica.replicaId;
    const id = sim.createEvent(first.town);
    await until(async () => (await getEvent(first, id)) !== null, 'the event in the replica');
    const cursor = first.replica.state().cursor;
    await first.close();

    const resets: boolean[] = [];
    const second = await service(sim, first.db);
    second.link.on('batch', (b) => resets.push(b.reset));
    expect(second.replica.replicaId).toBe(replicaId);
    expect(second.replica.state().cursor).toBe(cursor);
    // Served from the file before the county says anything.
    expect((await getEvent(second, id))?.id).toBe(id);
    await until(() => second.link.status().state === 'online', 'online');
    const later = sim.createEvent(second.town);
    await until(async () => (await getEvent(second, later)) !== null, 'a new event after the restart');
    expect(resets.length).toBeGreaterThan(0);
    expect(resets.every((r) => r === false)).toBe(true);
    expect(second.link.log().some((e) => e.message.includes(`cursor ${JSON.stringify(cursor)}`))).toBe(true);
    await expectEqualToCounty(second, sim);
  }, 60_000);

  it('offline: commands succeed locally, survive a restart, then reach the county once and in order', async () => {
    const sim = await county();
    const port = Number(new URL(sim.url).port);
    const first = await service(sim);
    await synced(first);
    const a = sim.createEvent(first.town);
    const b = sim.createEvent(first.town);
    await until(async () => (await getEvent(first, a)) !== null && (await getEvent(first, b)) !== null, 'both events');
    const departments = await call<{ id: string }[]>(first, 'departments.list');
    const department = departments[0]?.id ?? '';

    await sim.close();
    await until(() => first.link.status().state === 'offline', 'offline');
    const r1 = await call<CommandReceipt>(first, 'event.accept', { id: a });
    const r2 = await call<CommandReceipt>(first, 'event.dispatch', { id: a, to: { kind: 'department', id: department } });
    const r3 = await call<CommandReceipt>(first, 'event.reject', { id: b, reason: '不属于受理范围' });
    expect([r1.n, r2.n, r3.n]).toEqual([1, 2, 3]);
    expect((await getEvent(first, a))?.status).toBe('dispatched');
    expect(await call(first, 'link.status')).toMatchObject({ state: 'offline', queueLength: 3 });
    await first.close();

    // Restarted while the county is still down: the outbox and the optimistic views are in the file.
    const second = await service({ url: `http://127.0.0.1:${port}`, towns: [first.town] }, first.db);
    expect(second.replica.queueLength()).toBe(3);
    expect((await getEvent(second, a))?.status).toBe('dispatched');
    expect((await getEvent(second, b))?.status).toBe('rejected');
    const r4 = await call<CommandReceipt>(second, 'event.comment', { id: a, note: '请尽快处理' });
    expect(r4.n).toBe(4);

    // The county comes back on the same address with its own state.
    const back = await county({ dbFile: sim.dbFile, port });
    await until(() => settled(second), 'all four settled', 30_000);
    expect(back.applied(second.replica.replicaId)).toEqual([
      { n: 1, name: 'event.accept', status: 'applied' },
      { n: 2, name: 'event.dispatch', status: 'applied' },
      { n: 3, name: 'event.reject', status: 'applied' },
      { n: 4, name: 'event.comment', status: 'applied' },
    ]);
    await expectEqualToCounty(second, back);
    expect(back.snapshot(second.town).events.find((e) => e.id === a)?.status).toBe('dispatched');
    expect(second.replica.integrityCheck()).toBe('ok');
  }, 90_000);

  it('rolls back a command the county rejects and lists it', async () => {
    const sim = await county();
    const data = await service(sim);
    await synced(data);
    const id = sim.createEvent(data.town);
    await until(async () => (await getEvent(data, id)) !== null, 'the event in the replica');

    // The county rejects the event before the town hears of it; the town accepts it on its stale view.
    expect(sim.apply(data.town, 'event.reject', { id, reason: '重复上报' }, COUNTY_ACTOR)).toEqual({ ok: true });
    const receipt = await call<CommandReceipt>(data, 'event.accept', { id });
    expect(receipt.event.status).toBe('accepted');

    await until(() => settled(data), 'the command settled');
    const rejected = await call<{ id: string; n: number; name: string; code: string; message: string }[]>(data, 'commands.rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ id: `${data.replica.replicaId}:1`, n: 1, name: 'event.accept' });
    expect(rejected[0]?.code).not.toBe('out-of-order');
    expect(rejected[0]?.message.length).toBeGreaterThan(0);
    expect(sim.applied(data.replica.replicaId)).toMatchObject([{ n: 1, name: 'event.accept', status: 'rejected' }]);
    await until(async () => (await getEvent(data, id))?.status === 'rejected', 'rolled back to the county view');
    await expectEqualToCounty(data, sim);
  }, 60_000);

  it('answers a transition the local view refuses with the Chinese reason, and queues nothing', async () => {
    const sim = await county();
    const data = await service(sim);
    await synced(data);
    const id = sim.createEvent(data.town);
    await until(async () => (await getEvent(data, id)) !== null, 'the event in the replica');
    const response = await data.service.handle('event.close', { id });
    expect(response.ok).toBe(false);
    if (!response.ok) expect(response.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(data.replica.queueLength()).toBe(0);
  }, 60_000);
});
