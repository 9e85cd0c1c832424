// One seeded chaos run: the county simulator in this process, the data service in a
// child process (so it can be SIGKILLed mid-write), and a driver that, step by step,
// calls dispatcher commands through the app API, moves the county, and breaks things:
// drops the link, pauses and restarts the county, duplicates, delays and reorders its
// deliveries, loses acknowledgements, forces a reset, kills the service from outside
// (also right after a command call) and from inside one of its transactions. Then it
// heals everything, waits until the town has caught up, and checks the invariants
// (checks.ts). See /docs or notes/chaos-doc.md.
//
// The phases, one module each: setup.ts (the run's state, the service's lifecycle),
// processes.ts (the county in this process, the service as a child), steps.ts (fault
// injection: the seeded steps), commands.ts (command driving: what the dispatchers and
// the county's people do), converge.ts (first sync, heal, wait), verify.ts (the end's
// invariants, with the rules of checks.ts).
import { rmSync } from 'node:fs';
import { firstSync, heal } from './converge';
import { RunFailure } from './processes';
import { createRun, type ChaosOptions, type ChaosStats } from './setup';
import { runSteps } from './steps';
import { verify } from './verify';

export type { ChaosOptions, ChaosStats } from './setup';

export interface ChaosResult {
  seed: number;
  ok: boolean;
  reason: string | null;
  ms: number;
  /** The steps as they ran, one line each. */
  trace: string[];
  stats: ChaosStats;
  /** The run's folder (removed after a passing run unless `keep`). */
  dir: string;
}

export function formatResult(r: ChaosResult): string {
  const s = r.stats;
  const what = `${(r.ms / 1000).toFixed(1)} s, ${Object.values(s.steps).reduce((a, b) => a + b, 0)} steps, ${s.receipts} commands (${s.rejectedByCounty} rejected by the county, ${s.retried} answered after a retry), ${s.kills} kills + ${s.selfKills} mid-write, ${s.countyRestarts} county restarts`;
  return r.ok ? `chaos seed=${r.seed} ok (${what})` : `chaos seed=${r.seed} FAIL ${r.reason} (${what}; files in ${r.dir})`;
}

export async function runChaos(seed: number, options: ChaosOptions = {}): Promise<ChaosResult> {
  const started = Date.now();
  const run = createRun(seed, options);
  let failure: string | null;
  try {
    await firstSync(run);
    await runSteps(run);
    await heal(run);
    failure = await verify(run);
  } catch (error) {
    failure = error instanceof RunFailure ? error.message : `the run itself failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  } finally {
    await run.service.kill().catch(() => undefined);
    await run.county.stop().catch(() => undefined);
  }
  failure ??= run.watch.violation;
  const ok = failure === null;
  if (ok && !options.keep) rmSync(run.dir, { recursive: true, force: true });
  return { seed, ok, reason: failure, ms: Date.now() - started, trace: run.trace, stats: run.stats, dir: run.dir };
}
