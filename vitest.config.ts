import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'renderer/src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts', 'electron/**/*.test.ts', 'county/**/*.test.ts', 'node-common/**/*.test.ts', 'tests/fuzz/**/*.test.ts', 'tests/bench/**/*.test.ts', 'tests/chaos/**/*.test.ts', 'tests/hub/**/*.test.ts', 'tests/drill/**/*.test.ts', 'tests/upgrade/**/*.test.ts'],
    // Concurrent tests (the chaos runs use them): two at a time on these two-core machines.
    maxConcurrency: 2,
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
      // Measured 2026-12-03 (issue 15) before the meeting, assessment, desk, field, registers,
      // operations and hub work merged: core 99.7 / 95.4, county 94.3 / 82.0, electron 85.6 /
      // 76.8, node-common 96.4 / 93.3, renderer 34.2 / 34.4, all 71.6 / 65.9 (lines / branches,
      // %). That work brought about 40 % more code whose coverage over the whole suite was not
      // measured before this commit; core's own tests alone cover 86.1 / 74.4 of core, and the
      // renderer's tests 27.3 / 25.9 of the renderer (its screens run in the browser tests). Until
      // the merged suite is measured, each threshold is the floor known to hold: a drop below
      // it still fails the test command.
      thresholds: {
        lines: 50,
        branches: 45,
        'core/**': { lines: 85, branches: 73 },
        'county/**': { lines: 80, branches: 68 },
        'electron/**': { lines: 70, branches: 60 },
        'node-common/**': { lines: 95, branches: 92 },
        'renderer/src/**': { lines: 25, branches: 25 },
      },
    },
  },
});
