// The data service put together: the replica file, the county link over it, and the
// app API answered from both. Every entry uses this one function: the standalone
// CLI (cli.ts), the utilityProcess of the Electron app (main.ts) and the web shell.
//
// With no county URL it starts the bundled county simulator in this same process
// (the demo; its state in county.sqlite beside the replica) and connects to it over
// loopback Socket.IO like to any county, so the demo exercises the real link, and
// makes sure the demo's accounts exist (one per role, people/demo-accounts.ts).
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CountyLinkOptions, LinkLogger } from './link/county-link';
import { CountyLink } from './link/county-link';
import { acquireInstanceLock } from './instance-lock';
import { Replica } from './replica/replica';
import { createReplicaService, type ReplicaService, type ReplicaServiceOptions } from './replica-service';
import type { DemoAccount } from '../../core/api/people';
import { People } from './people/people';
import { DEMO_ACCOUNTS_FILE, ensureDemoAccounts, type DemoScopes } from './people/demo-accounts';

export interface DataServiceOptions {
  /** The replica's SQLite file (its folder is created when missing). */
  db: string;
  /** The town's 9-digit code; defaults to the embedded simulator's first town. Required with `county`. */
  town?: string;
  /** The county's URL; absent: the embedded simulator. */
  county?: string;
  countyToken?: string;
  mode?: 'electron' | 'web';
  version?: string;
  logger?: LinkLogger;
  /** The embedded simulator's settings (demo only). */
  simulator?: {
    seed?: number;
    dbFile?: string;
    activity?: boolean;
    port?: number;
    /**
     * The grid workers' duty hours. Default 'always': the demo is shown at any hour, so its
     * workers patrol round the clock; 'day' is the seeds' 08:00-18:00 (as `npm run county`).
     */
    duty?: 'day' | 'always';
    /** How much simulated past a new demo county starts with. Default 7 days. */
    historyMs?: number;
  };
  /** Link tuning (timeouts, backoff), for tests. */
  link?: Partial<Omit<CountyLinkOptions, 'url' | 'token' | 'replica' | 'logger'>>;
  actor?: ReplicaServiceOptions['actor'];
  clock?: () => number;
}

export interface EmbeddedCounty {
  url: string;
  towns: string[];
  close(): Promise<void> | void;
}

export interface DataService {
  service: ReplicaService;
  replica: Replica;
  /** Accounts, sessions, devices, settings and the audit trail, in the replica's file. */
  people: People;
  /** The demo's accounts (one per role) and their passwords; empty outside the demo. */
  demoAccounts: readonly DemoAccount[];
  link: CountyLink;
  countyUrl: string;
  town: string;
  /** Set when the county is the bundled simulator running in this process. */
  simulator: EmbeddedCounty | null;
  /**
   * Resolves true once the replica holds a synced state: at once when it synced
   * before (it serves that while catching up), else after the first batch with
   * `more: false`; false when that takes longer than timeoutMs (offline start).
   */
  initialSync(timeoutMs: number): Promise<boolean>;
  /** Stops the link, closes the replica (and the embedded simulator). Idempotent. */
  close(): Promise<void>;
}

export const stderrLogger: LinkLogger = {
  info: (m) => console.error(m),
  warn: (m) => console.error(m),
  error: (m) => console.error(m),
};

const DEMO_HISTORY_MS = 7 * 86_400_000;
/** The demo's first start waits this long for the town (its departments and villages) before it makes the demo accounts. */
const DEMO_SYNC_WAIT_MS = 30_000;
/** The department the demo's events are most often dispatched to (and the end-to-end tests use). */
const DEMO_DEPARTMENT = 'dept-rj';

/** The bundled simulator, loaded only for the demo: a real county needs none of its code. */
async function startEmbeddedCounty(options: DataServiceOptions, token: string): Promise<EmbeddedCounty> {
  const county = await import('../../county/embedded');
  const sim = options.simulator;
  return county.startEmbeddedCounty({
    ...(sim?.port !== undefined ? { port: sim.port } : {}),
    ...(sim?.seed !== undefined ? { seed: sim.seed } : {}),
    dbFile: sim?.dbFile ?? join(dirname(resolve(options.db)), 'county.sqlite'),
    token,
    // A first start opens on a week of the town's events (the wall's 7-day trend, overdue and closed ones).
    activity: sim?.activity === false ? false : { historyMs: sim?.historyMs ?? DEMO_HISTORY_MS },
    duty: sim?.duty ?? 'always',
  });
}

export async function openDataService(options: DataServiceOptions): Promise<DataService> {
  const logger = options.logger ?? stderrLogger;
  const file = resolve(options.db);
  mkdirSync(dirname(file), { recursive: true });
  // Before anything opens the replica or the demo county beside it.
  const unlock = file === ':memory:' ? () => undefined : acquireInstanceLock(file);
  try {
    return await openLocked(options, file, logger, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

async function openLocked(options: DataServiceOptions, file: string, logger: LinkLogger, unlock: () => void): Promise<DataService> {
  let simulator: EmbeddedCounty | null = null;
  let countyUrl = options.county;
  let token = options.countyToken ?? '';
  let town = options.town;
  if (!countyUrl) {
    token = randomUUID();
    simulator = await startEmbeddedCounty(options, token);
    countyUrl = simulator.url;
    town ??= simulator.towns[0];
  }
  if (!town) {
    await simulator?.close();
    throw new Error('--town is required with --county (the town\'s 9-digit code)');
  }

  let replica: Replica;
  try {
    // The link logs what it drops; the replica's info lines (ignored unknown types) would repeat them.
    replica = await Replica.open({ file, town, ...(options.clock ? { now: options.clock } : {}), log: { info: () => undefined, warn: logger.warn } });
  } catch (error) {
    await simulator?.close();
    throw error;
  }
  const link = new CountyLink({ url: countyUrl, token, replica, logger, ...(options.clock ? { now: options.clock } : {}), ...options.link });
  const people = new People({ store: replica.store(), ...(options.clock ? { clock: options.clock } : {}), knownDepartment: (id) => knownDepartment(replica, id) });
  let demoAccounts: readonly DemoAccount[] = [];
  const service = createReplicaService({
    replica,
    link,
    people,
    meetingDb: replica.store(),
    mode: options.mode ?? 'web',
    demo: simulator !== null,
    ...(simulator ? { demoCounty: simulator.url, demoAccounts: () => demoAccounts } : {}),
    ...(options.version ? { version: options.version } : {}),
    ...(options.actor ? { actor: options.actor } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    log: { error: (message, detail) => logger.error(`${message} ${detail instanceof Error ? detail.stack ?? detail.message : String(detail ?? '')}`) },
  });
  link.start();
  const initialSync = (timeoutMs: number): Promise<boolean> => waitForSync(replica, link, timeoutMs);

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await service.close();
      link.stop();
      await replica.close();
      await simulator?.close();
      unlock();
    })());
  if (simulator) {
    try {
      // The demo's scoped accounts need the town's departments and villages: a first start waits for them.
      await initialSync(DEMO_SYNC_WAIT_MS);
      demoAccounts = await ensureDemoAccounts(people, join(dirname(file), DEMO_ACCOUNTS_FILE), demoScopes(replica));
    } catch (error) {
      await close();
      throw error;
    }
  }
  return {
    service,
    replica,
    people,
    get demoAccounts() {
      return demoAccounts;
    },
    link,
    countyUrl,
    town,
    simulator,
    initialSync,
    close,
  };
}

/** Resolves true once the replica holds a synced state (see DataService.initialSync). */
function waitForSync(replica: Replica, link: CountyLink, timeoutMs: number): Promise<boolean> {
  return new Promise<boolean>((done) => {
    if (replica.state().cursor !== null) return done(true);
    const timer = setTimeout(() => {
      off();
      done(false);
    }, timeoutMs);
    timer.unref();
    const off = link.on('batch', (info) => {
      if (info.more) return;
      clearTimeout(timer);
      off();
      done(true);
    });
  });
}

/** undefined while the replica knows no department (not synced yet): the name cannot be judged. */
function knownDepartment(replica: Replica, id: string): boolean | undefined {
  const departments = replica.departments();
  return departments.length === 0 ? undefined : departments.some((d) => d.id === id);
}

/** The demo's department operator works for DEMO_DEPARTMENT (else the first department); the village operator for the first village. */
function demoScopes(replica: Replica): DemoScopes {
  const departments = replica.departments();
  const department = departments.find((d) => d.id === DEMO_DEPARTMENT) ?? departments[0];
  const village = replica.grids(2).map((g) => g.code).sort()[0];
  return { departmentId: department?.id, village };
}
