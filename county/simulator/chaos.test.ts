// The chaos controls and a restart of the county: what the town's chaos suite relies on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCountySimulator, type CountySimulator } from './index';
import { TestTown, tempDir } from './test-client';

const TOWN = '430624103';
const T0 = Date.parse('2026-11-30T09:00:00+08:00');
const dispatcher = { id: 'd', role: 'dispatcher' } as const;
/** Let the in-process server run everything it has queued (its pumps are setImmediate callbacks). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
};

describe('chaos controls', () => {
  const tmp = tempDir();
  let sim: CountySimulator;
  beforeAll(async () => {
    sim = await startCountySimulator({ port: 0, seed: 31, dbFile: tmp.file('chaos.sqlite'), clock: () => T0, activity: false, ackTimeoutMs: 200 });
  }, 30_000);
  afterAll(async () => {
    await sim.close();
    tmp.remove();
  });

  it('drops every link; the town comes back with its cursor and gets what it missed', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN });
    const other = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
    await other.synced();
    expect(sim.connections()).toBe(2);
    sim.chaos.dropLinks();
    await town.until(() => town.disconnects === 1 && other.disconnects === 1, 'both dropped');
    const cursor = town.cursor;
    const id = sim.createEvent(TOWN);
    const seen = town.batches.length;
    await town.open();
    await town.until(() => town.batches.length > seen && town.batches.at(-1)!.more === false, 'catch-up');
    expect(town.batches[seen]!.from).toBe(cursor);
    expect(town.batches.slice(seen).flatMap((b) => b.items.map((i) => i.id))).toEqual([id]);
    town.close();
    other.close();
  }, 30_000);

  it('pause holds batches and mutate answers (positions go on); resume releases them', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
    const id = sim.createEvent(TOWN);
    await town.until(() => town.state.has(`event/${id}`), 'the event');
    sim.chaos.pause();
    const answer = town.mutate(town.command(1, 'event.accept', { id }));
    sim.createEvent(TOWN);
    await settle();
    const batches = town.batches.length;
    const positions = town.positions.length;
    sim.tick(5000);
    // Positions come after anything the server sent before: no batch came meanwhile.
    await town.until(() => town.positions.length > positions, 'positions while paused');
    expect(town.batches.length).toBe(batches);
    expect(sim.snapshot(TOWN).events.find((e) => e.id === id)!.status).toBe('reported');
    sim.chaos.resume();
    expect(await answer).toEqual({ status: 'applied' });
    await town.until(() => town.batches.length > batches && town.batches.at(-1)!.lastN === 1, 'batches after resume');
    town.close();
  }, 30_000);

  it('duplicates deliveries: the same batch twice, which the town applies once', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
    sim.chaos.set({ duplicate: 1 });
    const id = sim.createEvent(TOWN);
    await town.until(() => town.batches.filter((b) => b.items.some((i) => i.id === id)).length === 2, 'two copies');
    const copies = town.batches.filter((b) => b.items.some((i) => i.id === id));
    expect(copies[1]).toEqual(copies[0]);
    sim.chaos.set({ duplicate: 0 });
    const next = sim.createEvent(TOWN);
    await town.until(() => town.state.has(`event/${next}`), 'the next event');
    expect(town.state.get(`event/${id}`)!.rev).toBe(1);
    town.close();
  }, 30_000);

  it('loses acknowledgements: a mutate answer is not sent; the resent command gets the first answer, applied once', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
    const id = sim.createEvent(TOWN);
    sim.chaos.set({ dropAcks: 1 });
    await expect(town.mutate(town.command(1, 'event.accept', { id }), 300)).rejects.toThrow();
    sim.chaos.set({ dropAcks: 0 });
    expect(await town.mutate(town.command(1, 'event.accept', { id }))).toEqual({ status: 'applied' });
    const e = sim.snapshot(TOWN).events.find((x) => x.id === id)!;
    expect(e.history.filter((h) => h.action === 'event.accept')).toHaveLength(1);
    expect(sim.applied(town.auth.replica)).toEqual([{ n: 1, name: 'event.accept', status: 'applied' }]);
    town.close();
  }, 30_000);

  it('resends the batch in flight on the same connection when its ack is lost', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
    sim.chaos.set({ dropAcks: 1 });
    const id = sim.createEvent(TOWN);
    await town.until(() => town.batches.filter((b) => b.items.some((i) => i.id === id)).length >= 2, 'a resend');
    sim.chaos.set({ dropAcks: 0 });
    const after = sim.createEvent(TOWN);
    await town.until(() => town.state.has(`event/${after}`), 'progress after the ack gets through');
    const withFirst = town.batches.filter((b) => b.items.some((i) => i.id === id));
    expect(new Set(withFirst.map((b) => b.to)).size).toBe(1);
    expect(town.disconnects).toBe(0);
    town.close();
  }, 30_000);

  it('resetNext answers the next connection with a full snapshot; a caught-up town holds headCursor()', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
    expect(town.cursor).toBe(sim.headCursor());
    const entities = town.state.size;
    const caughtUp = (from: number) => () => town.batches.length > from && town.batches.at(-1)!.more === false && town.cursor === town.batches.at(-1)!.to;
    const resumed = town.batches.length;
    sim.chaos.resetNext();
    await town.reconnect();
    await town.until(caughtUp(resumed), 'the snapshot again');
    expect(town.batches[resumed]).toMatchObject({ from: null, reset: true });
    expect(town.batches.slice(resumed + 1).every((b) => !b.reset)).toBe(true);
    // The snapshot again from the start: every entity once more, and the town ends at the head.
    const resent = new Set(town.batches.slice(resumed).flatMap((b) => b.items.map((i) => `${i.type}/${i.id}`)));
    expect(resent.size).toBe(entities);
    expect(town.cursor).toBe(sim.headCursor());
    // One-shot: the connection after that resumes from its cursor.
    const seen = town.batches.length;
    await town.reconnect();
    await town.until(caughtUp(seen), 'resumed');
    expect(town.batches.slice(seen).map((b) => [b.reset, b.items.length])).toEqual([[false, 0]]);
    town.close();
  }, 30_000);

  it('idle(town): true only when nothing between the county and the town is under way', async () => {
    expect(sim.idle(TOWN)).toBe(false); // no connection
    const town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
    await town.until(() => sim.idle(TOWN), 'idle after the sync');
    sim.chaos.pause();
    expect(sim.idle(TOWN)).toBe(false);
    sim.chaos.resume();
    expect(sim.idle(TOWN)).toBe(true);
    // A batch the town holds without acknowledging it.
    town.autoAck = false;
    sim.createEvent(TOWN);
    expect(sim.idle(TOWN)).toBe(false);
    await town.until(() => town.pending.length === 1, 'the batch');
    expect(sim.idle(TOWN)).toBe(false);
    town.ackNext();
    town.autoAck = true;
    await town.until(() => sim.idle(TOWN), 'idle after the ack');
    // A reset asked for is under way until a connection has taken it.
    sim.chaos.resetNext();
    expect(sim.idle(TOWN)).toBe(false);
    const seen = town.batches.length;
    await town.reconnect();
    await town.until(() => town.batches.length > seen && sim.idle(TOWN), 'idle after the reset');
    expect(town.batches[seen]?.reset).toBe(true);
    town.close();
    await town.until(() => sim.connections() === 0, 'gone');
    expect(sim.idle(TOWN)).toBe(false);
  }, 30_000);

  it('delays deliveries and reorders positions, and the town still converges', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
    sim.chaos.set({ delayMs: [5, 40], reorderPositions: true });
    const ids = [sim.createEvent(TOWN), sim.createEvent(TOWN), sim.createEvent(TOWN)];
    for (let i = 0; i < 12; i++) sim.tick(5000);
    await town.until(() => ids.every((id) => town.state.has(`event/${id}`)), 'the events');
    await town.until(() => town.positions.some((m, i) => i > 0 && m.at < town.positions[i - 1]!.at), 'a late positions message');
    sim.chaos.set({ delayMs: [0, 0], reorderPositions: false });
    town.close();
  }, 30_000);
});

describe('restart of the county on the same file', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('keeps its state, its answers and the towns’ cursors', async () => {
    const file = tmp.file('restart.sqlite');
    const first = await startCountySimulator({ port: 0, seed: 41, dbFile: file, clock: () => T0, activity: false });
    const town = await TestTown.connect(first.url, { town: TOWN });
    await town.synced();
    const id = first.createEvent(TOWN);
    expect(await town.mutate(town.command(1, 'event.accept', { id }))).toEqual({ status: 'applied' });
    await town.until(() => town.batches.at(-1)!.lastN === 1, 'lastN 1');
    const cursor = town.cursor;
    const snapshot = first.snapshot(TOWN);
    town.close();
    await first.close();

    const second = await startCountySimulator({ port: 0, seed: 41, dbFile: file, clock: () => T0, activity: false });
    expect(second.snapshot(TOWN)).toEqual(snapshot);
    expect(second.applied(town.auth.replica)).toEqual([{ n: 1, name: 'event.accept', status: 'applied' }]);
    const back = await TestTown.connect(second.url, { town: TOWN, replica: town.auth.replica, cursor });
    await back.synced();
    expect(back.batches).toHaveLength(1);
    expect(back.batches[0]).toMatchObject({ from: cursor, to: cursor, reset: false, more: false, lastN: 1, items: [] });
    // The same command again after the restart: the first answer, nothing applied twice.
    expect(await back.mutate(back.command(1, 'event.accept', { id }))).toEqual({ status: 'applied' });
    expect(await back.mutate(back.command(2, 'event.dispatch', { id, to: { kind: 'department', id: 'dept-zz' } }))).toEqual({ status: 'applied' });
    await back.until(() => back.batches.at(-1)!.lastN === 2, 'lastN 2');
    expect(second.snapshot(TOWN).events.find((e) => e.id === id)!.history.map((h) => h.action)).toEqual(['event.create', 'event.accept', 'event.dispatch']);
    expect(second.apply(TOWN, 'event.feedback', { id, note: '已处理' }, { id: 'op', role: 'department', departmentId: 'dept-zz' })).toEqual({ ok: true });
    expect(second.apply(TOWN, 'event.feedback', { id, note: '再次' }, dispatcher)).toMatchObject({ ok: false, code: 'forbidden' });
    back.close();
    await second.close();
  }, 30_000);
});
