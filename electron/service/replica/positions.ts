// Downstream: worker positions. Every valid fix goes into the track history; the fix
// becomes the worker's position only if it is later than the stored one. Tracks are
// pruned amortised (after every `pruneEvery` stored fixes, and at open for all workers).
import type { PositionFix } from '../../../core/model';
import { parsePositionItem } from '../../../core/sync/protocol';
import type { SqliteDatabase } from '../db/sqlite';
import type { Lookups } from './lookups';
import type { PositionsResult } from './types';
import type { ReplicaWriter } from './writer';
import { PatrolDays } from '../assessment/patrol-days';

export interface PositionsOptions {
  now: () => number;
  retentionMs: number;
  maxPerWorker: number;
  pruneEvery: number;
  maxFixAheadMs: number;
}

type FixRow = { worker_id: string; lon: number; lat: number; at: number; speed: number | null; heading: number | null; accuracy: number | null };

function toFix(r: FixRow): PositionFix {
  return { workerId: r.worker_id, lon: r.lon, lat: r.lat, at: r.at, speed: r.speed, heading: r.heading, accuracy: r.accuracy };
}

function prepare(db: SqliteDatabase) {
  return {
    insertTrack: db.prepare('INSERT OR IGNORE INTO track_points (worker_id, at, lon, lat, speed, heading, accuracy) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    upsertLatest: db.prepare(
      `INSERT INTO positions_latest (worker_id, lon, lat, at, speed, heading, accuracy, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (worker_id) DO UPDATE SET lon = excluded.lon, lat = excluded.lat, at = excluded.at, speed = excluded.speed,
         heading = excluded.heading, accuracy = excluded.accuracy, received_at = excluded.received_at
       WHERE excluded.at > positions_latest.at`,
    ),
    latest: db.prepare<FixRow>('SELECT * FROM positions_latest ORDER BY worker_id'),
    track: db.prepare<FixRow>('SELECT * FROM track_points WHERE worker_id = ? AND at >= ? AND at <= ? ORDER BY at LIMIT ?'),
    trackWorkers: db.prepare<{ worker_id: string }>('SELECT DISTINCT worker_id FROM track_points'),
    trackCount: db.prepare<{ c: number }>('SELECT COUNT(*) AS c FROM track_points WHERE worker_id = ?'),
    pruneOld: db.prepare('DELETE FROM track_points WHERE worker_id = ? AND at < ?'),
    capBound: db.prepare<{ at: number }>('SELECT at FROM track_points WHERE worker_id = ? ORDER BY at DESC LIMIT 1 OFFSET ?'),
    pruneCap: db.prepare(
      `DELETE FROM track_points WHERE worker_id = @w
         AND at <= (SELECT at FROM track_points WHERE worker_id = @w ORDER BY at DESC LIMIT 1 OFFSET @keep)`,
    ),
  };
}

export class Positions {
  private readonly s: ReturnType<typeof prepare>;
  private fixesSincePrune = 0;
  private readonly touchedWorkers = new Set<string>();
  /** The daily patrol summaries, made before points are pruned (issue 11). */
  private readonly days: PatrolDays;

  constructor(
    private readonly writer: ReplicaWriter,
    private readonly lookups: Lookups,
    private readonly opts: PositionsOptions,
  ) {
    this.s = prepare(writer.db);
    this.days = new PatrolDays(writer.db);
  }

  /** Stores a `positions` message: every valid fix in the track, the newest per worker as its position. */
  applyPositions(items: unknown[]): PositionsResult {
    const now = this.opts.now();
    const { fixes, invalid } = this.validFixes(items, now);
    const winners = new Map<string, PositionFix>();
    if (fixes.length > 0) {
      this.writer.write(() => {
        for (const f of fixes) {
          this.s.insertTrack.run(f.workerId, f.at, f.lon, f.lat, f.speed, f.heading, f.accuracy);
          if (this.s.upsertLatest.run(f.workerId, f.lon, f.lat, f.at, f.speed, f.heading, f.accuracy, now).changes > 0) {
            winners.set(f.workerId, f);
          }
          this.touchedWorkers.add(f.workerId);
        }
      });
      this.fixesSincePrune += fixes.length;
      if (this.fixesSincePrune >= this.opts.pruneEvery) this.pruneTracks();
    }
    return { latest: [...winners.values()], historyOnly: fixes.length - winners.size, invalid };
  }

  private validFixes(items: unknown[], now: number): { fixes: PositionFix[]; invalid: PositionsResult['invalid'] } {
    const invalid: PositionsResult['invalid'] = [];
    const fixes: PositionFix[] = [];
    const workers = this.lookups.workerMap();
    const ahead = this.opts.maxFixAheadMs;
    items.forEach((raw, index) => {
      const parsed = parsePositionItem(raw);
      if (!parsed.ok) {
        invalid.push({ index, reason: parsed.reason });
      } else if (!workers.has(parsed.fix.workerId)) {
        invalid.push({ index, reason: `unknown worker ${JSON.stringify(parsed.fix.workerId.slice(0, 64))}` });
      } else if (parsed.fix.at > now + ahead) {
        invalid.push({ index, reason: `fix time ${parsed.fix.at} is more than ${Math.round(ahead / 60_000)} min ahead of the replica's clock` });
      } else {
        fixes.push(parsed.fix);
      }
    });
    return { fixes, invalid };
  }

  /**
   * Drops track points older than the retention and beyond the per-worker cap, for the
   * workers that received fixes since the last pruning (all workers when `all`).
   * Returns the number of points removed.
   */
  pruneTracks(all = false): number {
    const workers = all ? this.s.trackWorkers.all().map((r) => r.worker_id) : [...this.touchedWorkers];
    this.touchedWorkers.clear();
    this.fixesSincePrune = 0;
    if (workers.length === 0) return 0;
    const cutoff = this.opts.now() - this.opts.retentionMs;
    const max = this.opts.maxPerWorker;
    return this.writer.write(() => {
      let removed = 0;
      for (const w of workers) {
        this.days.summarizeBefore(w, cutoff);
        removed += this.s.pruneOld.run(w, cutoff).changes;
        const count = (this.s.trackCount.get(w) as { c: number }).c;
        if (count > max) {
          const bound = this.s.capBound.get(w, max)?.at;
          if (bound !== undefined) this.days.summarizeBefore(w, bound + 1);
          removed += this.s.pruneCap.run({ w, keep: max }).changes;
        }
      }
      return removed;
    });
  }

  positions(): PositionFix[] {
    return this.s.latest.all().map(toFix);
  }

  track(workerId: string, fromMs: number, toMs: number): PositionFix[] {
    return this.s.track.all(workerId, fromMs, toMs, this.opts.maxPerWorker).map(toFix);
  }
}
