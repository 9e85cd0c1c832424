// The hub on real servers, in the test command: the county-link-v1 conformance on a real
// PostgreSQL (tests/hub/conformance.ts, the suite the simulator and the PGlite hub pass
// in tests/hub), then the small hub drill: two hub processes on PostgreSQL and Redis, three
// real town data services, one hub killed and restarted while a town of it moves to the
// other process, Redis restarted, while commands, events and positions flow (the full one:
// npm run drill:hub). One PostgreSQL server for both (each its own database): a server's
// start costs seconds. About 40 s on a quiet 2-core machine; the limits are for a loaded one.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runDrill } from './drill';
import { FULL_HUB, describeConformance } from '../hub/conformance';
import { havePostgres, haveRedis, startPostgres, type PostgresServer } from '../hub/servers';
import { hubUnderTest, startHubRun } from '../hub/under-test';

const missing = 'PostgreSQL 15 and redis-server are needed: the test command installs them (scripts/lib/setup.mjs)';
let pg: PostgresServer | null = null;
beforeAll(async () => {
  if (havePostgres()) pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  await pg?.stop();
}, 30_000);

// The representative cases: the others' store side is the same SQL, shown on PGlite in tests/hub (GRIDDECK_FULL_HUB=1: all).
describeConformance(
  'hub on PostgreSQL',
  async () => {
    if (!pg) throw new Error(missing);
    return hubUnderTest(await startHubRun(await pg.createDatabase('conformance')));
  },
  FULL_HUB ? 'all' : 'representative',
);

it('keeps every town equal to the hub, each command settled once, no cursor back, through a hub kill, a town moved off it and a Redis restart', async () => {
  if (!pg || !haveRedis()) throw new Error(missing);
  const lines: string[] = [];
  const result = await runDrill({ hubs: 2, towns: 3, gridsPerTown: 6, loadMs: 9_000, seed: 3, eventsPerHour: 600, pg, log: (l) => lines.push(l) });
  expect(result.failure, lines.join('\n')).toBeNull();
  expect(result.stats.commands).toBeGreaterThan(10);
  expect(result.stats.applied).toBeGreaterThan(0);
  expect(result.stats.positionsSeen).toBeGreaterThan(0);
}, 180_000);
