// The benchmarks' code runs (tiny sizes) and moves the data correctly. No timing is
// asserted here: speed is judged by `npm run bench`, by ratios within one run.
import { afterAll, describe, expect, it } from 'vitest';
import { runCatchUp } from './catchup';
import { runMemory } from './memory';
import { runPositions } from './positions';
import { runRoles } from './roles';
import { scratchDir } from './lib/util';

const cache = scratchDir('smoke-cache');
afterAll(() => cache.cleanup());

describe('npm run bench, tiny sizes', () => {
  it('positions: every fix sent reaches the replica and the last push', async () => {
    const r = await runPositions({ cacheDir: cache.dir, grids: 20, messages: 3 });
    expect(r.workers).toBeGreaterThan(20);
    expect(r.fixes).toBe(r.workers * 3);
    expect(r.latestMatches).toBe(true);
    expect(r.trackPoints).toBe(r.fixes);
    expect(r.warnings).toEqual([]);
    expect(r.pushes).toBeGreaterThanOrEqual(1);
    for (const rate of [r.stackFixesPerSec, r.rawFixesPerSec, r.replicaFixesPerSec]) expect(Number.isFinite(rate) && rate > 0).toBe(true);
    expect(r.report.rows.length).toBeGreaterThanOrEqual(5);
    expect(r.report.verified.every((v) => v.startsWith('ok'))).toBe(true);
  }, 180_000);

  it('catch-up: a fresh replica ends equal to the county, batch by batch', async () => {
    const r = await runCatchUp({ cacheDir: cache.dir, events: 600 });
    expect(r.replicaEvents).toBe(600);
    expect(r.equal).toBe(true);
    // 600 events plus the town's entities, in the county's batches (500 first, then larger while it catches up).
    expect(r.items).toBeGreaterThan(600);
    expect(r.batches).toBe(r.expectedBatches);
    // The town sent no command (no auto-dispatch rule): the county's log stood still under the measure.
    expect(r.commands).toBe(0);
    expect(r.batches).toBeLessThanOrEqual(Math.ceil(r.items / 500));
    for (const ms of [r.linkMs, r.rawMs, r.raw500Ms, r.replicaMs]) expect(Number.isFinite(ms) && ms > 0).toBe(true);
    expect(r.report.verified.every((v) => v.startsWith('ok'))).toBe(true);
  }, 180_000);

  it('memory: the service opens a replica built from copied events and answers the queries like the SQL', async () => {
    const r = await runMemory({ cacheDir: cache.dir, events: 1500, templates: 600, repeat: 1 });
    expect(r.big.queries.length).toBeGreaterThanOrEqual(8);
    expect(r.big.queries[0]?.total).toBe(1500);
    expect(r.big.queries.every((q) => q.sameTotal)).toBe(true);
    // The filters select something real, and fewer than all.
    const some = r.big.queries.filter((q) => q.total > 0 && q.total < 1500);
    expect(some.length).toBeGreaterThanOrEqual(5);
    expect(r.empty.queries[0]?.total).toBe(0);
    expect(r.big.afterQueries.rss).toBeGreaterThan(0);
    expect(r.report.verified.every((v) => v.startsWith('ok'))).toBe(true);
  }, 180_000);

  it('roles: the checked events.list answers the same pages as the unchecked one, for each role', async () => {
    const r = await runRoles({ cacheDir: cache.dir, events: 1500, templates: 600, rounds: 2, caseBudgetMs: 0 });
    expect(r.report.rows).toHaveLength(5);
    expect(r.report.checks).toHaveLength(3);
    expect(r.report.verified.every((v) => v.startsWith('ok'))).toBe(true);
    // The village's queue selects something real, and fewer than all.
    const village = /: ([\d,]+) events with the checks/.exec(r.report.verified.find((v) => v.includes('village')) ?? '')?.[1]?.replace(/,/g, '');
    expect(Number(village)).toBeGreaterThan(0);
    expect(Number(village)).toBeLessThan(1500);
  }, 180_000);
});
