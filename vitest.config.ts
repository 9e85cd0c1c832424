import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'renderer/src/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts', 'electron/**/*.test.ts', 'county/**/*.test.ts', 'node-common/**/*.test.ts', 'tests/fuzz/**/*.test.ts', 'tests/bench/**/*.test.ts', 'tests/chaos/**/*.test.ts', 'tests/hub/**/*.test.ts', 'tests/drill/**/*.test.ts'],
    // Concurrent tests (the chaos runs use them): two at a time on these two-core machines.
    maxConcurrency: 2,
    environment: 'node',
    // Outcomes are asserted, never speed; a generous limit keeps a loaded shared machine
    // (CI, parallel work) from failing a test that would pass, only slower.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Dates in tests are absolute instants; a stray TZ must not change any result.
    env: { TZ: 'UTC' },
    coverage: {
      provider: 'v8',
      include: ['core/**/*.ts'],
      exclude: ['core/**/*.test.ts'],
      reporter: ['text-summary', 'text', 'json-summary'],
      thresholds: { lines: 90 },
    },
  },
});
