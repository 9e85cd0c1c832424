// The county simulator: the authoritative county side of county-link-v1 for the
// demo, the service tests and the chaos tests. A separate system that shares only
// core/ with the app (its rules, its demo data, its wire schemas).
//
//   const sim = await startCountySimulator({ port: 0, seed: 1, dbFile, activity: false });
//   sim.url; sim.towns; sim.tick(60_000); sim.chaos.dropLinks(); await sim.close();
import type { Actor } from '../../core/model';
import type { TownSnapshot } from '../../core/sync/protocol';
import { County, type Scale } from './county';
import { CountyStore } from './store';
import { LinkServer, type ChaosControl, type LinkBackend, type LinkServerOptions } from './server';
import { MAX_BATCH_ITEMS, readBatch } from './batches';
import { streamOf, type DutyMode } from './patrol';
import { handleControl } from './control';
import type { NewEventOverrides } from './activity';
import { DEFAULT_DEMO_LOAD, DEMO_LOADS } from '../demo/volume';

export type { ChaosControl } from './server';
export type { NewEventOverrides } from './activity';

export interface ActivityOptions {
  /**
   * Events arriving per hour and per town, on average over the day (the daily rhythm shapes it).
   * Default 1, a town's plausible volume (county/demo/volume.ts; 12 is the 'heavy' load).
   */
  eventsPerHour?: number;
  /** Simulated ms between two position fixes of a worker, and between two activity steps. Default 5000. */
  positionsEveryMs?: number;
  /** Simulated time runs this many times faster than the clock. Default 1. */
  speedup?: number;
  /** The virtual dispatcher accepts, dispatches and closes what the town left alone this long; null: never. Default 10 min. */
  autoDispatchAfterMs?: number | null;
  /** project: no timer; only tick() moves the county (tests that want these rates by hand). */
  manual?: boolean;
  /**
   * project: on a new database, the county starts this long before the clock and runs its
   * activity up to now before it listens, so a demo opens on days of events in every stage
   * (the wall's 7-day trend, overdue and closed ones). Default 0.
   */
  historyMs?: number;
}

export interface SimulatorOptions {
  /** 0 = any free port; listens on 127.0.0.1 only. */
  port: number;
  seed: number;
  /** Its own SQLite file; state survives a restart of the simulator. */
  dbFile: string;
  /** When set, a handshake with another token is refused 'unauthorized'; otherwise any token is accepted. */
  token?: string;
  /** When set, the HTTP control endpoint requires it (`Authorization: Bearer <token>`; control.ts). */
  controlToken?: string;
  /** Default: the demo town only (generateTown({seed})); else generateCounty. */
  scale?: Scale;
  /** Default Date.now; tests pass a manual clock. */
  clock?: () => number;
  /** false: no spontaneous activity (tests drive it with tick()); default: a lively demo. */
  activity?: false | ActivityOptions;
  /** Duty hours of the grid workers: 'day' (08:00-18:00 Shanghai, the default) or 'always'. */
  duty?: DutyMode;
  /** project: serve sensors and cameras (`device` entities) with heartbeats and alarms. Default false (the demo and `npm run county` turn it on). */
  devices?: boolean;
  /** project: some grids' own workers are off patrol each day (county.ts ABSENT_ONE_IN). Default false (the demo turns it on). */
  absence?: boolean;
  /** project: seed a new database's towns with the synthetic register (issue 17). Default false. */
  registers?: boolean;
  /** Max items of a connection's first `changes` batch, and of a batch of live changes. Default 500. */
  batchSize?: number;
  /**
   * project: max items of a batch while the town catches up: each batch that follows one
   * with `more` may be twice as large, up to this. Default (and at most) 5,000, what a town
   * accepts in one batch; never below batchSize.
   */
  catchUpBatchSize?: number;
  /** Resend the in-flight batch on the same connection after this. Default 10 s. */
  ackTimeoutMs?: number;
  log?: (line: string) => void;
}

export type ApplyResult = { ok: true } | { ok: false; code: string; reason: string };

export interface AppliedCommand {
  n: number;
  name: string;
  status: 'applied' | 'rejected';
  code?: string;
}

export interface CountySimulator {
  /** http://127.0.0.1:PORT */
  url: string;
  /** 9-digit codes served. */
  towns: string[];
  close(): Promise<void>;
  /** Advance activity by one step: to max(now + ms, the clock). ms defaults to positionsEveryMs. */
  tick(ms?: number): void;
  /** Drive the county by hand, as the departments, workers and county do. */
  apply(town: string, name: string, args: unknown, actor: Actor): ApplyResult;
  /** A new event as if a grid worker reported it (source patrol unless overridden); returns its id. */
  createEvent(town: string, overrides?: NewEventOverrides): string;
  /** The county's state of a town, each list sorted by id (grids and categories by code, which is their id). */
  snapshot(town: string): TownSnapshot;
  /** Every settled command of a replica, in n order. */
  applied(replica: string): AppliedCommand[];
  chaos: ChaosControl;
  /** project: the county's clock (simulated time, epoch ms). */
  now(): number;
  /** project: current connections on /town. */
  connections(): number;
  /** project: the head of the change log as a cursor; a town that has caught up holds exactly this cursor. */
  headCursor(): string;
  /**
   * project: nothing is under way between the county and the town: it is connected, each of
   * its connections has acknowledged everything up to the head, no reset, pause, held command
   * or chaos delay is pending (tests that wait for a town to settle).
   */
  idle(town: string): boolean;
  /** project: change the grid workers' duty hours now (a demo or test that must see patrols at night). */
  setDuty(mode: DutyMode): void;
}

const DEFAULT_ACTIVITY = { eventsPerHour: DEMO_LOADS[DEFAULT_DEMO_LOAD].eventsPerHour as number, positionsEveryMs: 5000, speedup: 1, autoDispatchAfterMs: 10 * 60_000 as number | null };
const HISTORY_STEP_MS = 10 * 60_000;
/** In automatic mode, a gap longer than this (the simulator was stopped) is skipped rather than replayed. */
const MAX_CATCH_UP_MS = 10 * 60_000;

type Activity = typeof DEFAULT_ACTIVITY & ActivityOptions & { manual: boolean };

/** The simulator's parts, as startCountySimulator wires them together. */
interface Parts {
  log: (line: string) => void;
  speedup: number;
  stepMs: number;
  store: CountyStore;
  county: County;
  server: LinkServer;
  /** Simulated time as the clock maps it, and the county's now (never behind its own time). */
  mapped: () => number;
  now: () => number;
}

export async function startCountySimulator(opts: SimulatorOptions): Promise<CountySimulator> {
  const log = opts.log ?? (() => {});
  const clock = opts.clock ?? Date.now;
  const act: Activity = opts.activity === false ? { ...DEFAULT_ACTIVITY, manual: true } : { ...DEFAULT_ACTIVITY, manual: false, ...(opts.activity ?? {}) };
  const automatic = !act.manual;
  const store = new CountyStore(opts.dbFile);
  const county = closingStoreOnError(store, () => openCounty(opts, store, act, automatic, clock, log));
  const speedup = act.speedup > 0 ? act.speedup : 1;
  const { mapped, now } = simulatedTime(county, clock, automatic, speedup);
  const server = createLinkServer(opts, county, now, log, (req) => handleControl({ sim, county, server, store }, req));
  const parts: Parts = { log, speedup, stepMs: Math.max(1, act.positionsEveryMs), store, county, server, mapped, now };
  const activity = { stop: (): void => {} };
  const sim = simulatorHandle(parts, () => activity.stop());
  try {
    sim.url = await server.listen();
  } catch (error) {
    store.close();
    throw error;
  }
  if (automatic) activity.stop = startActivity(parts);
  log(`county simulator on ${sim.url} serving towns: ${sim.towns.join(',')}`);
  return sim;
}

function closingStoreOnError<T>(store: CountyStore, open: () => T): T {
  try {
    return open();
  } catch (error) {
    store.close();
    throw error;
  }
}

/** The county on its store; on a new database in automatic mode, with historyMs of activity run up to now. */
function openCounty(opts: SimulatorOptions, store: CountyStore, act: Activity, automatic: boolean, clock: () => number, log: (line: string) => void): County {
  const history = automatic && !store.seeded ? Math.max(0, act.historyMs ?? 0) : 0;
  const county = new County(
    store,
    { seed: opts.seed, scale: opts.scale ?? null, eventsPerHour: act.eventsPerHour, autoDispatchAfterMs: act.autoDispatchAfterMs, duty: opts.duty ?? 'day', devices: opts.devices ?? false, absence: opts.absence ?? false, registers: opts.registers ?? false, log },
    clock() - history,
  );
  if (history > 0) {
    const started = Date.now();
    const end = clock();
    // Steps of ten minutes: arrivals and planned steps keep their own times within a step.
    for (let t = county.simTime + HISTORY_STEP_MS; t < end; t += HISTORY_STEP_MS) county.step(t);
    county.step(end);
    log(`county simulator: ran ${Math.round(history / 3_600_000)} h of history in ${Date.now() - started} ms`);
  }
  return county;
}

/**
 * Simulated time follows the clock (times speedup) from an anchor; it never runs
 * backwards, and a restart in automatic mode catches up with the clock.
 */
function simulatedTime(county: County, clock: () => number, automatic: boolean, speedup: number): { mapped: () => number; now: () => number } {
  const anchorReal = clock();
  const anchorSim = automatic ? Math.max(county.simTime, anchorReal) : county.simTime;
  const mapped = (): number => anchorSim + (clock() - anchorReal) * speedup;
  const now = (): number => Math.max(county.simTime, mapped());
  return { mapped, now };
}

function createLinkServer(opts: SimulatorOptions, county: County, now: () => number, log: (line: string) => void, control: LinkServerOptions['control']): LinkServer {
  const batchSize = Math.max(1, opts.batchSize ?? 500);
  return new LinkServer({
    backend: simulatorBackend(county),
    port: opts.port,
    ...(opts.token !== undefined ? { token: opts.token } : {}),
    ...(opts.controlToken !== undefined ? { controlToken: opts.controlToken } : {}),
    batchSize,
    catchUpBatchSize: Math.max(batchSize, Math.min(MAX_BATCH_ITEMS, opts.catchUpBatchSize ?? MAX_BATCH_ITEMS)),
    ackTimeoutMs: Math.max(10, opts.ackTimeoutMs ?? 10_000),
    now,
    chaosRng: streamOf(opts.seed, 'chaos'),
    log,
    control,
  });
}

/** The simulator's county behind the link server: its SQLite store answers at once. */
export function simulatorBackend(county: County): LinkBackend {
  const store = county.store;
  return {
    admit: (auth) => (county.hasTown(auth.town) ? null : { code: 'unknown-town', message: `town ${auth.town} is not served here` }),
    parseCursor: (_town, cursor) => store.parseCursor(cursor),
    readBatch: (r) => readBatch(store, r),
    lastNFor: (replica, town, fromSeq, toSeq) => store.lastNFor(replica, town, fromSeq, toSeq),
    mutate: (town, replica, raw, now) => county.mutate(town, replica, raw, now),
    head: () => store.head(),
    onChange: (listener) => {
      county.onChange(listener);
    },
  };
}

/** Step the county to `end` and send every connected town its workers' positions. */
function stepTo({ county, server }: Parts, end: number): void {
  county.step(end);
  for (const town of server.connectedTowns()) server.sendPositions(town, end, county.fixes(town, end));
}

/** The public handle; url is filled in once the server listens. */
function simulatorHandle(parts: Parts, stopActivity: () => void): CountySimulator {
  const { county, server, store, now } = parts;
  const checkTown = (town: string): void => {
    if (!county.hasTown(town)) throw new RangeError(`unknown town ${town}`);
  };
  return {
    url: '',
    towns: county.townCodes,
    close: async () => {
      stopActivity();
      await server.close();
      store.close();
    },
    tick: (ms: number = parts.stepMs) => stepTo(parts, Math.max(county.simTime + Math.max(0, ms), parts.mapped())),
    apply: (town, name, args, actor) => county.apply(town, name, args, actor, now()),
    createEvent: (town, overrides = {}) => {
      checkTown(town);
      return county.createEvent(town, { source: 'patrol', selfHandled: false, ...overrides }, now());
    },
    snapshot: (town) => {
      checkTown(town);
      return county.snapshot(town);
    },
    applied: (replica) => store.settledOf(replica).map(({ n, name, status, code }) => (code === undefined ? { n, name, status } : { n, name, status, code })),
    chaos: {
      dropLinks: () => server.dropLinks(),
      pause: () => server.pause(),
      resume: () => server.resume(),
      set: (o) => server.set(o),
      refuseNext: (code) => server.refuseNext(code),
      resetNext: () => server.resetNext(),
    },
    now,
    connections: () => server.connections,
    headCursor: () => store.cursor(store.head()),
    idle: (town) => server.idle(town),
    setDuty: (mode) => county.setDuty(mode, now()),
  };
}

/** The activity timer: every step, the county follows the clock. Returns what stops it. */
function startActivity(parts: Parts): () => void {
  const { county, speedup, stepMs, log } = parts;
  const intervalMs = Math.max(20, stepMs / speedup);
  const maxGap = Math.max(MAX_CATCH_UP_MS, 20 * intervalMs * speedup);
  const timer = setInterval(() => {
    try {
      const end = parts.mapped();
      // After a long stop, skip the gap instead of replaying hours in one step.
      if (end - county.simTime > maxGap) county.skipTo(end - stepMs);
      stepTo(parts, end);
    } catch (error) {
      log(`county simulator: activity step failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }, intervalMs);
  return () => clearInterval(timer);
}
