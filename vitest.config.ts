import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The files that take longest, in that order (measured in the clean-clone runs): started
// first, so that the two workers end together. Left to size order on a fresh clone (no
// timing cache), the chaos file (145 s) started at 159 s and ran alone to 305 s.
const LONG_FIRST = ['tests/chaos/chaos.test.ts', 'tests/drill/drill.test.ts', 'electron/service/main.test.ts', 'electron/service/people/cli.test.ts', 'electron/service/link/county-link-liveness.test.ts', 'electron/web/cli.test.ts', 'electron/service/cli.test.ts'];

const UNIT = ['core/**/*.test.ts', 'renderer/src/**/*.test.{ts,tsx}'];
const SERVICE = ['scripts/**/*.test.ts', 'electron/**/*.test.ts', 'county/**/*.test.ts', 'node-common/**/*.test.ts', 'tests/fuzz/**/*.test.ts', 'tests/bench/**/*.test.ts', 'tests/chaos/**/*.test.ts', 'tests/hub/**/*.test.ts', 'tests/drill/**/*.test.ts', 'tests/upgrade/**/*.test.ts'];

class LongFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const i = LONG_FIRST.findIndex((p) => f.moduleId.endsWith(`/${p}`));
      return i < 0 ? LONG_FIRST.length : i;
    };
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map((x) => x.f);
  }
}

export default defineConfig({
  test: {
    // Two projects: the pure units of core and the renderer share one module graph per
    // worker (isolate: false; they keep no module state between files, and the two that
    // fake timers restore them), which saves each of their ~80 files a fresh import of
    // its modules (about 1 s a file under coverage); everything that opens files,
    // databases, sockets or child processes keeps a fresh graph per file.
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT, isolate: false } },
      { extends: true, test: { name: 'service', include: SERVICE } },
    ],
    // Concurrent tests (the chaos runs use them): two at a time on these two-core machines.
    maxConcurrency: 2,
    // Two test files at a time. Vitest's default on two cores is one (cores - 1), and many
    // files mostly wait (on child processes, timers, a county): measured under a load of 10,
    // the suite with coverage took 12:50 with two workers, as long as without coverage and
    // one worker took at a load of 12; the CPU it used (573 s) would take a quiet two-core
    // machine under 5 minutes with two workers, over 9.5 with one.
    maxWorkers: 2,
    sequence: { sequencer: LongFirst },
    environment: 'node',
    // Outcomes are asserted, never speed; a generous limit keeps a loaded shared machine
    // (CI, parallel work) from failing a test that would pass, only slower.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Dates in tests are absolute instants; a stray TZ must not change any result.
    env: { TZ: 'UTC' },
    // Coverage over everything that ships (issue 15): core, the data service, the web shell
    // and the Electron host, the county simulator, the renderer; lines AND branches. The
    // thresholds sit just under what the suite reaches, so a drop fails the test command
    // (raise them when coverage grows; never lower them to make a change pass).
    coverage: {
      provider: 'v8',
      include: ['core/**/*.ts', 'electron/**/*.ts', 'county/**/*.ts', 'renderer/src/**/*.{ts,tsx}', 'node-common/**/*.ts'],
      exclude: ['**/*.test.{ts,tsx}', '**/*.d.ts', '**/test-{fixtures,helpers,sessions,people,client,events,cli}.ts'],
      reporter: ['text-summary', 'json-summary'],
      // Measured over the whole suite on 2026-12-03 after the meeting, assessment, desk, field,
      // registers, operations and hub work merged (lines / branches, %): core 97.6 / 87.6,
      // county 89.2 / 75.1, electron 87.4 / 73.6, node-common 96.4 / 93.3, renderer 27.3 /
      // 25.3 (its screens run in the browser tests, which are not measured), all 70.8 / 60.2.
      // Each threshold sits a little under its measure: a drop fails the test command.
      thresholds: {
        lines: 68,
        branches: 58,
        'core/**': { lines: 96, branches: 85 },
        'county/**': { lines: 87, branches: 73 },
        'electron/**': { lines: 85, branches: 71 },
        'node-common/**': { lines: 95, branches: 92 },
        'renderer/src/**': { lines: 26, branches: 24 },
      },
    },
  },
});
