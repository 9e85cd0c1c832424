// The wall's "today" across Shanghai midnight, under a fixed clock (issue 15): a wall
// left on overnight must start the new day at zero at 00:00 Asia/Shanghai (16:00 UTC),
// not at UTC midnight, and not serve the last day's figures from its memo.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Replica } from './replica/replica';
import { MINUTE, batch, countyEvent, eventItem, seededReplica, tempDir } from './replica/test-fixtures';
import { createStatsQueries } from './stats';

const MIDNIGHT = Date.parse('2026-12-01T00:00:00+08:00');
const SECOND = 1000;
let tmp: ReturnType<typeof tempDir>;
let replica: Replica;
const clock = { now: MIDNIGHT - 10 * MINUTE };

beforeAll(async () => {
  tmp = tempDir();
  const opened = await seededReplica(tmp.file('midnight.db'), { now: () => clock.now });
  replica = opened.replica;
  replica.applyBatch(
    batch('c-1', 'c-2', [
      // Late on the 30th: reported 23:40, accepted 23:41.
      eventItem(countyEvent({ id: 'late', at: MIDNIGHT - 20 * MINUTE }, 'accepted'), 1),
      // 07:50 on the 30th: before UTC midnight of the 30th's end, same Shanghai day.
      eventItem(countyEvent({ id: 'morning', at: Date.parse('2026-11-30T07:50:00+08:00') }), 1),
    ]),
  );
});

afterAll(async () => {
  await replica.close();
  tmp.cleanup();
});

describe("the wall's today across Shanghai midnight", () => {
  it('counts the 30th until 23:59:59 Shanghai and starts the 1st at zero, from the same memo', () => {
    // One instance for the night, as the service keeps it: its memo must not outlive the day.
    const stats = createStatsQueries({ replica, linkStatus: () => ({ state: 'none', since: '2026-11-30T00:00:00+08:00', queueLength: 0, lastSyncAt: null, catchingUp: false, unsent: 0 }), clock: () => clock.now });
    clock.now = MIDNIGHT - 2 * SECOND;
    const before = stats.overview();
    expect(before.day).toBe('2026-11-30');
    expect(before.today).toMatchObject({ reported: 2, accepted: 1 });

    clock.now = MIDNIGHT + SECOND;
    const after = stats.overview();
    expect(after.day).toBe('2026-12-01');
    expect(after.today).toMatchObject({ reported: 0, accepted: 0, dispatched: 0, closed: 0 });

    // A report at 00:00:30 belongs to the new day.
    replica.applyBatch(batch('c-2', 'c-3', [eventItem(countyEvent({ id: 'new-day', at: MIDNIGHT + 30 * SECOND }), 1)]));
    stats.invalidate();
    clock.now = MIDNIGHT + MINUTE;
    expect(stats.overview().today.reported).toBe(1);
  });

  it('is not fooled by UTC midnight (08:00 in Shanghai)', () => {
    const stats = createStatsQueries({ replica, linkStatus: () => ({ state: 'none', since: '2026-11-30T00:00:00+08:00', queueLength: 0, lastSyncAt: null, catchingUp: false, unsent: 0 }), clock: () => clock.now });
    // 07:55 in Shanghai is 23:55 of the 29th in UTC: the wall's day is the 30th all the same.
    clock.now = Date.parse('2026-11-30T07:55:00+08:00');
    const overview = stats.overview();
    expect(overview.day).toBe('2026-11-30');
    expect(overview.at).toBe('2026-11-30T07:55:00+08:00');
  });
});
