// The chaos suite in the test command: a few dozen seeded runs (runner.ts), each a
// test named by its seed. CHAOS_RUNS=N changes how many (seeds CHAOS_FROM, CHAOS_FROM+1, …;
// default 24 from seed 1), CHAOS_SEED=S runs that one seed only (a replay). The
// thousand-run suite is `npm run chaos`.
import { describe, expect, it } from 'vitest';
import { formatResult, runChaos } from './runner';

const env = process.env;
const single = env.CHAOS_SEED !== undefined && env.CHAOS_SEED !== '' ? Number(env.CHAOS_SEED) : null;
const runs = Number(env.CHAOS_RUNS ?? 24);
const from = Number(env.CHAOS_FROM ?? 1);
const seeds = single !== null ? [single] : Array.from({ length: runs }, (_, i) => from + i);
const steps = env.CHAOS_STEPS ? Number(env.CHAOS_STEPS) : undefined;

describe('chaos: link drops, kills mid-write, duplicated, delayed and reordered deliveries', () => {
  // Two runs at a time: each run is mostly waiting (on its child process, on the county's timers).
  it.concurrent.each(seeds)(
    'seed %i keeps every invariant',
    async (seed) => {
      const result = await runChaos(seed, steps !== undefined ? { steps } : {});
      console.log(formatResult(result));
      if (!result.ok) console.log(result.trace.map((line) => `    ${line}`).join('\n'));
      expect(result.reason, `replay: CHAOS_SEED=${seed} npx vitest run tests/chaos, or npm run chaos -- --seed ${seed} --verbose`).toBeNull();
    },
    300_000,
  );
});
