// The county side of county-link-v1 over a real socket on loopback: the handshake
// and its refusals, the initial sync in chained batches, acknowledgements, resume
// from a cursor, reset, and positions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChangeItem, ChangesBatchSchema } from '../../core/sync/protocol';
import { startCountySimulator, type CountySimulator } from './index';
import { TestTown, tempDir } from './test-client';

const TOWN = '430624103';
// Monday 2026-11-30 09:00 in Shanghai: grid workers are on duty.
const T0 = Date.parse('2026-11-30T09:00:00+08:00');

describe('county link: handshake', () => {
  const tmp = tempDir();
  let sim: CountySimulator;
  beforeAll(async () => {
    sim = await startCountySimulator({ port: 0, seed: 11, dbFile: tmp.file('a.sqlite'), token: 's3cret', clock: () => T0, activity: false });
  }, 30_000);
  afterAll(async () => {
    await sim.close();
    tmp.remove();
  });

  it('admits a town with the right token, version and code', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN, token: 's3cret' });
    expect(town.socket.connected).toBe(true);
    town.close();
  });

  it.each([
    ['unsupported-version', { v: 2, town: TOWN, token: 's3cret' }],
    ['unauthorized', { town: TOWN, token: 'wrong' }],
    ['unknown-town', { town: '430624199', token: 's3cret' }],
    // A handshake that does not validate (replica not a UUID) is refused as unauthorized.
    ['unauthorized', { town: TOWN, token: 's3cret', replica: 'not-a-uuid' }],
  ])('refuses with %s', async (code, auth) => {
    await expect(TestTown.connect(sim.url, auth)).rejects.toThrow(new RegExp(`^${code}$`));
  });

  it('refuses the next handshake on purpose (chaos), then admits again', async () => {
    sim.chaos.refuseNext('unknown-town');
    await expect(TestTown.connect(sim.url, { town: TOWN, token: 's3cret' })).rejects.toThrow(/^unknown-town$/);
    const town = await TestTown.connect(sim.url, { town: TOWN, token: 's3cret' });
    expect(town.socket.connected).toBe(true);
    town.close();
  });
});

describe('county link: changes', () => {
  const tmp = tempDir();
  let sim: CountySimulator;
  beforeAll(async () => {
    sim = await startCountySimulator({ port: 0, seed: 12, dbFile: tmp.file('b.sqlite'), clock: () => T0, activity: false, batchSize: 40 });
  }, 30_000);
  afterAll(async () => {
    await sim.close();
    tmp.remove();
  });

  const entityCount = (): number => {
    const s = sim.snapshot(TOWN);
    return s.grids.length + s.departments.length + s.categories.length + s.workers.length + s.events.length;
  };

  it('sends the whole town in chained batches, batchSize first, doubling while it catches up, more until the last', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
    const { batches } = town;
    const total = entityCount();
    expect(total).toBeGreaterThan(200);
    // 40, 80, 160, 320 …: every batch but the last is full.
    const sizes = batches.map((b) => b.items.length);
    expect(sizes.slice(0, -1)).toEqual(sizes.slice(0, -1).map((_, i) => 40 * 2 ** i));
    expect(sizes.at(-1)).toBeGreaterThan(0);
    expect(sizes.at(-1)).toBeLessThanOrEqual(40 * 2 ** (sizes.length - 1));
    expect(batches[0]!.from).toBeNull();
    for (let i = 1; i < batches.length; i++) expect(batches[i]!.from).toBe(batches[i - 1]!.to);
    expect(batches.map((b) => b.more)).toEqual([...Array(batches.length - 1).fill(true), false]);
    expect(batches.every((b) => b.reset === false && b.lastN === null)).toBe(true);
    // Every item is valid on the wire and every entity arrives exactly once.
    for (const b of batches) expect(ChangesBatchSchema.safeParse(b).success).toBe(true);
    const items = batches.flatMap((b) => b.items);
    expect(items.every((i) => parseChangeItem(i).ok)).toBe(true);
    expect(new Set(items.map((i) => `${i.type}/${i.id}`)).size).toBe(total);
    expect(town.state.size).toBe(total);
    // Parents before children: the town, then its villages, then their grids.
    const grids = items.filter((i) => i.type === 'grid').map((i) => i.id);
    expect(grids[0]).toBe(TOWN);
    town.close();
  }, 30_000);

  it('caps catch-up batches at catchUpBatchSize and goes back to batchSize for live changes', async () => {
    const capped = await startCountySimulator({ port: 0, seed: 12, dbFile: tmp.file('cap.sqlite'), clock: () => T0, activity: false, batchSize: 40, catchUpBatchSize: 100 });
    try {
      const town = await TestTown.connect(capped.url, { town: TOWN });
      await town.synced();
      const sizes = town.batches.map((b) => b.items.length);
      expect(sizes.slice(0, 3)).toEqual([40, 80, 100]);
      expect(sizes.slice(0, -1).every((n, i) => i < 2 || n === 100)).toBe(true);
      // Caught up: a burst of live changes goes in batches of batchSize again.
      const before = town.batches.length;
      const ids = Array.from({ length: 50 }, () => capped.createEvent(TOWN));
      await town.until(() => ids.every((id) => town.state.has(`event/${id}`)), 'the new events');
      await town.synced();
      expect(town.batches.slice(before).every((b) => b.items.length <= 40)).toBe(true);
      town.close();
    } finally {
      await capped.close();
    }
  }, 30_000);

  it('reads the next batch while the town applies one, and still sends it only after the ack, with the changes made meanwhile', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN });
    town.autoAck = false;
    await town.until(() => town.pending.length === 1, 'the first batch');
    await town.roundTrip();
    expect(town.batches).toHaveLength(1);
    // The second batch is read ahead by now; the county changes meanwhile.
    const changed = sim.createEvent(TOWN);
    expect(sim.apply(TOWN, 'event.accept', { id: changed }, { id: 'op', role: 'dispatcher' })).toEqual({ ok: true });
    town.autoAck = true;
    town.ackNext();
    await town.synced();
    // Exactly what the county holds: the latest rev of everything, each batch after the previous one.
    for (let i = 1; i < town.batches.length; i++) expect(town.batches[i]!.from).toBe(town.batches[i - 1]!.to);
    expect(town.state.get(`event/${changed}`)?.rev).toBe(2);
    expect(town.state.get(`event/${changed}`)?.data).toMatchObject({ status: 'accepted' });
    expect(town.state.size).toBe(entityCount());
    town.close();
  }, 30_000);

  it('reads a batch read ahead again when a command settled meanwhile changes its lastN', async () => {
    // One entity fewer than the town in the first batch: the read-ahead second batch is the last one (to = the head).
    const probe = await startCountySimulator({ port: 0, seed: 12, dbFile: tmp.file('ahead.sqlite'), clock: () => T0, activity: false });
    const p = probe.snapshot(TOWN);
    const total = p.grids.length + p.departments.length + p.categories.length + p.workers.length + p.events.length;
    await probe.close();
    const one = await startCountySimulator({ port: 0, seed: 12, dbFile: tmp.file('ahead.sqlite'), clock: () => T0, activity: false, batchSize: total - 1 });
    try {
      const town = await TestTown.connect(one.url, { town: TOWN });
      town.autoAck = false;
      await town.until(() => town.pending.length === 1, 'the first batch');
      await town.roundTrip();
      // Rejected (no such event): it changes no entity, so the batch up to the head covers it.
      expect(await town.mutate(town.command(1, 'event.accept', { id: 'no-such-event' }))).toMatchObject({ status: 'rejected', code: 'not-found' });
      town.autoAck = true;
      town.ackNext();
      await town.synced();
      expect(town.batches.map((b) => [b.items.length, b.more, b.lastN])).toEqual([
        [total - 1, true, null],
        [1, false, 1],
      ]);
      town.close();
    } finally {
      await one.close();
    }
  }, 30_000);

  it('brings the lastN of a rejected command in an empty batch, since no change will', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
    const cursor = town.cursor;
    const before = town.batches.length;
    expect(await town.mutate(town.command(1, 'event.accept', { id: 'no-such-event' }))).toMatchObject({ status: 'rejected', code: 'not-found' });
    await town.until(() => town.batches.length === before + 1, 'the batch with the lastN');
    expect(town.batches.at(-1)).toEqual({ from: cursor, to: cursor, more: false, reset: false, lastN: 1, items: [] });
    // The same command again gets the stored answer; the town has that lastN already: no batch.
    expect(await town.mutate(town.command(1, 'event.accept', { id: 'no-such-event' }))).toMatchObject({ status: 'rejected', code: 'not-found' });
    await town.roundTrip();
    await town.roundTrip();
    expect(town.batches).toHaveLength(before + 1);
    town.close();
  }, 30_000);

  it('keeps one batch in flight until it is acknowledged', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN });
    town.autoAck = false;
    await town.until(() => town.pending.length === 1, 'the first batch');
    await town.roundTrip();
    await town.roundTrip();
    expect(town.batches.length).toBe(1);
    const first = town.ackNext();
    await town.until(() => town.batches.length === 2, 'the second batch');
    expect(town.batches[1]!.from).toBe(first.to);
    town.close();
  }, 30_000);

  it('resumes from a cursor with only newer changes, and resets an unknown cursor', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
    const cursor = town.cursor;
    town.close();

    const id = sim.createEvent(TOWN);
    const again = await TestTown.connect(sim.url, { town: TOWN, replica: town.auth.replica, cursor });
    await again.synced();
    expect(again.batches.length).toBe(1);
    const [b] = again.batches;
    expect(b!.from).toBe(cursor);
    expect(b!.reset).toBe(false);
    expect(b!.items.map((i) => `${i.type}/${i.id}`)).toEqual([`event/${id}`]);
    expect(b!.items[0]!.rev).toBe(1);

    // Nothing new: the first batch after connecting still comes, empty, and says caught up.
    const idle = await TestTown.connect(sim.url, { town: TOWN, cursor: again.cursor });
    await idle.synced();
    expect(idle.batches).toHaveLength(1);
    expect(idle.batches[0]).toMatchObject({ from: again.cursor, to: again.cursor, more: false, reset: false, items: [] });

    for (const bad of ['c-000000000000-5', 'garbage', `${cursor}999`]) {
      const fresh = await TestTown.connect(sim.url, { town: TOWN, cursor: bad });
      await fresh.synced();
      expect(fresh.batches[0]!.reset).toBe(true);
      expect(fresh.batches[0]!.from).toBeNull();
      expect(fresh.batches.slice(1).every((x) => !x.reset)).toBe(true);
      expect(fresh.state.size).toBe(entityCount());
      fresh.close();
    }
    again.close();
    idle.close();
  }, 30_000);

  it('raises rev by one on every change of an entity', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
    const id = sim.createEvent(TOWN);
    await town.until(() => town.state.get(`event/${id}`)?.rev === 1, 'the new event');
    expect(sim.apply(TOWN, 'event.accept', { id }, { id: 'd1', role: 'dispatcher' })).toEqual({ ok: true });
    expect(sim.apply(TOWN, 'event.comment', { id, note: '已电话联系' }, { id: 'd1', role: 'dispatcher' })).toEqual({ ok: true });
    await town.until(() => town.state.get(`event/${id}`)?.rev === 3, 'rev 3');
    expect((town.state.get(`event/${id}`)!.data as { status: string }).status).toBe('accepted');
    town.close();
  }, 30_000);
});

describe('county link: positions', () => {
  const tmp = tempDir();
  let sim: CountySimulator;
  let clock = T0;
  beforeAll(async () => {
    sim = await startCountySimulator({ port: 0, seed: 13, dbFile: tmp.file('c.sqlite'), clock: () => clock, activity: false });
  }, 30_000);
  afterAll(async () => {
    await sim.close();
    tmp.remove();
  });

  it('sends a fix of every on-duty worker of the town per step, in the wire form', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
    sim.tick(5000);
    await town.until(() => town.positions.length >= 1, 'positions');
    const [m] = town.positions;
    const workers = sim.snapshot(TOWN).workers;
    expect(m!.at).toBe(sim.now());
    expect(m!.items.length).toBe(workers.filter((w) => w.onDuty).length);
    const ids = new Set(workers.map((w) => w.id));
    for (const [id, lon, lat, fixTime, speed, heading, accuracy] of m!.items) {
      expect(ids.has(id)).toBe(true);
      expect(lon).toBeGreaterThan(112.8);
      expect(lon).toBeLessThan(113.0);
      expect(lat).toBeGreaterThan(28.5);
      expect(lat).toBeLessThan(28.7);
      expect(fixTime).toBeLessThanOrEqual(m!.at);
      expect(fixTime).toBeGreaterThan(m!.at - 5000);
      expect(speed).toBeGreaterThanOrEqual(0);
      expect(speed).toBeLessThan(8);
      if (heading !== null) expect(heading).toBeGreaterThanOrEqual(0);
      if (heading !== null) expect(heading).toBeLessThan(360);
      expect(accuracy).toBeGreaterThan(0);
    }
    town.close();
  }, 30_000);

  it('sends none at night, when grid workers are off duty (worker puts say so)', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
    clock = Date.parse('2026-11-30T22:00:00+08:00');
    sim.tick(5000);
    await town.until(() => [...town.state.entries()].filter(([k]) => k.startsWith('worker/')).every(([, v]) => (v.data as { onDuty: boolean }).onDuty === false), 'off duty');
    const before = town.positions.length;
    sim.tick(5000);
    await town.roundTrip();
    expect(town.positions.length).toBe(before);
    town.close();
  }, 30_000);

  it('on duty "always" (the control action), workers go on duty at once and patrol at night', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
    clock = Date.parse('2026-11-30T23:00:00+08:00');
    sim.tick(5000);
    const onDuty = (): boolean[] => [...town.state.entries()].filter(([k]) => k.startsWith('worker/')).map(([, v]) => (v.data as { onDuty: boolean }).onDuty);
    await town.until(() => onDuty().every((d) => !d), 'off duty');
    const res = await fetch(`${sim.url}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'duty', mode: 'always' }) });
    expect(await res.json()).toEqual({ ok: true, duty: 'always' });
    await town.until(() => onDuty().every((d) => d), 'on duty at night');
    const before = town.positions.length;
    sim.tick(5000);
    await town.until(() => town.positions.length > before, 'night fixes');
    expect(town.positions.at(-1)!.items.length).toBe(onDuty().length);
    // A step keeps them on duty; back to day duty sends them home at once.
    sim.tick(5000);
    await town.roundTrip();
    expect(onDuty().every((d) => d)).toBe(true);
    const status = (await (await fetch(`${sim.url}/status`)).json()) as { duty: string };
    expect(status.duty).toBe('always');
    const bad = await fetch(`${sim.url}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'duty', mode: 'night' }) });
    expect(bad.status).toBe(400);
    sim.setDuty('day');
    await town.until(() => onDuty().every((d) => !d), 'off duty again');
    town.close();
  }, 30_000);
});
