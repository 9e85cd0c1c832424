// The same county-link-v1 conformance for the simulator and for the hub, on PGlite (in
// this process) and on a real PostgreSQL 15 server started for the test.
import { afterAll, beforeAll } from 'vitest';
import { startCountySimulator } from '../../county/simulator/index';
import { tempDir } from '../../county/simulator/test-client';
import { startHub, type Hub } from '../../county/hub/index';
import { hubCall } from '../../county/hub/world';
import { T0, TOKEN, describeConformance, type CountyUnderTest } from './conformance';
import { havePostgres, startPostgres, type PostgresServer } from './servers';

describeConformance('simulator', async () => {
  const tmp = tempDir();
  const sim = await startCountySimulator({ port: 0, seed: 7, dbFile: tmp.file('c.sqlite'), token: TOKEN, clock: () => T0, activity: false });
  return {
    url: sim.url,
    towns: sim.towns,
    snapshot: async (town) => sim.snapshot(town),
    applied: async (replica) => sim.applied(replica),
    createEvent: async (town) => sim.createEvent(town),
    apply: async (town, name, args, actor) => sim.apply(town, name, args, actor),
    positions: async () => sim.tick(5000),
    close: async () => {
      await sim.close();
      tmp.remove();
    },
  };
});

/** The hub with the demo world (no timer: the suite makes its events), clock fixed at T0. */
async function hubUnderTest(database: string | null): Promise<CountyUnderTest> {
  const hub: Hub = await startHub({ port: 0, database, redis: null, tokens: { all: TOKEN, byTown: new Map() }, world: 'demo', worldEveryMs: 0, seed: 7, clock: () => T0 });
  return {
    url: hub.url,
    towns: hub.towns,
    snapshot: (town) => hub.store.snapshot(town),
    applied: async (replica) => (await hub.store.settledOf(replica)).map(({ n, name, status, code }) => (code === undefined ? { n, name, status } : { n, name, status, code })),
    createEvent: (town) => hub.world!.report(town, {}, T0),
    apply: (town, name, args, actor) => hub.store.apply(town, name, args, actor, T0),
    positions: async (town) => {
      const workers = (await hub.store.snapshot(town)).workers.slice(0, 3);
      await hubCall(hub.url, TOKEN, 'POST', `/api/towns/${town}/positions`, { at: T0, items: workers.map((w, i) => [w.id, 112.9 + i / 1000, 28.6, T0 - 1000, 1.2, 90, 8]) });
    },
    close: () => hub.close(),
  };
}

describeConformance('hub on PGlite', () => hubUnderTest(null));

let pg: PostgresServer | null = null;
beforeAll(async () => {
  if (havePostgres()) pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  await pg?.stop();
}, 30_000);

describeConformance('hub on PostgreSQL', () => {
  if (!pg) throw new Error('PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin): run the test command, which installs it');
  return hubUnderTest(pg.url);
});
