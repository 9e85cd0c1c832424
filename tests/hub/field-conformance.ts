// The commands the project adds to county-link-v1, checked alike on every county server
// the project ships (the simulator, the hub on PGlite and on PostgreSQL): the register
// commands (issue 17), worker.notify (issue 13) and the workers' `onDuty`. Over the wire
// only, with a raw test town: what it is answered, what reaches it, and its lastN.
import { expect, it } from 'vitest';
import type { PositionFix } from '../../core/model';
import { distanceM } from '../../county/simulator/geo';
import { TestTown } from '../../county/simulator/test-client';
import type { CountyUnderTest } from './conformance';

const data = (town: TestTown, key: string): Record<string, unknown> | undefined => town.state.get(key)?.data as Record<string, unknown> | undefined;

/** The last fix of a worker the town received. */
function lastFix(town: TestTown, worker: string): PositionFix | undefined {
  for (let i = town.positions.length - 1; i >= 0; i--) {
    const item = town.positions[i]!.items.find((x) => x[0] === worker);
    if (item) return { workerId: worker, lon: item[1], lat: item[2], at: item[3], speed: null, heading: null, accuracy: null };
  }
  return undefined;
}

/**
 * The cases, inside describeConformance (they share its county): `get` is that county,
 * `TOWN` and `TOKEN` its town and token, `more` the `it` of the non-representative cases.
 */
export function fieldConformance(get: () => CountyUnderTest, TOWN: string, TOKEN: string, more: (name: string, fn: () => Promise<void>) => void): void {
  more('carries the grid workers’ duty: on duty on a weekday morning', async () => {
    const town = await TestTown.connect(get().url, { town: TOWN, token: TOKEN });
    await town.synced();
    const workers = [...town.state.keys()].filter((k) => k.startsWith('worker/'));
    expect(workers.length).toBeGreaterThan(10);
    expect(workers.every((k) => data(town, k)?.onDuty === true)).toBe(true);
    town.close();
  });

  it('applies the register commands as their next revisions, and refuses another town’s grid, an unknown house or a bad import', async () => {
    const county = get();
    const town = await TestTown.connect(county.url, { town: TOWN, token: TOKEN });
    await town.synced();
    const snap = await county.snapshot(TOWN);
    const grid = snap.grids.find((g) => g.level === 3)!.code;
    const worker = snap.workers[0]!.id;
    const house = (address: string) => ({ address, grid });
    const at = '2026-11-30T09:00:00+08:00';
    const send = (n: number, name: string, args: unknown) => town.mutate(town.command(n, name, args));
    expect(await send(1, 'register.house.put', { id: 'h-conf-1', data: house('南环社区1号') })).toEqual({ status: 'applied' });
    await town.until(() => town.state.get('house/h-conf-1')?.rev === 1 && town.batches.some((b) => b.lastN === 1), 'the house and lastN 1');
    const person = { name: '张三', idNumber: '430624199001011234', residence: 'registered', house: 'h-conf-1', grid };
    expect(await send(2, 'register.person.put', { id: 'p-conf-1', data: person })).toEqual({ status: 'applied' });
    expect(await send(3, 'register.visit.record', { id: 'v-conf-1', data: { house: 'h-nowhere', grid, worker, at } })).toMatchObject({ status: 'rejected', code: 'invalid' });
    expect(await send(4, 'register.visit.record', { id: 'v-conf-2', data: { house: 'h-conf-1', grid, worker, at, note: '入户走访' } })).toEqual({ status: 'applied' });
    expect(await send(5, 'register.person.put', { id: 'p-conf-1', data: { ...person, name: '张三丰' } })).toEqual({ status: 'applied' });
    const elsewhere = '430624999001001';
    expect(await send(6, 'register.organisation.put', { id: 'o-conf-1', data: { name: '某公司', kind: 'enterprise', grid: elsewhere } })).toMatchObject({ status: 'rejected', code: 'invalid' });
    const items = [1, 2].map((i) => ({ id: `h-imp-${i}`, data: house(`南环社区${10 + i}号`) }));
    expect(await send(7, 'register.import', { type: 'house', items })).toEqual({ status: 'applied' });
    expect(await send(8, 'register.import', { type: 'house', items: [{ id: 'h-imp-3', data: house('南环社区13号') }, { id: 'h-imp-4', data: { grid } }] })).toMatchObject({ status: 'rejected', code: 'invalid' });
    expect(await send(9, 'register.teleport.put', { id: 'x', data: {} })).toMatchObject({ status: 'rejected', code: 'unknown-command' });
    await town.until(() => town.batches.at(-1)!.lastN === 9, 'lastN 9');
    expect(town.state.get('person/p-conf-1')).toMatchObject({ rev: 2, data: { name: '张三丰', house: 'h-conf-1', grid } });
    expect(data(town, 'visit/v-conf-2')).toMatchObject({ house: 'h-conf-1', worker, note: '入户走访' });
    expect(data(town, 'house/h-imp-2')).toMatchObject({ address: '南环社区12号', grid });
    for (const key of ['visit/v-conf-1', 'organisation/o-conf-1', 'house/h-imp-3']) expect(town.state.has(key), key).toBe(false);
    expect((await county.applied(town.auth.replica)).map((c) => c.status)).toEqual(['applied', 'applied', 'rejected', 'applied', 'applied', 'rejected', 'applied', 'rejected', 'rejected']);
    town.close();
  });

  // Last: it moves the county's clock on an hour.
  more('worker.notify: the notified workers on duty ride to the event, lastN comes with no change, unknown workers or events are refused', async () => {
    const county = get();
    const town = await TestTown.connect(county.url, { town: TOWN, token: TOKEN });
    await town.synced();
    const id = await county.createEvent(TOWN);
    await town.until(() => town.state.has(`event/${id}`), 'the event');
    const { location } = data(town, `event/${id}`) as { location: { lon: number; lat: number } };
    const workers = (await county.snapshot(TOWN)).workers.slice(0, 3).map((w) => w.id);
    const send = (n: number, args: unknown) => town.mutate(town.command(n, 'worker.notify', args));
    expect(await send(1, { workers, text: '请立即赶赴现场', eventId: id })).toEqual({ status: 'applied' });
    await town.until(() => town.batches.some((b) => b.lastN === 1 && b.items.length === 0), 'lastN 1 in a batch without a change');
    expect(await send(2, { workers: ['w-nobody'], text: '测试' })).toMatchObject({ status: 'rejected', code: 'invalid' });
    expect(await send(3, { workers, text: '测试', eventId: 'no-such-event' })).toMatchObject({ status: 'rejected', code: 'invalid' });
    expect(await send(4, { workers: [], text: '' })).toMatchObject({ status: 'rejected', code: 'invalid' });
    await town.until(() => town.batches.at(-1)!.lastN === 4, 'lastN 4');
    const end = await county.advance(3_600_000);
    await town.until(() => workers.every((w) => (lastFix(town, w)?.at ?? 0) >= end - 5000), 'fixes an hour on');
    for (const w of workers) {
      const f = lastFix(town, w)!;
      expect(distanceM([f.lon, f.lat], [location.lon, location.lat]), w).toBeLessThan(60);
    }
    town.close();
  });
}
