// Positions: the latest fix per worker wins, late fixes go to the track only, and the
// track history stays bounded.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PositionFix } from '../../../core/model';
import { positionItem } from '../../../core/sync/protocol';
import { HOUR, MINUTE, T0, openReplica, seededReplica, tempDir } from './test-fixtures';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const fix = (workerId: string, at: number, lon = 112.9, lat = 28.6): PositionFix => ({
  workerId,
  lon,
  lat,
  at,
  speed: 1.2,
  heading: 90,
  accuracy: null,
});
const item = (f: PositionFix) => positionItem(f);

describe('applyPositions', () => {
  it('keeps the fix with the latest fix time per worker; an older one goes to the track only', async () => {
    const { replica } = await seededReplica(tmp.file('r.db'));
    const first = replica.applyPositions([item(fix('w-0001', T0 - 10_000, 112.91)), item(fix('w-0002', T0 - 5000))]);
    expect(first).toEqual({ latest: [fix('w-0001', T0 - 10_000, 112.91), fix('w-0002', T0 - 5000)], historyOnly: 0, invalid: [] });
    const late = replica.applyPositions([item(fix('w-0001', T0 - 20_000, 112.8))]);
    expect(late).toEqual({ latest: [], historyOnly: 1, invalid: [] });
    expect(replica.positions().find((p) => p.workerId === 'w-0001')?.lon).toBe(112.91);
    expect(replica.track('w-0001', 0, T0).map((p) => [p.at, p.lon])).toEqual([
      [T0 - 20_000, 112.8],
      [T0 - 10_000, 112.91],
    ]);
    // Several fixes of one worker in one message: the newest wins whatever the order.
    const mixed = replica.applyPositions([item(fix('w-0001', T0 - 1000, 1)), item(fix('w-0001', T0, 2)), item(fix('w-0001', T0 - 2000, 3))]);
    expect(mixed.latest).toEqual([fix('w-0001', T0, 2)]);
    expect(mixed.historyOnly).toBe(2);
    // The same fix delivered twice is stored once.
    replica.applyPositions([item(fix('w-0001', T0, 2))]);
    expect(replica.track('w-0001', T0, T0)).toHaveLength(1);
    expect(replica.track('w-0001', T0 - 15_000, T0 - 1500).map((p) => p.at)).toEqual([T0 - 10_000, T0 - 2000]);
    expect(replica.positions().map((p) => [p.workerId, p.at])).toEqual([
      ['w-0001', T0],
      ['w-0002', T0 - 5000],
    ]);
    await replica.close();
  });

  it('skips invalid items with their reason and stores the valid ones', async () => {
    const { replica } = await seededReplica(tmp.file('r.db'));
    const result = replica.applyPositions([
      ['w-0001', 200, 28.6, T0, null, null, null],
      ['w-0001', 112.9, 28.6, T0],
      'w-0001,112.9,28.6',
      ['w-9999', 112.9, 28.6, T0, null, null, null],
      ['w-0001', 112.9, 28.6, T0 + 3 * 86_400_000, null, null, null],
      ['w-0001', 112.9, 28.6, -5, null, null, null],
      item(fix('w-0003', T0)),
    ]);
    expect(result.invalid.map((i) => i.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(result.invalid[0]?.reason).toContain('invalid position item');
    expect(result.invalid[3]?.reason).toBe('unknown worker "w-9999"');
    expect(result.invalid[4]?.reason).toContain('ahead');
    expect(result.latest).toEqual([fix('w-0003', T0)]);
    expect(replica.positions()).toEqual([fix('w-0003', T0)]);
    await replica.close();
  });

  it('prunes the track by age and by count per worker, every few hundred fixes rather than on each', async () => {
    const { replica, clock } = await seededReplica(tmp.file('r.db'), {
      trackRetentionMs: HOUR,
      trackMaxPerWorker: 5,
      trackPruneEvery: 10,
    });
    // 9 fixes one minute apart, two hours old to now: no pruning yet (fewer than 10 stored).
    const times = Array.from({ length: 9 }, (_, i) => T0 - 2 * HOUR + i * MINUTE);
    replica.applyPositions(times.map((t) => item(fix('w-0001', t))));
    expect(replica.track('w-0001', 0, T0)).toHaveLength(5); // reading is capped at the per-worker bound
    expect(replica.track('w-0001', times[5]!, T0).map((p) => p.at)).toEqual(times.slice(5));
    // The 10th fix triggers pruning: everything older than an hour goes.
    replica.applyPositions([item(fix('w-0002', T0 - 1000))]);
    expect(replica.track('w-0001', 0, T0)).toEqual([]);
    expect(replica.positions().find((p) => p.workerId === 'w-0001')?.at).toBe(times[8]);

    // Count cap: 12 recent fixes, pruned to the newest 5.
    clock.now = T0 + HOUR;
    const recent = Array.from({ length: 12 }, (_, i) => T0 + i * 1000);
    replica.applyPositions(recent.map((t) => item(fix('w-0003', t))));
    expect(replica.track('w-0003', 0, T0 + HOUR).map((p) => p.at)).toEqual(recent.slice(-5));
    // A full pass finds w-0002's fix, now more than an hour old; its current position stays.
    expect(replica.pruneTracks(true)).toBe(1);
    expect(replica.track('w-0002', 0, T0 + HOUR)).toEqual([]);
    expect(replica.positions().find((p) => p.workerId === 'w-0002')?.at).toBe(T0 - 1000);
    expect(replica.pruneTracks(true)).toBe(0);
    expect(replica.integrityCheck()).toBe('ok');
    await replica.close();
  });

  it('keeps positions across a restart and prunes stale tracks on open', async () => {
    const file = tmp.file('r.db');
    const first = await seededReplica(file);
    first.replica.applyPositions([item(fix('w-0001', T0 - 3 * HOUR)), item(fix('w-0001', T0))]);
    await first.replica.close();
    const second = await openReplica(file, { trackRetentionMs: HOUR });
    expect(second.replica.positions()).toEqual([fix('w-0001', T0)]);
    expect(second.replica.track('w-0001', 0, T0).map((p) => p.at)).toEqual([T0]);
    await second.replica.close();
  });
});
