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
import { resolveCountyConnection } from './link/county-connection';
import { acquireInstanceLock } from './instance-lock';
import { createServiceLogger, type ServiceLogger } from './ops/log';
import { Maintenance, prepareReplicaFile } from './ops/maintenance';
import { DISK_ROOM_BYTES, freeBytes } from './ops/disk';
import type { RecoveryReport } from './ops/recovery';
import { Replica } from './replica/replica';
import { createReplicaService, type ReplicaService, type ReplicaServiceOptions } from './replica-service';
import type { DemoAccount } from '../../core/api/people';
import { People } from './people/people';
import { defaultSchemeFile } from './assessment/handlers';
import { fillDemoPatrol } from './assessment/demo-patrol';
import { DEMO_ACCOUNTS_FILE, ensureDemoAccounts, type DemoScopes } from './people/demo-accounts';

export interface DataServiceOptions {
  /** The replica's SQLite file (its folder is created when missing). */
  db: string;
  /** The town's 9-digit code; defaults to the embedded simulator's first town. Required with `county`. */
  town?: string;
  /** The county's URL; absent: the embedded simulator. */
  county?: string;
  countyToken?: string;
  /** A file holding the county token (owner-only; county-connection.ts). Wins over countyToken. */
  countyTokenFile?: string;
  /** A PEM file of the private CA the county's certificate is checked against. */
  countyCa?: string;
  /** Allows plain http:// to a county that is not on loopback (a drill), with a warning. */
  insecureCounty?: boolean;
  mode?: 'electron' | 'web';
  version?: string;
  /** Lines go here instead of the log file (tests); the default is the rotating file in logDir (ops/log.ts). */
  logger?: LinkLogger;
  /** The folder of the log files; default `logs/` beside the replica. */
  logDir?: string;
  /** The folder of the replica's backups; default `backups/` beside the replica. */
  backupDir?: string;
  /** Backups kept (default 7). */
  backupKeep?: number;
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
    /**
     * How busy the demo town is: 'town' (a town's plausible volume, the default) or 'heavy'
     * (a city's, for benchmarks and drills); unset: GRIDDECK_DEMO_LOAD, else 'town'
     * (county/demo/volume.ts, docs/domain.md "The demo's volume").
     */
    load?: 'town' | 'heavy';
  };
  /** Link tuning (timeouts, backoff), for tests. */
  link?: Partial<Omit<CountyLinkOptions, 'url' | 'token' | 'replica' | 'logger'>>;
  actor?: ReplicaServiceOptions['actor'];
  clock?: () => number;
  /** The dispatch rules' settings file (features.ts FeatureOptions); a benchmark passes one without auto rules so the town sends no command. */
  dispatchRules?: ReplicaServiceOptions['dispatchRules'];
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
  /** The current log file (null when the caller passed its own logger). */
  logFile: string | null;
  /** What the start did about a damaged replica file (ops/recovery.ts), or null. */
  recovery: RecoveryReport | null;
  /** The nightly backups and the weekly integrity check (null for an in-memory replica). */
  maintenance: Maintenance | null;
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
    load: sim?.load ?? county.parseDemoLoad(process.env.GRIDDECK_DEMO_LOAD ?? 'town', 'GRIDDECK_DEMO_LOAD'),
  });
}

export async function openDataService(options: DataServiceOptions): Promise<DataService> {
  const file = resolve(options.db);
  mkdirSync(dirname(file), { recursive: true });
  const logs = options.logger || options.db === ':memory:' ? null : createServiceLogger({ dir: options.logDir ?? join(dirname(file), 'logs') });
  const logger = options.logger ?? logs?.link ?? stderrLogger;
  // Before anything opens the replica or the demo county beside it.
  const unlock = file === ':memory:' ? () => undefined : acquireInstanceLock(file);
  const release = (): void => {
    unlock();
    logs?.close();
  };
  try {
    return await openLocked(options, file, { logger, logs }, release);
  } catch (error) {
    // To the file only: the entry (cli.ts, main.ts, the web shell) says it on stderr in its own one line.
    logs?.pino.child({ component: 'ops' }).error(`the data service could not start: ${error instanceof Error ? error.message : String(error)}`);
    release();
    throw error;
  }
}

interface Logging {
  logger: LinkLogger;
  logs: ServiceLogger | null;
}

interface CountySide {
  simulator: EmbeddedCounty | null;
  countyUrl: string;
  token: string;
  ca: string | undefined;
  town: string;
}

/** The county to link to: the one named (its connection checked) or the embedded demo county, started here. */
async function countySide(options: DataServiceOptions, { logger, logs }: Logging): Promise<CountySide> {
  if (options.county) {
    const { token, ca } = countyConnection(options.county, options, logger);
    logs?.addSecret(token);
    if (!options.town) throw new Error('--town is required with --county (the town\'s 9-digit code)');
    return { simulator: null, countyUrl: options.county, token, ca, town: options.town };
  }
  const token = randomUUID();
  const simulator = await startEmbeddedCounty(options, token);
  const town = options.town ?? simulator.towns[0];
  if (!town) {
    await simulator.close();
    throw new Error('the embedded county serves no town');
  }
  return { simulator, countyUrl: simulator.url, token, ca: undefined, town };
}

async function openLocked(options: DataServiceOptions, file: string, { logger, logs }: Logging, unlock: () => void): Promise<DataService> {
  const { simulator, countyUrl, token, ca, town } = await countySide(options, { logger, logs });
  const { replica, recovery } = await openReplica(options, file, town, logs?.ops ?? logger).catch(async (error: unknown) => {
    await simulator?.close();
    throw error;
  });
  const maintenance = startMaintenance(options, file, replica, logs?.ops ?? logger);
  // WebSocket only: its maxPayload bounds a county's message; HTTP long-polling has no such cap.
  const link = new CountyLink({ url: countyUrl, token, replica, logger, transports: ['websocket'], ...(ca ? { ca } : {}), diskProbe: () => freeBytes(dirname(file)) >= DISK_ROOM_BYTES, ...(options.clock ? { now: options.clock } : {}), ...options.link });
  const people = new People({ store: replica.store(), ...(options.clock ? { clock: options.clock } : {}), knownDepartment: (id) => knownDepartment(replica, id) });
  let demoAccounts: readonly DemoAccount[] = [];
  const service = createReplicaService({
    replica,
    link,
    people,
    assessment: { store: replica.store(), schemeFile: defaultSchemeFile() },
    meetingDb: replica.store(),
    mode: options.mode ?? 'web',
    demo: simulator !== null,
    ...(simulator ? { demoCounty: simulator.url, demoAccounts: () => demoAccounts } : {}),
    ...(options.version ? { version: options.version } : {}),
    ...(options.actor ? { actor: options.actor } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.dispatchRules !== undefined ? { dispatchRules: options.dispatchRules } : {}),
    ops: { logFile: logs?.file ?? null, backupDir: maintenance ? backupDirOf(options, file) : null, maintenance, recovery },
    log: logs?.service ?? { error: (message, detail) => logger.error(`${message} ${detail instanceof Error ? detail.stack ?? detail.message : String(detail ?? '')}`) },
  });
  link.start();
  const initialSync = (timeoutMs: number): Promise<boolean> => waitForSync(replica, link, timeoutMs);

  let closing: Promise<void> | null = null;
  let demoPatrol: Promise<unknown> = Promise.resolve();
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await demoPatrol;
      await service.close();
      link.stop();
      maintenance?.stop();
      await maintenance?.idle();
      await replica.close();
      await simulator?.close();
      unlock();
    })());
  if (simulator) {
    try {
      // The demo's scoped accounts need the town's departments and villages: a first start waits for them.
      await initialSync(DEMO_SYNC_WAIT_MS);
      demoAccounts = await ensureDemoAccounts(people, join(dirname(file), DEMO_ACCOUNTS_FILE), demoScopes(replica));
      // The past weeks' patrol days from the simulator's patrol model (issue 11), in the background.
      demoPatrol = startDemoPatrol(options, replica, logger, () => closing !== null);
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
    logFile: logs?.file ?? null,
    recovery,
    maintenance,
    simulator,
    initialSync,
    close,
  };
}

/** The demo's past patrol days from the simulator's patrol model (issue 11), in the background; never rejects. */
function startDemoPatrol(options: DataServiceOptions, replica: Replica, logger: LinkLogger, stopped: () => boolean): Promise<unknown> {
  return (async () => {
    const county = await import('../../county/embedded');
    const sim = options.simulator;
    const model = await county.demoPatrolModel({ ...(sim?.seed !== undefined ? { seed: sim.seed } : {}), duty: sim?.duty ?? 'always', workers: replica.workers({}), grids: replica.grids(3) });
    await fillDemoPatrol({ store: replica.store(), workers: () => replica.workers({}), model, now: (options.clock ?? Date.now)(), stopped });
  })().catch((error: unknown) => logger.warn(`the demo's past patrol days could not be made: ${error instanceof Error ? error.message : String(error)}`));
}

const backupDirOf = (options: DataServiceOptions, file: string): string => options.backupDir ?? join(dirname(file), 'backups');

/** The nightly backups and the weekly integrity check of the open replica. */
function startMaintenance(options: DataServiceOptions, file: string, replica: Replica, log: LinkLogger): Maintenance | null {
  if (file === ':memory:') return null;
  const maintenance = new Maintenance({ db: replica.store().db, backupDir: backupDirOf(options, file), log, ...(options.backupKeep ? { keep: options.backupKeep } : {}) });
  maintenance.start();
  return maintenance;
}

/**
 * The replica, opened after its file was checked: a damaged file is recovered (moved
 * aside, the newest good backup restored, the unsent commands salvaged) and a file about
 * to be migrated is backed up first (ops/maintenance.ts).
 */
async function openReplica(options: DataServiceOptions, file: string, town: string, log: LinkLogger): Promise<{ replica: Replica; recovery: RecoveryReport | null }> {
  const recovery =
    file === ':memory:' ? null : await prepareReplicaFile(file, { backupDir: backupDirOf(options, file), log, ...(options.backupKeep ? { keep: options.backupKeep } : {}), ...(options.clock ? { now: options.clock } : {}) });
  // The link logs what it drops; the replica's info lines (ignored unknown types) would repeat them.
  const replica = await Replica.open({ file, town, ...(options.clock ? { now: options.clock } : {}), log: { info: () => undefined, warn: log.warn } });
  return { replica, recovery };
}

/** https:// to a remote county, its CA and the token file (county-connection.ts): refused here, before anything opens. */
function countyConnection(url: string, options: DataServiceOptions, logger: LinkLogger): { token: string; ca: string | undefined } {
  const connection = resolveCountyConnection({
    url,
    token: options.countyToken ?? '',
    ...(options.countyTokenFile !== undefined ? { tokenFile: options.countyTokenFile } : {}),
    ...(options.countyCa !== undefined ? { caFile: options.countyCa } : {}),
    ...(options.insecureCounty ? { insecure: true } : {}),
  });
  if (connection.warning) logger.warn(connection.warning);
  return { token: connection.token, ca: connection.ca };
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
