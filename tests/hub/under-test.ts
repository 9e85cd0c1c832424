// The county servers under the conformance suite, as conformance.ts drives them: the
// simulator (SQLite) and the hub (PGlite or PostgreSQL) with the demo world (no timer:
// the suite makes its events and moves the clock), each on a clock that starts at T0.
import { startCountySimulator } from '../../county/simulator/index';
import { tempDir } from '../../county/simulator/test-client';
import { startHub, type Hub } from '../../county/hub/index';
import { hubCall } from '../../county/hub/world';
import { T0, TOKEN, type CountyUnderTest } from './conformance';

export async function simulatorUnderTest(): Promise<CountyUnderTest> {
  const tmp = tempDir();
  let now = T0;
  const sim = await startCountySimulator({ port: 0, seed: 7, dbFile: tmp.file('c.sqlite'), token: TOKEN, clock: () => now, activity: false });
  return {
    url: sim.url,
    towns: sim.towns,
    snapshot: async (town) => sim.snapshot(town),
    applied: async (replica) => sim.applied(replica),
    createEvent: async (town) => sim.createEvent(town),
    apply: async (town, name, args, actor) => sim.apply(town, name, args, actor),
    positions: async () => sim.tick(5000),
    advance: async (ms) => {
      now += ms;
      sim.tick(ms);
      return now;
    },
    close: async () => {
      await sim.close();
      tmp.remove();
    },
  };
}

/** A hub for the suite, and its clock (tests that go on with the same hub move it too). */
export interface HubRun {
  hub: Hub;
  clock: { now: number };
}

export async function startHubRun(database: string | null): Promise<HubRun> {
  const clock = { now: T0 };
  const hub = await startHub({ port: 0, database, redis: null, tokens: { all: TOKEN, byTown: new Map() }, world: 'demo', worldEveryMs: 0, seed: 7, clock: () => clock.now });
  return { hub, clock };
}

/** The suite's view of a hub; `close` closes it unless `keep` (the caller closes it later). */
export function hubUnderTest({ hub, clock }: HubRun, keep = false): CountyUnderTest {
  return {
    url: hub.url,
    towns: hub.towns,
    snapshot: (town) => hub.store.snapshot(town),
    applied: async (replica) => (await hub.store.settledOf(replica)).map(({ n, name, status, code }) => (code === undefined ? { n, name, status } : { n, name, status, code })),
    createEvent: (town) => hub.world!.report(town, {}, clock.now),
    apply: (town, name, args, actor) => hub.store.apply(town, name, args, actor, clock.now),
    positions: async (town) => {
      const workers = (await hub.store.snapshot(town)).workers.slice(0, 3);
      await hubCall(hub.url, TOKEN, 'POST', `/api/towns/${town}/positions`, { at: clock.now, items: workers.map((w, i) => [w.id, 112.9 + i / 1000, 28.6, clock.now - 1000, 1.2, 90, 8]) });
    },
    advance: async (ms) => {
      clock.now += ms;
      await hub.world!.step(clock.now);
      return clock.now;
    },
    close: () => (keep ? Promise.resolve() : hub.close()),
  };
}
