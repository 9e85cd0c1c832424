// Upstream: a town's commands settled by the county, each (replica, n) at most once,
// in order, with the same answer every time it is asked, and lastN in the batches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MutateAckSchema } from '../../core/sync/protocol';
import type { GridEvent } from '../../core/model';
import { startCountySimulator, type CountySimulator } from './index';
import { TestTown, tempDir } from './test-client';

const TOWN = '430624103';
const T0 = Date.parse('2026-11-30T09:00:00+08:00');
const AT = '2026-11-30T09:00:00+08:00';

describe('county link: mutate', () => {
  const tmp = tempDir();
  let sim: CountySimulator;
  let town: TestTown;
  beforeAll(async () => {
    sim = await startCountySimulator({ port: 0, seed: 21, dbFile: tmp.file('m.sqlite'), clock: () => T0, activity: false });
    town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
  }, 30_000);
  afterAll(async () => {
    town.close();
    await sim.close();
    tmp.remove();
  });

  const event = (id: string): GridEvent | undefined => sim.snapshot(TOWN).events.find((e) => e.id === id);
  const grid = (): string => sim.snapshot(TOWN).grids.find((g) => g.level === 3)!.code;
  const createArgs = (id: string) => ({
    id,
    code: 'GP20261130-9001',
    title: '南环社区垃圾堆放',
    description: '路口垃圾堆积',
    category: '0301',
    urgency: 'normal',
    source: 'hotline',
    location: { lon: 112.9, lat: 28.61, address: '古培镇南环社区' },
    grid: grid(),
  });
  const EVENT = '6f1c2d3e-4a5b-4c6d-8e7f-901234567890';

  it('applies the first command (event.create, id chosen by the town) and reports it in lastN', async () => {
    const ack = await town.mutate(town.command(1, 'event.create', createArgs(EVENT)));
    expect(ack).toEqual({ status: 'applied' });
    expect(MutateAckSchema.safeParse(ack).success).toBe(true);
    const e = event(EVENT)!;
    expect(e.status).toBe('reported');
    expect(e.history[0]).toMatchObject({ actor: `town-${TOWN}`, action: 'event.create', at: AT });
    await town.until(() => town.batches.some((b) => b.lastN === 1 && b.items.some((i) => i.id === EVENT)), 'lastN 1');
    expect(sim.applied(town.auth.replica)).toEqual([{ n: 1, name: 'event.create', status: 'applied' }]);
  });

  it('answers a duplicate with the first answer and applies it once', async () => {
    const revBefore = town.state.get(`event/${EVENT}`)!.rev;
    const first = await town.mutate(town.command(2, 'event.accept', { id: EVENT }));
    const again = await town.mutate(town.command(2, 'event.accept', { id: EVENT }));
    const third = await town.mutate(town.command(1, 'event.create', createArgs(EVENT)));
    expect(first).toEqual({ status: 'applied' });
    expect(again).toEqual(first);
    expect(third).toEqual({ status: 'applied' });
    const e = event(EVENT)!;
    expect(e.history.filter((h) => h.action === 'event.accept')).toHaveLength(1);
    await town.until(() => town.state.get(`event/${EVENT}`)!.rev === revBefore + 1, 'one change');
    expect(sim.applied(town.auth.replica).map((c) => c.n)).toEqual([1, 2]);
  });

  it('refuses a gap as out-of-order without applying or consuming it', async () => {
    const ack = await town.mutate(town.command(5, 'event.dispatch', { id: EVENT, to: { kind: 'department', id: 'dept-rj' } }));
    expect(ack).toMatchObject({ status: 'rejected', code: 'out-of-order' });
    expect(event(EVENT)!.status).toBe('accepted');
    expect(sim.applied(town.auth.replica).map((c) => c.n)).toEqual([1, 2]);
  });

  it('rejects an invalid command as invalid, consuming its n', async () => {
    const ack = await town.mutate(town.command(3, 'event.reject', { id: EVENT, reason: '   ' }));
    expect(ack).toMatchObject({ status: 'rejected', code: 'invalid' });
    expect((ack as { message: string }).message).toMatch(/原因/);
    const again = await town.mutate(town.command(3, 'event.reject', { id: EVENT, reason: '重复' }));
    expect(again).toEqual(ack);
    expect(event(EVENT)!.status).toBe('accepted');
  });

  it('rejects an unknown command as unknown-command, consuming its n', async () => {
    const ack = await town.mutate(town.command(4, 'event.teleport', { id: EVENT }));
    expect(ack).toMatchObject({ status: 'rejected', code: 'unknown-command' });
    expect(sim.applied(town.auth.replica).slice(-2)).toEqual([
      { n: 3, name: 'event.reject', status: 'rejected', code: 'invalid' },
      { n: 4, name: 'event.teleport', status: 'rejected', code: 'unknown-command' },
    ]);
  });

  it('rejects a malformed message with a valid n as invalid and consumes it; without n consumes nothing', async () => {
    const bad = await town.mutate({ id: 'x', n: 5, name: 'event.accept', args: { id: EVENT }, at: 'yesterday' });
    expect(bad).toMatchObject({ status: 'rejected', code: 'invalid' });
    const wrongId = await town.mutate({ ...town.command(6, 'event.accept', { id: EVENT }), id: 'someone-else:6' });
    expect(wrongId).toMatchObject({ status: 'rejected', code: 'invalid' });
    const noN = await town.mutate({ name: 'event.accept' });
    expect(noN).toMatchObject({ status: 'rejected', code: 'invalid' });
    expect(sim.applied(town.auth.replica).map((c) => c.n)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("answers a rule refusal with transition's code and reason", async () => {
    const ack = await town.mutate(town.command(7, 'event.close', { id: EVENT }));
    expect(ack).toMatchObject({ status: 'rejected', code: 'invalid-transition' });
    expect((ack as { message: string }).message).toMatch(/待派遣/);
    const forbidden = await town.mutate(town.command(8, 'event.feedback', { id: EVENT, note: '已处理' }, AT, { id: 'v1', role: 'viewer' }));
    expect(forbidden).toMatchObject({ status: 'rejected', code: 'forbidden' });
    const missing = await town.mutate(town.command(9, 'event.accept', { id: '00000000-0000-4000-8000-000000000000' }));
    expect(missing).toMatchObject({ status: 'rejected', code: 'not-found' });
  });

  it('uses the actor of the message, and clamps a time from the future to the county clock', async () => {
    const ack = await town.mutate(
      town.command(10, 'event.dispatch', { id: EVENT, to: { kind: 'department', id: 'dept-rj' } }, '2030-01-01T00:00:00+08:00', { id: 'u-7', role: 'dispatcher', name: '张调度' }),
    );
    expect(ack).toEqual({ status: 'applied' });
    const last = event(EVENT)!.history.at(-1)!;
    expect(last).toMatchObject({ actor: 'u-7', name: '张调度', role: 'dispatcher', action: 'event.dispatch', at: AT });
  });

  it('reports lastN of this replica only, covering rejected commands once a batch follows', async () => {
    await town.until(() => town.batches.at(-1)!.lastN === 10, 'lastN 10');
    const other = await TestTown.connect(sim.url, { town: TOWN });
    await other.synced();
    expect(other.batches.every((b) => b.lastN === null)).toBe(true);
    other.close();
    // A rejection changes nothing, so no batch follows; the next change carries its n.
    expect(await town.mutate(town.command(11, 'event.accept', { id: EVENT }))).toMatchObject({ status: 'rejected' });
    sim.createEvent(TOWN);
    await town.until(() => town.batches.at(-1)!.lastN === 11, 'lastN 11');
  });

  it('settles the same numbers for another replica independently', async () => {
    const other = await TestTown.connect(sim.url, { town: TOWN });
    await other.synced();
    expect(await other.mutate(other.command(1, 'event.comment', { id: EVENT, note: '另一个调度台' }))).toEqual({ status: 'applied' });
    expect(await other.mutate(other.command(3, 'event.comment', { id: EVENT, note: '跳号' }))).toMatchObject({ code: 'out-of-order' });
    expect(sim.applied(other.auth.replica)).toEqual([{ n: 1, name: 'event.comment', status: 'applied' }]);
    other.close();
  });
});
