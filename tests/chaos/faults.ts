// What a set of chaos runs must have done for its "passed" to mean something (issue 15):
// the fault counts were printed, never asserted, so a change of the step weights could
// quietly stop the kills inside transactions. Pure, with a unit test that makes it fail.
import type { ChaosStats } from './setup';

/** Below this many runs a set may honestly miss a fault (a replay, a couple of fresh seeds). */
export const MIN_SET_FOR_FAULTS = 8;

/** Each fault the suite exists for, and how many a set must reach at least. */
const REQUIRED: readonly { what: string; count: (s: ChaosStats) => number; min: number }[] = [
  { what: 'kills inside a transaction', count: (s) => s.selfKills, min: 1 },
  { what: 'kills from outside', count: (s) => s.kills, min: 1 },
  { what: 'county restarts', count: (s) => s.countyRestarts, min: 1 },
  { what: 'commands answered to a screen only after a retry under their key', count: (s) => s.retried, min: 1 },
  { what: 'commands the county rejected', count: (s) => s.rejectedByCounty, min: 1 },
];

/** The totals of a set, and the first fault it never reached (null when it reached them all). */
export function checkFaults(stats: readonly ChaosStats[]): string | null {
  for (const r of REQUIRED) {
    const total = stats.reduce((sum, s) => sum + r.count(s), 0);
    if (total < r.min) return `${stats.length} runs had ${total} ${r.what} (at least ${r.min} expected)`;
  }
  return null;
}
