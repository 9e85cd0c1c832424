// A town acts over the link only as its own operators (dispatcher, leader, department, village):
// a `mutate` claiming to be the county, the automation, a grid worker or a viewer is
// refused `forbidden` (consuming its n), and nothing changes. No actor: the town's dispatcher.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCountySimulator, type CountySimulator } from './index';
import { TOWN_ACTOR_ROLES } from './county';
import { TestTown, tempDir } from './test-client';
import { normaliseEntity } from '../../core/sync/protocol';
import type { GridEvent } from '../../core/model';

const TOWN = '430624103';
const T0 = Date.parse('2026-11-30T09:00:00+08:00');
const AT = '2026-11-30T09:00:00+08:00';

describe('county link: whom a town may act as', () => {
  const tmp = tempDir();
  let sim: CountySimulator;
  let town: TestTown;
  let eventId: string;
  beforeAll(async () => {
    sim = await startCountySimulator({ port: 0, seed: 33, dbFile: tmp.file('actor.sqlite'), clock: () => T0, activity: false });
    eventId = sim.createEvent(TOWN);
    town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
  }, 30_000);
  afterAll(async () => {
    town.close();
    await sim.close();
    tmp.remove();
  });

  const history = (): number => sim.snapshot(TOWN).events.find((e) => e.id === eventId)!.history.length;

  it('refuses the roles that are not the town’s own operators, with a reason, consuming n', async () => {
    expect(TOWN_ACTOR_ROLES).toEqual(['dispatcher', 'leader', 'department', 'village']);
    const before = sim.snapshot(TOWN);
    let n = 0;
    for (const role of ['county', 'system', 'gridWorker', 'viewer']) {
      const ack = await town.mutate(town.command(++n, 'event.comment', { id: eventId, note: '冒充' }, AT, { id: `x-${role}`, role }));
      expect(ack).toMatchObject({ status: 'rejected', code: 'forbidden' });
      expect((ack as { message: string }).message).toMatch(/只能以本镇操作人员/);
    }
    // The county's own feedback, claimed by a town, is refused too (it would close the county's loop).
    const feedback = await town.mutate(town.command(n + 1, 'event.feedback', { id: eventId, note: '县级已处理' }, AT, { id: 'county-430624', role: 'county' }));
    expect(feedback).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect(sim.snapshot(TOWN)).toEqual(before);
    expect(sim.applied(town.auth.replica).map((c) => [c.n, c.status, c.code])).toEqual([
      [1, 'rejected', 'forbidden'],
      [2, 'rejected', 'forbidden'],
      [3, 'rejected', 'forbidden'],
      [4, 'rejected', 'forbidden'],
      [5, 'rejected', 'forbidden'],
    ]);
  });

  it('accepts dispatcher, leader and department actors, and the town dispatcher when no actor is given', async () => {
    const count = history();
    expect(await town.mutate(town.command(6, 'event.comment', { id: eventId, note: '调度员' }, AT, { id: 'd-1', role: 'dispatcher', name: '王调度' }))).toEqual({ status: 'applied' });
    expect(await town.mutate(town.command(7, 'event.comment', { id: eventId, note: '领导' }, AT, { id: 'l-1', role: 'leader', name: '李镇长' }))).toEqual({ status: 'applied' });
    expect(await town.mutate(town.command(8, 'event.comment', { id: eventId, note: '无操作人' }, AT))).toEqual({ status: 'applied' });
    const entries = sim.snapshot(TOWN).events.find((e) => e.id === eventId)!.history.slice(count);
    expect(entries.map((h) => h.actor)).toEqual(['d-1', 'l-1', `town-${TOWN}`]);
    // The county's history names the people who acted in the town (mutate.actor), and so does what it sends back.
    expect(entries.map((h) => [h.name, h.role])).toEqual([['王调度', 'dispatcher'], ['李镇长', 'leader'], [undefined, 'dispatcher']]);
    // What the town receives, read as the town's replica reads it (county-link-v1 allows the extra optional fields).
    await town.until(() => ((town.state.get(`event/${eventId}`)?.data as { history?: unknown[] } | null)?.history?.length ?? 0) >= count + 3, 'the change');
    const read = normaliseEntity('event', eventId, town.state.get(`event/${eventId}`)?.data);
    if (!read.ok) throw new Error(read.reason);
    const replicated = (read.entity.value as GridEvent).history.slice(count);
    expect(replicated.map((h) => [h.name, h.role])).toEqual([['王调度', 'dispatcher'], ['李镇长', 'leader'], [undefined, 'dispatcher']]);
    // A department operator is admitted by the link; the workflow then judges the command itself.
    const dept = await town.mutate(town.command(9, 'event.comment', { id: eventId, note: '部门' }, AT, { id: 'op-zz', role: 'department', departmentId: 'dept-zz' }));
    expect((dept as { code?: string }).code).not.toBe('forbidden');
  });
});
