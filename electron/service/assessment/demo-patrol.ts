// The demo's past patrols: the county's positions are live only, so a demo town would
// start with no patrol history for the month's assessment. This fills patrol_days for
// the past days (not today: the live track makes today's) from the simulator's own patrol
// model (county/embedded.ts demoPatrolModel), a fix every few minutes, in small steps that
// yield to the event loop so the service keeps answering meanwhile.
import type { PositionFix, Worker } from '../../../core/model';
import { addDays, shanghaiDate, shanghaiMidnight } from '../../../core/time/shanghai';
import type { SqliteDatabase } from '../db/sqlite';
import { PatrolDays, summarizeDay } from './patrol-days';

export const DEMO_PATROL_DAYS = 14;
export const DEMO_PATROL_STEP_MS = 15 * 60_000;
export const DEMO_PATROL_PAUSE_MS = 5;

export async function fillDemoPatrol(options: {
  store: { db: SqliteDatabase; write<T>(fn: () => T): T };
  workers: () => Worker[];
  model: (workerId: string, t: number) => PositionFix | null;
  now: number;
  days?: number;
  stopped?: () => boolean;
}): Promise<number> {
  const days = new PatrolDays(options.store.db);
  const today = shanghaiDate(options.now);
  let written = 0;
  for (let d = options.days ?? DEMO_PATROL_DAYS; d >= 1; d--) {
    const day = addDays(today, -d);
    const from = shanghaiMidnight(day);
    const to = shanghaiMidnight(addDays(day, 1));
    for (const w of options.workers()) {
      if (options.stopped?.()) return written;
      if (days.has(w.id, day)) continue;
      const fixes: PositionFix[] = [];
      for (let t = from; t < to; t += DEMO_PATROL_STEP_MS) {
        const fix = options.model(w.id, t);
        if (fix) fixes.push(fix);
      }
      if (fixes.length > 0) {
        const summary = summarizeDay(w.id, day, fixes, days.locator());
        if (options.stopped?.()) return written;
        options.store.write(() => days.store(summary, 'model'));
        written++;
      }
      // A pause after each worker's day: the demo's screens keep the CPU while this runs.
      await new Promise((resolve) => setTimeout(resolve, DEMO_PATROL_PAUSE_MS));
    }
  }
  return written;
}
