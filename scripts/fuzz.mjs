// `npm run fuzz`: the fuzz suite at a large scale (issue 15). FUZZ_SCALE (default 10)
// multiplies every count, and the tests' time limits with it (tests/fuzz/hostile.ts);
// FUZZ_SEED defaults to one taken from the clock, printed first so that a failure
// replays: FUZZ_SEED=<seed> FUZZ_SCALE=<scale> npm run fuzz. Extra arguments go to vitest
// (a file, -t NAME).
import { run } from './lib/setup.mjs';

const scale = process.env.FUZZ_SCALE || '10';
const seed = process.env.FUZZ_SEED || String(Date.now() % 2 ** 31);
console.log(`fuzz: FUZZ_SEED=${seed} FUZZ_SCALE=${scale} (replay: FUZZ_SEED=${seed} FUZZ_SCALE=${scale} npm run fuzz)`);
const files = process.argv.slice(2);
run('npx', ['--no-install', 'vitest', 'run', ...(files.length > 0 ? files : ['tests/fuzz'])], {
  env: { ...process.env, FUZZ_SCALE: scale, FUZZ_SEED: seed },
});
