// The chaos suite in the test command: a few dozen seeded runs (runner.ts), each a
// test named by its seed. CHAOS_RUNS=N changes how many (seeds CHAOS_FROM, CHAOS_FROM+1, …;
// default 24 from seed 1), CHAOS_SEED=S runs that one seed only (a replay). The
// thousand-run suite is `npm run chaos`.
//
// Fresh seeds (issue 15): the test command (scripts/test.mjs) sets CHAOS_FRESH=S, a seed
// taken from the clock and printed, and CHAOS_FRESH_RUNS (default 2): seeds S, S+1, …
// run beside the fixed ones, so every run of the test command meets new sequences.
// The faults of the whole set are counted and asserted (faults.ts): a set of at least
// eight runs that killed nothing inside a transaction, or never retried a lost call,
// fails, whatever made its steps change.
import { afterAll, describe, expect, it } from 'vitest';
import { checkFaults, MIN_SET_FOR_FAULTS } from './faults';
import { formatResult, runChaos, type ChaosStats } from './runner';

const env = process.env;
const single = env.CHAOS_SEED !== undefined && env.CHAOS_SEED !== '' ? Number(env.CHAOS_SEED) : null;
const runs = Number(env.CHAOS_RUNS ?? 24);
const from = Number(env.CHAOS_FROM ?? 1);
const fresh = env.CHAOS_FRESH !== undefined && env.CHAOS_FRESH !== '' ? Number(env.CHAOS_FRESH) : null;
const freshRuns = Number(env.CHAOS_FRESH_RUNS ?? 2);
const fixed = single !== null ? [single] : Array.from({ length: runs }, (_, i) => from + i);
const seeds = single === null && fresh !== null ? [...fixed, ...Array.from({ length: freshRuns }, (_, i) => fresh + i)] : fixed;
const steps = env.CHAOS_STEPS ? Number(env.CHAOS_STEPS) : undefined;
const done: ChaosStats[] = [];

if (fresh !== null) console.log(`[chaos] fresh seeds ${fresh}..${fresh + freshRuns - 1} (replay one: CHAOS_SEED=<seed> npx vitest run tests/chaos/chaos.test.ts)`);

describe('chaos: link drops, kills mid-write, duplicated, delayed and reordered deliveries', () => {
  // Two runs at a time: each run is mostly waiting (on its child process, on the county's timers).
  it.concurrent.each(seeds)(
    'seed %i keeps every invariant',
    async (seed) => {
      const result = await runChaos(seed, steps !== undefined ? { steps } : {});
      done.push(result.stats);
      console.log(formatResult(result));
      if (!result.ok) console.log(result.trace.map((line) => `    ${line}`).join('\n'));
      expect(result.reason, `replay: CHAOS_SEED=${seed} npx vitest run tests/chaos, or npm run chaos -- --seed ${seed} --verbose`).toBeNull();
    },
    300_000,
  );

  // The set's faults, once every run has ended (a failed run fails on its own).
  afterAll(() => {
    if (done.length < MIN_SET_FOR_FAULTS || done.length < seeds.length) return;
    expect(checkFaults(done), 'the chaos set no longer reaches every fault it is meant to (step weights changed?)').toBeNull();
  });
});
