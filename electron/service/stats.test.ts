// stats.overview over a real replica file: today's counts, the 7-day rates and trend,
// categories, grid load, workers online and today's patrol coverage, the ticker and
// the link, each against values worked out by hand from the events below.
import { pointOnFeature } from '@turf/point-on-feature';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultOf } from '../../core/api/contract';
import { StatsOverviewSchema } from '../../core/api/stats';
import type { Grid, PositionFix } from '../../core/model';
import { positionItem } from '../../core/sync/protocol';
import type { Replica } from './replica/replica';
import { GRIDS, GRID_A, GRID_B, HOUR, MINUTE, T0, TOWN, batch, countyEvent, eventItem, seededReplica, tempDir } from './replica/test-fixtures';
import { MEMO_MS, createStatsQueries, isOverdue } from './stats';

const DAY = 24 * HOUR;
const NOW = T0 + 5 * MINUTE; // Monday 2026-11-30 09:05 Shanghai

let tmp: ReturnType<typeof tempDir>;
let replica: Replica;
const clock = { now: NOW };
let link: ResultOf<'link.status'> = {
  state: 'offline',
  since: '2026-11-30T08:40:00+08:00',
  queueLength: 3,
  lastSyncAt: '2026-11-30T08:39:00+08:00',
  catchingUp: false,
  offlineSince: '2026-11-30T08:40:00+08:00',
};

const grid = (code: string): Grid => GRIDS.find((g) => g.code === code)!;
const inside = (code: string): [number, number] => pointOnFeature(grid(code).geometry).geometry.coordinates as [number, number];
const fix = (workerId: string, at: number, [lon, lat]: [number, number]): PositionFix => ({ workerId, lon, lat, at, speed: 1, heading: 0, accuracy: 5 });
const basicGrids = TOWN.grids.filter((g) => g.kind === 'basic');
const GRID_C = basicGrids.find((g) => g.code !== GRID_A && g.code !== GRID_B)!.code;

beforeAll(async () => {
  tmp = tempDir();
  const opened = await seededReplica(tmp.file('stats.db'));
  replica = opened.replica;
  opened.clock.now = NOW;
  const events = [
    // Today: a waits past its 30-minute accept limit (overdue); b accepted; c dispatched; d closed today.
    countyEvent({ id: 'a', at: T0 - 2 * HOUR }),
    countyEvent({ id: 'b', at: T0 }, 'accepted'),
    countyEvent({ id: 'c', at: T0, urgency: 'critical', title: '垃圾焚烧冒烟' }, 'dispatched'),
    countyEvent({ id: 'd', at: T0 - 5 * HOUR }, 'closed'),
    countyEvent({ id: 'g', at: T0, category: '0401', grid: GRID_B, title: '可疑人员徘徊' }),
    // Earlier in the week: e closed on Saturday; h closed on time on Tuesday; i dispatched Wednesday, now late.
    countyEvent({ id: 'e', at: T0 - 2 * DAY }, 'closed'),
    countyEvent({ id: 'h', at: T0 - 6 * DAY }, 'closed'),
    countyEvent({ id: 'i', at: T0 - 5 * DAY }, 'dispatched'),
    // Forty days ago and never accepted: outside the window, still open and overdue.
    countyEvent({ id: 'f', at: T0 - 40 * DAY }),
  ];
  replica.applyBatch(batch('c-1', 'c-2', events.map((e) => eventItem(e, 1))));
  const workers = TOWN.workers;
  replica.applyPositions([
    // Online (2 minutes ago) in GRID_A; 20 minutes ago in GRID_B (not online, but patrolled today).
    positionItem(fix(workers[0]!.id, NOW - 2 * MINUTE, inside(GRID_A))),
    positionItem(fix(workers[1]!.id, NOW - 20 * MINUTE, inside(GRID_B))),
    // Yesterday evening: not today's patrol.
    positionItem(fix(workers[2]!.id, T0 - 12 * HOUR, inside(GRID_C))),
  ]);
});

afterAll(async () => {
  await replica.close();
  tmp.cleanup();
});

const stats = () => createStatsQueries({ replica, linkStatus: () => link, clock: () => clock.now });

describe('stats.overview', () => {
  it('answers with the contract shape', () => {
    const overview = stats().overview();
    expect(StatsOverviewSchema.parse(overview)).toEqual(overview);
    expect(overview.at).toBe('2026-11-30T09:05:00+08:00');
    expect(overview.day).toBe('2026-11-30');
  });

  it("counts today's reported, accepted, dispatched, closed and overdue events", () => {
    const overview = stats().overview();
    expect(overview.today).toEqual({ reported: 5, accepted: 3, dispatched: 2, closed: 1, overdue: 3 });
    expect(overview.open).toBe(6);
    // The overdue count is the replica's own (events.list overdue filter).
    const listed = replica.listEvents({ overdue: true, paging: { offset: 0, limit: 100 }, sort: 'risk' }, NOW).items.map((e) => e.id).sort();
    expect(listed).toEqual(['a', 'f', 'i']);
    expect(listed.every((id) => isOverdue(replica.getEvent(id)!, NOW))).toBe(true);
    expect(isOverdue(replica.getEvent('b')!, NOW)).toBe(false);
  });

  it('computes 按期结案率 and 结案率 over the last 7 days with core/analytics', () => {
    const { rates } = stats().overview();
    expect(rates.from).toBe('2026-11-24T00:00:00+08:00');
    expect(rates.to).toBe('2026-11-30T09:05:00+08:00');
    // Due in the period: h (closed on time) and i (still open): 1 / (2 − 0).
    expect(rates.onTimeClosure).toEqual({ numerator: 1, denominator: 2, rate: 0.5, due: 2, suspended: 0 });
    // Closed in the period: d, e, h; accepted in it: b, c, d, e, h, i.
    expect(rates.closure).toEqual({ numerator: 3, denominator: 6, rate: 0.5 });
  });

  it('gives the 7-day trend and the category groups', () => {
    const overview = stats().overview();
    expect(overview.trend).toEqual([
      { date: '2026-11-24', reported: 1, closed: 1 },
      { date: '2026-11-25', reported: 1, closed: 0 },
      { date: '2026-11-26', reported: 0, closed: 0 },
      { date: '2026-11-27', reported: 0, closed: 0 },
      { date: '2026-11-28', reported: 1, closed: 1 },
      { date: '2026-11-29', reported: 0, closed: 0 },
      { date: '2026-11-30', reported: 5, closed: 1 },
    ]);
    expect(overview.categories.slice(0, 2)).toEqual([
      { code: '03', name: '环境卫生', today: 4, week: 7 },
      { code: '04', name: '社会治安', today: 1, week: 1 },
    ]);
    const groups = TOWN.categories.filter((c) => c.parent === null);
    expect(overview.categories).toHaveLength(groups.length);
    expect(overview.categories.slice(2).every((c) => c.today === 0 && c.week === 0)).toBe(true);
  });

  it('ranks the grids by open events and overdue ones', () => {
    const { gridLoad } = stats().overview();
    const a = grid(GRID_A);
    expect(gridLoad[0]).toEqual({ code: GRID_A, name: a.name, village: grid(a.parent!).name, open: 5, overdue: 3 });
    expect(gridLoad[1]).toMatchObject({ code: GRID_B, open: 1, overdue: 0 });
    expect(gridLoad).toHaveLength(2);
  });

  it('counts workers on duty and online, and the basic grids patrolled today', () => {
    const s = stats();
    const overview = s.overview();
    expect(overview.workers).toEqual({
      total: TOWN.workers.length,
      onDuty: TOWN.workers.filter((w) => w.onDuty).length,
      online: 1,
      onlineMinutes: 10,
    });
    expect(overview.patrol).toEqual({ basicGrids: basicGrids.length, covered: 2, rate: 2 / basicGrids.length });
    // New fixes are added to the coverage already taken (only they are located).
    replica.applyPositions([positionItem(fix(TOWN.workers[3]!.id, NOW - MINUTE, inside(GRID_C)))]);
    s.invalidate();
    expect(s.overview().patrol.covered).toBe(3);
    expect(stats().overview().patrol.covered).toBe(3);
    // The next day starts from nothing.
    clock.now = NOW + DAY;
    try {
      expect(s.overview().patrol.covered).toBe(0);
    } finally {
      clock.now = NOW;
    }
  });

  it('lists the latest events for the ticker, newest first, without personal data', () => {
    const { latest } = stats().overview();
    expect(latest.map((e) => e.id).slice(0, 3).sort()).toEqual(['b', 'c', 'g']);
    expect(latest.map((e) => e.id).at(-1)).toBe('f');
    const c = latest.find((e) => e.id === 'c')!;
    expect(c).toEqual({
      id: 'c',
      code: 'GP-c',
      reportedAt: '2026-11-30T09:00:00+08:00',
      category: '0301',
      categoryName: '垃圾乱堆乱放',
      grid: GRID_A,
      gridName: grid(GRID_A).name,
      title: '垃圾焚烧冒烟',
      urgency: 'critical',
      status: 'dispatched',
      lon: 112.9,
      lat: 28.6,
    });
    expect(Object.keys(c)).not.toContain('reporter');
    expect(Object.keys(c)).not.toContain('address');
  });

  it('reports the county link: offline since when and the commands waiting', () => {
    expect(stats().overview().link).toEqual({
      state: 'offline',
      since: '2026-11-30T08:40:00+08:00',
      offlineSince: '2026-11-30T08:40:00+08:00',
      waiting: 3,
      lastSyncAt: '2026-11-30T08:39:00+08:00',
    });
    link = { ...link, state: 'online', offlineSince: null, queueLength: 0 };
    expect(stats().overview().link).toMatchObject({ state: 'online', offlineSince: null, waiting: 0 });
  });

  it('reuses an overview until the replica changes or MEMO_MS pass; the link part is always current', () => {
    const s = stats();
    const first = s.overview();
    replica.applyPositions([positionItem(fix(TOWN.workers[4]!.id, NOW - MINUTE, inside(GRID_A)))]);
    expect(s.overview().workers.online).toBe(first.workers.online);
    link = { ...link, queueLength: 7 };
    expect(s.overview().link.waiting).toBe(7);
    clock.now = NOW + MEMO_MS;
    try {
      expect(s.overview().workers.online).toBe(first.workers.online + 1);
      clock.now = NOW;
      s.invalidate();
      expect(s.overview().workers.online).toBe(first.workers.online + 1);
    } finally {
      clock.now = NOW;
      link = { ...link, queueLength: 0 };
    }
  });

  it('says how many documents it read and that no bound cut them', () => {
    expect(stats().overview().basis).toEqual({ events: 9, truncated: false, windowDays: 30 });
  });
});
