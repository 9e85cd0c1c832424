// The same county-link-v1 conformance for the simulator and for the hub on PGlite (in this
// process), then what only the hub has (its phones' duty reports and notices, many towns),
// on the same PGlite hub: one PGlite start for the file (each costs seconds). A town the hub
// adds with its synthetic register gets the simulator's, entry for entry. The suite on
// a real PostgreSQL runs in tests/drill/drill.test.ts, on the drill's own server.
import { afterAll, describe, expect, it } from 'vitest';
import { generateCounty } from '../../county/demo/town';
import { tokenAction } from '../../county/hub/admin';
import { hubCall } from '../../county/hub/world';
import { REGISTER_TYPES } from '../../core/registers/types';
import { startCountySimulator } from '../../county/simulator/index';
import { TestTown, tempDir } from '../../county/simulator/test-client';
import { T0, TOKEN, TOWN, describeConformance } from './conformance';
import { hubUnderTest, simulatorUnderTest, startHubRun, type HubRun } from './under-test';

describeConformance('simulator', simulatorUnderTest);

let run: HubRun | null = null;
afterAll(async () => {
  await run?.hub.close();
}, 30_000);

describeConformance('hub on PGlite', async () => hubUnderTest((run = await startHubRun(null)), true));

describe('county hub: duty from the phones, notices, towns apart (the PGlite hub above)', () => {
  const post = <T>(path: string, body: unknown): Promise<T> => hubCall<T>(run!.hub.url, TOKEN, 'POST', path, body);

  it('takes clock-in and clock-out from the phones (late ones ignored, unknown workers refused whole) and summons only workers on duty', async () => {
    const { hub, clock } = run!;
    const town = await TestTown.connect(hub.url, { town: TOWN, token: TOKEN });
    await town.synced();
    const [off, on] = (await hub.store.snapshot(TOWN)).workers.map((w) => w.id);
    const rev = town.state.get(`worker/${off}`)!.rev;
    expect(await post(`/api/towns/${TOWN}/duty`, { at: clock.now, items: [{ worker: off, onDuty: false }] })).toEqual({ ok: true, changed: 1, stale: 0 });
    await town.until(() => town.state.get(`worker/${off}`)?.rev === rev + 1, 'the worker off duty');
    expect(town.state.get(`worker/${off}`)?.data).toMatchObject({ onDuty: false });
    expect(await post(`/api/towns/${TOWN}/duty`, { at: clock.now - 60_000, items: [{ worker: off, onDuty: true }] })).toEqual({ ok: true, changed: 0, stale: 1 });
    await expect(post(`/api/towns/${TOWN}/duty`, { at: clock.now + 1, items: [{ worker: on, onDuty: false }, { worker: 'w-nobody', onDuty: true }] })).rejects.toThrow(/400 unknown workers of 430624103: w-nobody/);
    expect((await hub.store.snapshot(TOWN)).workers.find((w) => w.id === on)?.onDuty).toBe(true);
    const id = await hub.world!.report(TOWN, {}, clock.now);
    expect(await town.mutate(town.command(1, 'worker.notify', { workers: [off!, on!], text: '请到现场', eventId: id }))).toEqual({ status: 'applied' });
    const notices = await hubCall<{ workers: string[]; eventId: string; summons: { worker: string }[]; replica: string; n: number }[]>(hub.url, TOKEN, 'GET', `/api/towns/${TOWN}/notices?after=0`);
    expect(notices.at(-1)).toMatchObject({ workers: [off, on], eventId: id, replica: town.auth.replica, n: 1 });
    expect(notices.at(-1)!.summons.map((s) => s.worker)).toEqual([on]);
    expect(await post(`/api/towns/${TOWN}/duty`, { at: clock.now, items: [{ worker: off, onDuty: true }] })).toMatchObject({ changed: 1 });
    town.close();
  });

  it('seeds a new town with the simulator’s synthetic register, and keeps each town’s registers in its own log: another town neither receives them nor may use this town’s grids', async () => {
    const { hub } = run!;
    const second = generateCounty({ seed: 7, towns: 1, gridsPerTown: 6 }).towns[0]!;
    expect(await hub.store.addTown(second, { seed: 7, now: T0 })).toBe(true);
    const [a, b] = await Promise.all([TestTown.connect(hub.url, { town: TOWN, token: TOKEN }), TestTown.connect(hub.url, { town: second.town.code, token: TOKEN })]);
    await Promise.all([a.synced(), b.synced()]);
    // The same town on the simulator with its register (same seed, same time): the town receives the same entries from either.
    const tmp = tempDir();
    const sim = await startCountySimulator({ port: 0, seed: 7, dbFile: tmp.file('c.sqlite'), token: TOKEN, clock: () => T0, activity: false, registers: true, scale: { towns: 1, gridsPerTown: 6 } });
    try {
      const s = await TestTown.connect(sim.url, { town: second.town.code, token: TOKEN });
      await s.synced();
      const registerOf = (t: TestTown): [string, unknown][] => [...t.state.entries()].filter(([k]) => REGISTER_TYPES.some((type) => k.startsWith(`${type}/`))).map(([k, v]) => [k, v.data]);
      const fromHub = registerOf(b);
      expect(fromHub.length).toBeGreaterThan(1000);
      expect(new Set(fromHub.map(([k]) => k.split('/')[0]))).toEqual(new Set(REGISTER_TYPES));
      expect(new Map(fromHub)).toEqual(new Map(registerOf(s)));
      s.close();
    } finally {
      await sim.close();
      tmp.remove();
    }
    const grid = (await hub.store.snapshot(TOWN)).grids.find((g) => g.level === 3)!.code;
    const headB = await hub.store.head(second.town.code);
    expect(await a.mutate(a.command(1, 'register.house.put', { id: 'h-apart-1', data: { address: '南环社区20号', grid } }))).toEqual({ status: 'applied' });
    await a.until(() => a.state.has('house/h-apart-1'), 'the house in its town');
    expect(await b.mutate(b.command(1, 'register.house.put', { id: 'h-apart-2', data: { address: '他镇1号', grid } }))).toMatchObject({ status: 'rejected', code: 'invalid' });
    expect(await hub.store.head(second.town.code)).toBe(headB);
    expect(await hub.store.entity(second.town.code, 'house', 'h-apart-1')).toBeNull();
    expect(await hub.store.entity(TOWN, 'house', 'h-apart-1')).toMatchObject({ rev: 1, data: { grid } });
    expect(b.state.has('house/h-apart-1')).toBe(false);
    a.close();
    b.close();
  });

  it('closes a town’s connections when the operator gives it a token of its own, and admits only that token from then on', async () => {
    const { hub } = run!;
    const third = generateCounty({ seed: 7, towns: 2, gridsPerTown: 6 }).towns[1]!;
    expect(await hub.store.addTown(third)).toBe(true);
    const [a, c] = await Promise.all([TestTown.connect(hub.url, { town: TOWN, token: TOKEN }), TestTown.connect(hub.url, { town: third.town.code, token: TOKEN })]);
    await Promise.all([a.synced(), c.synced()]);
    const issued = (await tokenAction(hub.store, 'issue', third.town.code))!;
    await c.until(() => c.disconnects > 0, 'the connection admitted by the county-wide token closed');
    await expect(TestTown.connect(hub.url, { town: third.town.code, token: TOKEN })).rejects.toThrow(/^unauthorized$/);
    const again = await TestTown.connect(hub.url, { town: third.town.code, token: issued.token });
    await again.synced();
    expect(a.disconnects).toBe(0);
    for (const t of [a, c, again]) t.close();
  });
});
