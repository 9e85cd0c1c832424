// county-link-v1 conformance, one suite for every county server the project ships: the
// simulator (SQLite), the hub on PGlite and the hub on a real PostgreSQL. Each case talks
// to the server over a real socket with a raw test town (county/simulator/test-client.ts)
// and reads the county's state through the server's own handle: the handshake and its
// refusals, the initial sync in chained batches, live changes, resume from a cursor, a
// reset, positions, ping, and mutate with its (replica, n) answers and lastN; then the
// commands the project adds (field-conformance.ts: registers, worker.notify, onDuty).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../core/model';
import { ChangesBatchSchema, MutateAckSchema, parseChangeItem, type TownSnapshot } from '../../core/sync/protocol';
import { TestTown } from '../../county/simulator/test-client';
import { fieldConformance } from './field-conformance';

export const TOWN = '430624103';
export const TOKEN = 'conformance-token';
/** Monday 2026-11-30 09:00 in Shanghai: grid workers are on duty. */
export const T0 = Date.parse('2026-11-30T09:00:00+08:00');

/** A county server under test, as the suite drives it (its own handle, not the wire). */
export interface CountyUnderTest {
  url: string;
  towns: string[];
  snapshot(town: string): Promise<TownSnapshot>;
  applied(replica: string): Promise<{ n: number; name: string; status: string; code?: string }[]>;
  /** A new event as a grid worker reports it; its id. */
  createEvent(town: string): Promise<string>;
  /** A command as the county's own side gives it. */
  apply(town: string, name: string, args: unknown, actor: Actor): Promise<{ ok: boolean }>;
  /** Make the county send the town's positions now. */
  positions(town: string): Promise<void>;
  /** Move the county's clock on by `ms` and let its world run up to it (positions included); the new time. */
  advance(ms: number): Promise<number>;
  close(): Promise<void>;
}

const count = (s: TownSnapshot): number => s.grids.length + s.departments.length + s.categories.length + s.workers.length + s.events.length;

/** What a replica holds, as the county's snapshot lists it: `type/id` → rev-free data. */
function replicaKeys(town: TestTown): string[] {
  return [...town.state.entries()].filter(([, v]) => v.data !== null).map(([k]) => k).sort();
}

function snapshotKeys(s: TownSnapshot): string[] {
  return [
    ...s.grids.map((g) => `grid/${g.code}`),
    ...s.departments.map((d) => `department/${d.id}`),
    ...s.categories.map((c) => `category/${c.code}`),
    ...s.workers.map((w) => `worker/${w.id}`),
    ...s.events.map((e) => `event/${e.id}`),
  ].sort();
}

/**
 * Which cases run: all, or (`representative`) those that read and write the store in every
 * way (handshake, sync and live changes, mutate with its answers and lastN, the registers),
 * leaving out the cases whose store side the same SQL already shows on PGlite (resume,
 * positions, duty, worker.notify): the default on a real PostgreSQL in the test command;
 * GRIDDECK_FULL_HUB=1 runs all there too.
 */
export type Coverage = 'all' | 'representative';

export const FULL_HUB = process.env.GRIDDECK_FULL_HUB === '1';

export function describeConformance(label: string, open: () => Promise<CountyUnderTest>, coverage: Coverage = 'all', timeoutMs = 60_000): void {
  /** The cases beyond the representative ones. */
  const more = (name: string, fn: () => Promise<void>): void => (coverage === 'all' ? it(name, fn) : it.skip(name, fn));
  describe(`county-link-v1 conformance: ${label}${coverage === 'all' ? '' : ' (representative cases; GRIDDECK_FULL_HUB=1: all)'}`, () => {
    let county: CountyUnderTest;
    beforeAll(async () => {
      county = await open();
    }, timeoutMs);
    afterAll(async () => {
      await county?.close();
    }, 30_000);

    it('serves the demo town, admits the right handshake and refuses the others with their codes', async () => {
      expect(county.towns).toContain(TOWN);
      const ok = await TestTown.connect(county.url, { town: TOWN, token: TOKEN });
      expect(ok.socket.connected).toBe(true);
      ok.close();
      await expect(TestTown.connect(county.url, { v: 2, town: TOWN, token: TOKEN })).rejects.toThrow(/^unsupported-version$/);
      await expect(TestTown.connect(county.url, { town: TOWN, token: 'wrong' })).rejects.toThrow(/^unauthorized$/);
      await expect(TestTown.connect(county.url, { town: '430624199', token: TOKEN })).rejects.toThrow(/^unknown-town$/);
    });

    it('sends the whole town in chained batches, then live changes, and answers ping', async () => {
      const town = await TestTown.connect(county.url, { town: TOWN, token: TOKEN });
      await town.synced();
      const { batches } = town;
      expect(batches[0]!.from).toBeNull();
      for (let i = 1; i < batches.length; i++) expect(batches[i]!.from).toBe(batches[i - 1]!.to);
      expect(batches.map((b) => b.more)).toEqual([...Array(batches.length - 1).fill(true), false]);
      for (const b of batches) expect(ChangesBatchSchema.safeParse(b).success).toBe(true);
      expect(batches.flatMap((b) => b.items).every((i) => parseChangeItem(i).ok)).toBe(true);
      expect(replicaKeys(town)).toEqual(snapshotKeys(await county.snapshot(TOWN)));
      const id = await county.createEvent(TOWN);
      await town.until(() => town.state.has(`event/${id}`), 'the new event');
      expect(await county.apply(TOWN, 'event.accept', { id }, { id: 'op-1', role: 'dispatcher' })).toMatchObject({ ok: true });
      await town.until(() => town.state.get(`event/${id}`)?.rev === 2, 'rev 2');
      expect(town.state.get(`event/${id}`)?.data).toMatchObject({ status: 'accepted' });
      const pong = (await town.socket.timeout(5000).emitWithAck('ping', { at: Date.now() })) as { at: number };
      expect(typeof pong.at).toBe('number');
      town.close();
    });

    more('resumes from a cursor with only what changed meanwhile, and resets an unknown cursor', async () => {
      const first = await TestTown.connect(county.url, { town: TOWN, token: TOKEN });
      await first.synced();
      const cursor = first.cursor;
      first.close();
      const id = await county.createEvent(TOWN);
      const again = await TestTown.connect(county.url, { town: TOWN, token: TOKEN, replica: first.auth.replica, cursor });
      await again.synced();
      expect(again.batches[0]!.from).toBe(cursor);
      expect(again.batches[0]!.reset).toBe(false);
      expect(again.batches.flatMap((b) => b.items).map((i) => `${i.type}/${i.id}`)).toEqual([`event/${id}`]);
      again.close();
      const stranger = await TestTown.connect(county.url, { town: TOWN, token: TOKEN, cursor: 'c-00ff00ff00ff-1' });
      await stranger.synced();
      expect(stranger.batches[0]).toMatchObject({ from: null, reset: true });
      expect(stranger.state.size).toBe(count(await county.snapshot(TOWN)));
      stranger.close();
    });

    more('sends positions in the wire format', async () => {
      const town = await TestTown.connect(county.url, { town: TOWN, token: TOKEN });
      await town.synced();
      await county.positions(TOWN);
      await town.until(() => town.positions.length > 0, 'positions');
      const item = town.positions[0]!.items[0]!;
      expect(item).toHaveLength(7);
      expect(typeof item[0]).toBe('string');
      expect(item[1]).toBeGreaterThan(70);
      town.close();
    });

    it('settles each (replica, n) once, in order, with the same answer every time, and reports lastN', async () => {
      const town = await TestTown.connect(county.url, { town: TOWN, token: TOKEN });
      await town.synced();
      const grid = (await county.snapshot(TOWN)).grids.find((g) => g.level === 3)!.code;
      const EVENT = '6f1c2d3e-4a5b-4c6d-8e7f-901234567890';
      const args = { id: EVENT, code: 'GP20261130-9001', title: '南环社区垃圾堆放', description: '路口垃圾堆积', category: '0301', urgency: 'normal', source: 'hotline', location: { lon: 112.9, lat: 28.61, address: '古培镇南环社区' }, grid };
      const created = await town.mutate(town.command(1, 'event.create', args));
      expect(created).toEqual({ status: 'applied' });
      expect(MutateAckSchema.safeParse(created).success).toBe(true);
      await town.until(() => town.batches.some((b) => b.lastN === 1 && b.items.some((i) => i.id === EVENT)), 'lastN 1');
      expect(await town.mutate(town.command(2, 'event.accept', { id: EVENT }))).toEqual({ status: 'applied' });
      expect(await town.mutate(town.command(2, 'event.accept', { id: EVENT }))).toEqual({ status: 'applied' });
      expect(await town.mutate(town.command(1, 'event.create', args))).toEqual({ status: 'applied' });
      const accepted = (await county.snapshot(TOWN)).events.find((e) => e.id === EVENT)!;
      expect(accepted.history.filter((h) => h.action === 'event.accept')).toHaveLength(1);
      expect(await town.mutate(town.command(5, 'event.close', { id: EVENT }))).toMatchObject({ status: 'rejected', code: 'out-of-order' });
      const invalid = await town.mutate(town.command(3, 'event.reject', { id: EVENT, reason: '   ' }));
      expect(invalid).toMatchObject({ status: 'rejected', code: 'invalid' });
      expect(await town.mutate(town.command(3, 'event.reject', { id: EVENT, reason: '重复' }))).toEqual(invalid);
      expect(await town.mutate(town.command(4, 'event.teleport', { id: EVENT }))).toMatchObject({ status: 'rejected', code: 'unknown-command' });
      expect(await town.mutate(town.command(5, 'event.accept', { id: EVENT }, undefined, { id: 'c', role: 'county' }))).toMatchObject({ status: 'rejected', code: 'forbidden' });
      await town.until(() => town.batches.at(-1)!.lastN === 5, 'lastN 5 after the rejections');
      expect((await county.applied(town.auth.replica)).map((c) => [c.n, c.status])).toEqual([
        [1, 'applied'],
        [2, 'applied'],
        [3, 'rejected'],
        [4, 'rejected'],
        [5, 'rejected'],
      ]);
      town.close();
    });

    fieldConformance(() => county, TOWN, TOKEN, more);
  });
}
