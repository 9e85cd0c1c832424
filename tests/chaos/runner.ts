// One seeded chaos run: the county simulator in this process, the data service in a
// child process (so it can be SIGKILLed mid-write), and a driver that, step by step,
// calls dispatcher commands through the app API, moves the county, and breaks things:
// drops the link, pauses and restarts the county, duplicates, delays and reorders its
// deliveries, loses acknowledgements, forces a reset, kills the service from outside
// (also right after a command call) and from inside one of its transactions. Then it
// heals everything, waits until the town has caught up, and checks the invariants
// (checks.ts). See /docs or notes/chaos-doc.md.
//
// The seed decides every step: the kind of each step comes from the run's main random
// stream and its parameters from a stream forked per step, so a replay runs the same
// sequence of steps; a step's target (which event) is looked up at run time, and how
// the timing falls (what arrived before a kill) may differ, which the invariants do
// not depend on.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { SOCKET } from '../../core/api/channels';
import type { ApiResponse, CommandReceipt } from '../../core/api/contract';
import { createRng, type Rng } from '../../county/demo/random';
import type { Actor, Category, Department, Grid, GridEvent, Worker } from '../../core/model';
import { isFinalStatus } from '../../core/model';
import { Replica } from '../../electron/service/replica/replica';
import { countyActor, departmentActor, uuidFrom, workerActor, SIM_DISPATCHER } from '../../county/simulator/activity';
import { randomPointIn, round6, shapeOf } from '../../county/simulator/geo';
import { startCountySimulator, type CountySimulator } from '../../county/simulator/index';
import {
  CursorWatch,
  checkOrder,
  checkReceipts,
  checkSettled,
  checkTokens,
  compareSnapshots,
  type OutboxRow,
  type Receipt,
  type SettledRow,
} from './checks';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = 'tests/chaos/service-process.ts';
/** Monday 09:00 in Shanghai: the grid workers are on duty for the whole run. */
const BASE = Date.parse('2026-11-30T09:00:00+08:00');
const COUNTY_CODE = '430624';

interface RawDatabase {
  prepare(sql: string): { get(...p: unknown[]): unknown; all(...p: unknown[]): unknown[] };
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): void;
}
const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3') as new (file: string, options?: { readonly?: boolean; fileMustExist?: boolean }) => RawDatabase;

// ---------------------------------------------------------------- options and result

export interface ChaosOptions {
  /** Steps of chaos before the run heals. Default 14. */
  steps?: number;
  /** One line per step and per notable thing, for a replay with --verbose. */
  log?: (line: string) => void;
  /** Keep the run's folder (replica, county database) even when it passes. */
  keep?: boolean;
  /** How long the healed run may take to converge. Default 90 s. */
  convergeMs?: number;
}

export interface ChaosStats {
  steps: Record<string, number>;
  receipts: number;
  refusedLocally: number;
  unanswered: number;
  rejectedByCounty: number;
  kills: number;
  selfKills: number;
  /** Self-kills by the kind of write they interrupted. */
  selfKillsIn: Record<string, number>;
  serviceStarts: number;
  countyRestarts: number;
  resets: number;
}

export interface ChaosResult {
  seed: number;
  ok: boolean;
  reason: string | null;
  ms: number;
  /** The steps as they ran, one line each. */
  trace: string[];
  stats: ChaosStats;
  /** The run's folder (removed after a passing run unless `keep`). */
  dir: string;
}

export function formatResult(r: ChaosResult): string {
  const s = r.stats;
  const what = `${(r.ms / 1000).toFixed(1)} s, ${Object.values(s.steps).reduce((a, b) => a + b, 0)} steps, ${s.receipts} commands (${s.rejectedByCounty} rejected by the county), ${s.kills} kills + ${s.selfKills} mid-write, ${s.countyRestarts} county restarts`;
  return r.ok ? `chaos seed=${r.seed} ok (${what})` : `chaos seed=${r.seed} FAIL ${r.reason} (${what}; files in ${r.dir})`;
}

// ---------------------------------------------------------------- steps

type StepKind =
  | 'create'
  | 'command'
  | 'burst'
  | 'kill'
  | 'kill-mid'
  | 'county-event'
  | 'county-act'
  | 'tick'
  | 'drop'
  | 'pause'
  | 'chaos'
  | 'county-restart'
  | 'reset'
  | 'conflict'
  | 'wait';

const STEP_WEIGHTS: readonly (readonly [StepKind, number])[] = [
  ['create', 3],
  ['command', 6],
  ['burst', 1.5],
  ['kill', 1.5],
  ['kill-mid', 1.5],
  ['county-event', 2],
  ['county-act', 3],
  ['tick', 2],
  ['drop', 1.5],
  ['pause', 1],
  ['chaos', 1.5],
  ['county-restart', 1],
  ['reset', 0.5],
  ['conflict', 2],
  ['wait', 1],
];

const NEEDS_SERVICE = new Set<StepKind>(['create', 'command', 'burst', 'kill-mid', 'conflict']);
const NEEDS_COUNTY = new Set<StepKind>(['county-event', 'county-act', 'tick', 'drop', 'pause', 'chaos', 'reset', 'conflict']);

function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((a, [, w]) => a + w, 0);
  let r = rng.next() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return (items[items.length - 1] as readonly [T, number])[0];
}

const KILL_KINDS = [
  ['batch', 1, 4],
  ['item', 1, 15],
  ['command', 1, 3],
  ['ack', 1, 3],
  ['positions', 1, 150],
] as const;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

class RunFailure extends Error {}

// ---------------------------------------------------------------- the county, in this process

class County {
  sim: CountySimulator | null = null;
  port = 0;
  /** The manual clock both sides follow: moved only by ticks. */
  now = BASE;
  paused = false;
  chaos: { duplicate: number; delayMs: [number, number]; reorderPositions: boolean; dropAcks: number } = {
    duplicate: 0,
    delayMs: [0, 0],
    reorderPositions: false,
    dropAcks: 0,
  };

  constructor(
    private readonly seed: number,
    private readonly dbFile: string,
    private readonly batchSize: number,
    private readonly ackTimeoutMs: number,
  ) {}

  get up(): boolean {
    return this.sim !== null;
  }

  /** The one town it serves (the demo town of the seed), known from the first start. */
  town = '';

  async start(): Promise<CountySimulator> {
    if (this.sim) return this.sim;
    // The same port every time: the service was told this URL once. It is drawn below
    // the kernel's ephemeral range (32768+ here), so that while the county is down no
    // outgoing connection or `listen(0)` can take it; the draw is not the seed's (runs
    // of the same seed may run side by side) and decides nothing else.
    const first = this.port === 0;
    for (let attempt = 0; ; attempt++) {
      if (first) this.port = 20_000 + Math.floor(Math.random() * 12_000);
      try {
        this.sim = await startCountySimulator({
          port: this.port,
          seed: this.seed,
          dbFile: this.dbFile,
          activity: false,
          clock: () => this.now,
          batchSize: this.batchSize,
          ackTimeoutMs: this.ackTimeoutMs,
        });
        break;
      } catch (error) {
        if (attempt >= 50 || !/EADDRINUSE/.test(String(error))) throw error;
        if (!first) await sleep(200);
      }
    }
    this.port = Number(new URL(this.sim.url).port);
    this.town = this.sim.towns[0] ?? '';
    this.now = Math.max(this.now, this.sim.now());
    this.paused = false;
    this.sim.chaos.set(this.chaos);
    return this.sim;
  }

  async stop(): Promise<void> {
    const sim = this.sim;
    this.sim = null;
    this.paused = false;
    await sim?.close();
  }
}

// ---------------------------------------------------------------- the data service, a child process

class Service {
  proc: ChildProcess | null = null;
  socket: Socket | null = null;
  exited: Promise<void> = Promise.resolve();
  /** Set when the current process was armed to kill itself mid-write. */
  armed: string | null = null;
  /** How the current process ended, and whether the driver ended it. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  endedByDriver = false;
  private gone = true;
  private closed: Promise<void> = Promise.resolve();
  stderr = '';

  constructor(
    private readonly db: string,
    private readonly watch: CursorWatch,
    private readonly log: (line: string) => void,
  ) {}

  get up(): boolean {
    return !this.gone;
  }

  /**
   * Starts the service; false when it died before it listened (an armed kill can fire
   * during the first sync). `killAfterMs`: SIGKILL it that long after the spawn, whatever
   * it is doing then (opening the file, running the migrations, the first sync).
   */
  async start(county: County, killIn: string | null, killAfterMs: number | null = null): Promise<boolean> {
    const args = ['--import', 'tsx', CHILD, '--county', `http://127.0.0.1:${county.port}`, '--town', county.town, '--db', this.db, '--clock', String(county.now)];
    if (killIn) args.push('--kill-in', killIn);
    const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
    this.proc = proc;
    this.armed = killIn;
    this.exit = null;
    this.endedByDriver = false;
    this.gone = false;
    this.stderr = '';
    if (killAfterMs !== null) {
      setTimeout(() => {
        if (this.proc !== proc || this.gone) return;
        this.endedByDriver = true;
        proc.kill('SIGKILL');
      }, killAfterMs).unref();
    }
    const pid = proc.pid ?? 0;
    let buffered = '';
    let listening: (url: string | null) => void = () => undefined;
    const url = new Promise<string | null>((resolve) => (listening = resolve));
    proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const listen = /^GridDeck listening on (\S+)$/.exec(line);
        if (listen) listening(listen[1] as string);
        const cursor = /^cursor (\S+)( reset)?$/.exec(line);
        if (cursor) this.watch.observe(cursor[1] as string, `service ${pid}`, cursor[2] !== undefined);
      }
    });
    proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    // 'close': the process is gone and its stdout fully read (every cursor it reported is observed).
    this.closed = new Promise((resolve) => proc.once('close', () => resolve()));
    this.exited = new Promise((resolve) =>
      proc.once('exit', (code, signal) => {
        this.exit = { code, signal };
        this.gone = true;
        this.socket?.close();
        this.socket = null;
        listening(null);
        this.log(`  service ${pid} exited (${signal ?? `code ${code}`})`);
        resolve();
      }),
    );
    const timer = setTimeout(() => listening(null), 60_000);
    const at = await url;
    clearTimeout(timer);
    if (at === null) {
      if (!this.gone) throw new RunFailure(`the service did not start in 60 s: ${this.stderr.trim().split('\n').pop() ?? ''}`);
      await this.closed;
      return false;
    }
    const socket = io(`${at}${SOCKET.namespace}`, { transports: ['websocket'], reconnection: false, forceNew: true });
    const connected = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('connect_error', () => resolve(false));
      void this.exited.then(() => resolve(false));
    });
    if (!connected || this.gone) {
      socket.close();
      await this.closed;
      if (!this.gone) throw new RunFailure('the service listens but its API does not connect');
      return false;
    }
    this.socket = socket;
    return true;
  }

  /** SIGKILL; resolves when the process is gone and all it printed has been read. */
  async kill(): Promise<void> {
    if (this.proc && !this.gone) {
      this.endedByDriver = true;
      this.proc.kill('SIGKILL');
    }
    await this.exited;
    await this.closed;
  }

  /** SIGTERM, as the shells stop it: resolves with the exit code (null: it had to be killed). */
  async stop(): Promise<number | null> {
    const proc = this.proc;
    if (!proc || this.gone) return 0;
    this.endedByDriver = true;
    proc.kill('SIGTERM');
    const code = await Promise.race([this.exited.then(() => proc.exitCode), sleep(15_000).then(() => null)]);
    if (code === null) await this.kill();
    await this.closed;
    return code;
  }

  /** One API call; null when the service is gone or did not answer. */
  async invoke(method: string, args: unknown, timeoutMs = 10_000): Promise<ApiResponse | null> {
    const socket = this.socket;
    if (!socket || this.gone) return null;
    const call = socket.timeout(timeoutMs).emitWithAck(SOCKET.invoke, method, args) as Promise<ApiResponse>;
    return Promise.race([call.catch(() => null), this.exited.then(() => null)]);
  }

  async query<T>(method: string, args: unknown): Promise<T | null> {
    const r = await this.invoke(method, args);
    return r && r.ok ? (r.result as T) : null;
  }
}

// ---------------------------------------------------------------- reading the replica file

function readCursor(file: string): string | null {
  let db: RawDatabase | null = null;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT cursor FROM meta WHERE id = 1').get() as { cursor: string | null } | undefined;
    return row?.cursor ?? null;
  } catch {
    return null; // not created yet, or the migrations have not run yet
  } finally {
    db?.close();
  }
}

// ---------------------------------------------------------------- the run

interface Lookups {
  grids: Grid[];
  categories: Category[];
  departments: Department[];
  workers: Worker[];
}

export async function runChaos(seed: number, options: ChaosOptions = {}): Promise<ChaosResult> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), `griddeck-chaos-${seed}-`));
  const replicaFile = join(dir, 'replica.sqlite');
  const countyFile = join(dir, 'county.sqlite');
  const rng = createRng(seed);
  const setup = rng.fork('setup');
  const trace: string[] = [];
  const stats: ChaosStats = {
    steps: {},
    receipts: 0,
    refusedLocally: 0,
    unanswered: 0,
    rejectedByCounty: 0,
    kills: 0,
    selfKills: 0,
    selfKillsIn: {},
    serviceStarts: 0,
    countyRestarts: 0,
    resets: 0,
  };
  const watch = new CursorWatch();
  const receipts: Receipt[] = [];
  const county = new County(seed, countyFile, setup.pick([7, 25, 60, 500]), setup.pick([150, 300, 600]));
  const service = new Service(replicaFile, watch, log);
  const note = (line: string): void => {
    trace.push(line);
    log(line);
  };
  let lookups: Lookups | null = null;

  /**
   * After the service ended (or to notice that it did): an armed kill that fired is
   * counted, any other death the driver did not cause is a crash, and the file is read
   * (nothing more can be reported by that process).
   */
  const reap = async (): Promise<void> => {
    if (!service.proc || service.up) return;
    await service.kill();
    const exit = service.exit;
    if (!service.endedByDriver) {
      if (service.armed !== null && exit?.signal === 'SIGKILL') {
        stats.selfKills++;
        const kind = service.armed.split(':')[0] as string;
        stats.selfKillsIn[kind] = (stats.selfKillsIn[kind] ?? 0) + 1;
      }
      else throw new RunFailure(`the service crashed (${exit?.signal ?? `exit code ${exit?.code}`}): ${service.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    }
    watch.observe(readCursor(replicaFile), 'file after the service ended');
    service.proc = null;
  };

  /**
   * Starts the service. `arm`: the stream that decides whether it is armed to die mid-write
   * (null: never); `killAfterMs`: a first attempt SIGKILLed from outside that soon after its spawn.
   */
  const startService = async (arm: Rng | null, killAfterMs: number | null = null): Promise<void> => {
    // The county may be down: the service then starts offline, as a town's would.
    for (let attempt = 0; attempt < 10; attempt++) {
      let killIn: string | null = null;
      if (arm !== null && attempt === 0 && arm.chance(0.4)) {
        const [kind, lo, hi] = arm.pick(KILL_KINDS);
        killIn = `${kind}:${arm.int(lo, hi)}`;
      }
      const early = attempt === 0 ? killAfterMs : null;
      stats.serviceStarts++;
      if (early !== null) stats.kills++;
      const started = await service.start(county, killIn, early);
      if (started) {
        log(`  service ${service.proc?.pid} listening${killIn ? `, armed to die in ${killIn}` : ''}${early !== null ? `, killed ${early} ms after its spawn` : ''}`);
        lookups = null;
        return;
      }
      log(`  service died during its start (${early !== null ? `killed ${early} ms after its spawn` : (killIn ?? 'not armed')})`);
      await reap();
    }
    throw new RunFailure('the service would not start 10 times in a row');
  };

  const ensureService = async (p: Rng, killAfterMs: number | null = null): Promise<void> => {
    await reap();
    if (!service.up) await startService(p.fork('spawn'), killAfterMs);
  };

  const loadLookups = async (): Promise<Lookups | null> => {
    if (lookups) return lookups;
    const [grids, categories, departments, workers] = await Promise.all([
      service.query<Grid[]>('grids.list', { level: 3 }),
      service.query<Category[]>('categories.list', {}),
      service.query<Department[]>('departments.list', {}),
      service.query<Worker[]>('workers.list', {}),
    ]);
    if (!grids || !categories || !departments || !workers || grids.length === 0 || categories.length === 0) return null;
    lookups = { grids, categories, departments, workers };
    return lookups;
  };

  const record = (step: number, r: ApiResponse | null, name: string, token: string | null, what: string): void => {
    if (r === null) {
      stats.unanswered++;
      note(`#${step} ${what}: no answer (the service died)`);
      return;
    }
    if (!r.ok) {
      stats.refusedLocally++;
      note(`#${step} ${what}: refused locally ${r.error.code}`);
      return;
    }
    const receipt = r.result as CommandReceipt;
    receipts.push({ n: receipt.n, commandId: receipt.commandId, name, eventId: receipt.eventId, token, step });
    stats.receipts++;
    note(`#${step} ${what}: n ${receipt.n}`);
  };

  /** A dispatcher's command for one of the events the service shows, chosen by the step's stream. */
  const pickCommand = async (step: number, j: number, p: Rng): Promise<{ name: string; args: Record<string, unknown>; token: string | null; what: string } | null> => {
    const token = `#chaos-${seed}-${step}-${j}`;
    const choice = p.next();
    const other = p.next();
    const extra = p.next();
    if (choice < 0.22) return createCommand(step, j, p, token);
    const page = await service.query<{ items: GridEvent[] }>('events.list', { paging: { offset: 0, limit: 500 }, sort: 'reportedAt' });
    const events = page?.items ?? [];
    if (events.length === 0) return createCommand(step, j, p, token);
    const e = events[Math.floor(other * events.length)] as GridEvent;
    const look = await loadLookups();
    return { ...dispatcherCommand(e, events, look, token, extra, p), what: `${e.status} ${e.id.slice(0, 8)}` };
  };

  const createCommand = async (step: number, j: number, p: Rng, token: string) => {
    const look = await loadLookups();
    const id = uuidFrom(p);
    const gridPick = p.next();
    const catPick = p.next();
    const urgency = p.pick(['normal', 'normal', 'urgent', 'critical'] as const);
    const source = p.pick(['hotline', 'wechat', 'walkIn', 'patrol'] as const);
    // Nothing to report into yet (the first sync, or a reset's snapshot half way): a step without a call.
    if (!look) return null;
    const grid = look.grids[Math.floor(gridPick * look.grids.length)];
    const parents = new Set(look.categories.map((c) => c.parent).filter((c): c is string => c !== null));
    const leaves = look.categories.filter((c) => !parents.has(c.code));
    const category = leaves[Math.floor(catPick * leaves.length)];
    if (!grid || !category) return null;
    const [lon, lat] = randomPointIn(shapeOf(grid.geometry), p);
    return {
      name: 'event.create',
      args: {
        id,
        code: `CH${seed}-${step}-${j}`,
        title: `混沌测试${category.name}`,
        description: `混沌测试事件 ${token}`,
        category: category.code,
        urgency,
        source,
        location: { lon: round6(lon), lat: round6(lat), address: `${grid.name}测试点${step}` },
        grid: grid.code,
        reporter: { name: '测试居民', phone: '139****0000' },
      },
      // The create's history entry has no note of ours: its id already makes it unique.
      token: null,
      what: `create ${id.slice(0, 8)} in ${grid.code}`,
    };
  };

  /** Tries to end the run's activity: everything healed, and the town caught up with the county. */
  const converge = async (): Promise<void> => {
    const deadline = Date.now() + (options.convergeMs ?? 90_000);
    for (;;) {
      await reap();
      if (!service.up) await startService(null);
      const status = await service.query<{ state: string; queueLength: number; catchingUp: boolean }>('link.status', {});
      const cursor = readCursor(replicaFile);
      const head = county.sim?.headCursor();
      // Both sides: the town caught up with nothing to send, and the county with nothing under
      // way for it (a reset asked for, or a drop not yet noticed, would still change the replica).
      const idle = county.sim?.idle(county.town) ?? false;
      if (status && status.state === 'online' && status.queueLength === 0 && !status.catchingUp && cursor === head && idle) return;
      if (Date.now() > deadline) {
        throw new RunFailure(`did not converge in ${Math.round((options.convergeMs ?? 90_000) / 1000)} s: link ${JSON.stringify(status)}, cursor ${cursor}, county head ${head}, county idle ${idle}`);
      }
      await sleep(100);
    }
  };

  let failure: string | null;
  try {
    await county.start();
    // Sometimes the very first start is killed too: in the migrations of the new file, or its first sync.
    await startService(rng.fork('spawn/first'), setup.chance(0.3) ? setup.int(0, 700) : null);
    // The first full sync, so the first steps have a town to work on.
    const syncBy = Date.now() + 60_000;
    while (readCursor(replicaFile) !== county.sim?.headCursor()) {
      await reap();
      if (!service.up) await startService(null);
      if (Date.now() > syncBy) throw new RunFailure('the first sync did not finish in 60 s');
      await sleep(50);
    }

    const steps = options.steps ?? 14;
    for (let step = 1; step <= steps; step++) {
      const kind = weighted(rng, STEP_WEIGHTS);
      const p = rng.fork(`step/${step}`);
      stats.steps[kind] = (stats.steps[kind] ?? 0) + 1;
      if (NEEDS_COUNTY.has(kind) && !county.up) {
        await county.start();
        stats.countyRestarts++;
        note(`#${step} (the county comes back)`);
      }
      if (NEEDS_SERVICE.has(kind)) await ensureService(p);
      await runStep(step, kind, p);
      // Let deliveries happen between steps, for a random while.
      await sleep(p.int(0, 120));
      await reap();
      if (service.up) watch.sample(readCursor(replicaFile), `file after step ${step}`);
      if (watch.violation) throw new RunFailure(watch.violation);
    }

    // Heal: every chaos off, the county up and resumed, the service up, and wait.
    note('heal');
    county.chaos = { duplicate: 0, delayMs: [0, 0], reorderPositions: false, dropAcks: 0 };
    if (!county.up) await county.start();
    county.sim?.chaos.set(county.chaos);
    county.sim?.chaos.resume();
    county.paused = false;
    await converge();
    failure = await verify();
  } catch (error) {
    failure = error instanceof RunFailure ? error.message : `the run itself failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  } finally {
    await service.kill().catch(() => undefined);
    await county.stop().catch(() => undefined);
  }
  failure ??= watch.violation;
  const ok = failure === null;
  if (ok && !options.keep) rmSync(dir, { recursive: true, force: true });
  return { seed, ok, reason: failure, ms: Date.now() - started, trace, stats, dir };

  // ------------------------------------------------------------ one step

  async function runStep(step: number, kind: StepKind, p: Rng): Promise<void> {
    const sim = (): CountySimulator => {
      if (!county.sim) throw new RunFailure('internal: the county is not running');
      return county.sim;
    };
    switch (kind) {
      case 'create': {
        const c = await createCommand(step, 0, p, `#chaos-${seed}-${step}-0`);
        if (!c) {
          note(`#${step} nothing to create an event in yet`);
          return;
        }
        record(step, await service.invoke(c.name, c.args), c.name, c.token, c.what);
        return;
      }
      case 'command': {
        const c = await pickCommand(step, 0, p);
        if (c) record(step, await service.invoke(c.name, c.args), c.name, c.token, `${c.name} on ${c.what}`);
        return;
      }
      case 'burst': {
        // Several calls at once, without waiting for the answers in between.
        const count = p.int(2, 5);
        const picked = [];
        for (let j = 0; j < count; j++) picked.push(await pickCommand(step, j, p.fork(`burst/${j}`)));
        const answers = await Promise.all(picked.map((c) => (c ? service.invoke(c.name, c.args) : Promise.resolve(null))));
        picked.forEach((c, j) => {
          if (c) record(step, answers[j] ?? null, c.name, c.token, `burst ${c.name} on ${c.what}`);
        });
        return;
      }
      case 'kill': {
        if (!service.up) {
          const early = p.chance(0.3) ? p.int(0, 500) : null;
          await ensureService(p, early);
          note(`#${step} start the service${early !== null ? `, SIGKILL it ${early} ms after its spawn` : ''}`);
          return;
        }
        await service.kill();
        stats.kills++;
        await reap();
        note(`#${step} SIGKILL the service`);
        return;
      }
      case 'kill-mid': {
        const c = await pickCommand(step, 0, p);
        const delay = p.int(0, 25);
        if (!c) return;
        const answer = service.invoke(c.name, c.args);
        await sleep(delay);
        const killed = service.up;
        await service.kill();
        if (killed) stats.kills++;
        record(step, await answer, c.name, c.token, `${c.name} on ${c.what}, SIGKILL after ${delay} ms`);
        await reap();
        return;
      }
      case 'county-event': {
        const source = p.pick(['patrol', 'patrol', 'hotline', 'wechat'] as const);
        try {
          const id = sim().createEvent(county.town, { source });
          note(`#${step} the county reports ${id.slice(0, 8)} (${source})`);
        } catch (error) {
          // A patrol report needs a grid worker on duty.
          note(`#${step} the county cannot report (${source}): ${error instanceof Error ? error.message : String(error)}`);
        }
        return;
      }
      case 'county-act': {
        const snap = sim().snapshot(county.town);
        const pick = p.next();
        const variant = p.next();
        const open = snap.events.filter((e) => !isFinalStatus(e.status) || (e.status === 'closed' && e.satisfaction === null));
        if (open.length === 0) {
          note(`#${step} the county has nothing to act on`);
          return;
        }
        const e = open[Math.floor(pick * open.length)] as GridEvent;
        const move = countyMove(e, snap, variant, `#county-${seed}-${step}`);
        if (!move) {
          note(`#${step} the county leaves ${e.status} ${e.id.slice(0, 8)} alone`);
          return;
        }
        const r = sim().apply(county.town, move.name, move.args, move.actor);
        note(`#${step} the county: ${move.actor.id} ${move.name} on ${e.status} ${e.id.slice(0, 8)}: ${r.ok ? 'applied' : r.code}`);
        return;
      }
      case 'tick': {
        // Now and then past 18:00 and back: the duty switch puts every worker at once.
        const ms = p.pick([5_000, 30_000, 120_000, 600_000, 600_000, 9 * 3_600_000]);
        county.now += ms;
        sim().tick(ms);
        note(`#${step} tick ${ms / 1000} s`);
        return;
      }
      case 'drop': {
        // Now, or a moment later: in the middle of whatever the next step sets going.
        const later = p.chance(0.5) ? p.int(1, 300) : 0;
        if (later === 0) sim().chaos.dropLinks();
        else {
          const target = sim();
          setTimeout(() => {
            if (county.sim === target) target.chaos.dropLinks();
          }, later).unref();
        }
        note(`#${step} drop the link${later ? ` in ${later} ms` : ''}`);
        return;
      }
      case 'pause':
        if (county.paused) sim().chaos.resume();
        else sim().chaos.pause();
        county.paused = !county.paused;
        note(`#${step} ${county.paused ? 'pause' : 'resume'} the county`);
        return;
      case 'chaos': {
        county.chaos = {
          duplicate: p.pick([0, 0.2, 0.5, 1]),
          // The last range outlasts the service's mutate timeout (1.5 s) and the county's ack timeout: late answers, resends.
          delayMs: p.pick([[0, 0], [0, 30], [5, 150], [50, 400], [800, 2500]] as [number, number][]),
          reorderPositions: p.chance(0.5),
          dropAcks: p.pick([0, 0, 0.2, 0.5]),
        };
        sim().chaos.set(county.chaos);
        note(`#${step} chaos ${JSON.stringify(county.chaos)}`);
        return;
      }
      case 'county-restart': {
        if (county.up) {
          await county.stop();
          note(`#${step} stop the county`);
        } else {
          await county.start();
          stats.countyRestarts++;
          note(`#${step} start the county`);
        }
        return;
      }
      case 'reset':
        // The county answers the town's next connection with a full snapshot.
        sim().chaos.resetNext();
        sim().chaos.dropLinks();
        watch.allowReset();
        stats.resets++;
        note(`#${step} the county forgets the town's cursor (reset)`);
        return;
      case 'conflict': {
        // The town and the county work on the same event while the county holds the
        // town's commands (paused): the county moves first, so the town's commands
        // meet a state they did not see, and some are rejected and rolled back.
        const page = await service.query<{ items: GridEvent[] }>('events.list', { paging: { offset: 0, limit: 500 }, sort: 'reportedAt' });
        const events = (page?.items ?? []).filter((e) => !isFinalStatus(e.status));
        const pick = p.next();
        const count = p.int(1, 3);
        const countyMoves = p.int(1, 2);
        const stayPaused = p.chance(0.3);
        const e0 = events[Math.floor(pick * events.length)];
        if (!e0) {
          note(`#${step} no open event to fight over`);
          return;
        }
        if (!county.paused) sim().chaos.pause();
        county.paused = true;
        const look = await loadLookups();
        let view: GridEvent = e0;
        for (let j = 0; j < count; j++) {
          const c = dispatcherCommand(view, events, look, `#chaos-${seed}-${step}-${j}`, 1, p.fork(`conflict/${j}`));
          const r = await service.invoke(c.name, c.args);
          record(step, r, c.name, c.token, `conflict: ${c.name} on ${view.status} ${view.id.slice(0, 8)}`);
          if (r?.ok) view = (r.result as CommandReceipt).event as GridEvent;
        }
        for (let k = 0; k < countyMoves; k++) {
          const snap = sim().snapshot(county.town);
          const e = snap.events.find((x) => x.id === e0.id);
          const move = e ? countyMove(e, snap, p.next(), `#county-${seed}-${step}-${k}`) : null;
          if (!e || !move) break;
          const r = sim().apply(county.town, move.name, move.args, move.actor);
          note(`#${step} conflict: the county ${move.actor.id} ${move.name} on ${e.status} ${e.id.slice(0, 8)}: ${r.ok ? 'applied' : r.code}`);
        }
        if (!stayPaused) {
          sim().chaos.resume();
          county.paused = false;
        }
        return;
      }
      case 'wait': {
        const ms = p.int(50, 600);
        await sleep(ms);
        note(`#${step} wait ${ms} ms`);
        return;
      }
    }
  }

  // ------------------------------------------------------------ the end: the invariants

  async function verify(): Promise<string | null> {
    const sim = county.sim as CountySimulator;
    const town = county.town;
    const countySnapshot = sim.snapshot(town);

    const code = await service.stop();
    if (code !== 0) return `the service did not stop cleanly on SIGTERM (exit ${code})`;
    watch.observe(readCursor(replicaFile), 'file at the end');
    if (watch.violation) return watch.violation;

    // The replica file: integrity first, then its outbox, then its entities through the Replica class.
    const raw = new BetterSqlite3(replicaFile, { fileMustExist: true });
    let replicaId: string;
    let outbox: OutboxRow[];
    let overlays: number;
    try {
      const integrity = String(raw.pragma('integrity_check', { simple: true }));
      if (integrity !== 'ok') return `replica PRAGMA integrity_check: ${integrity}`;
      replicaId = (raw.prepare('SELECT replica_id FROM meta WHERE id = 1').get() as { replica_id: string }).replica_id;
      outbox = raw.prepare('SELECT n, id, name, state, code FROM outbox ORDER BY n').all() as OutboxRow[];
      overlays = (raw.prepare('SELECT COUNT(*) AS c FROM event_docs WHERE view IS NOT NULL OR base IS NULL').get() as { c: number }).c;
    } finally {
      raw.close();
    }
    const settled: SettledRow[] = sim.applied(replicaId);
    stats.rejectedByCounty = settled.filter((s) => s.status === 'rejected').length;

    const replica = await Replica.open({ file: replicaFile, town, log: { info: () => undefined, warn: () => undefined } });
    let replicaSnapshot;
    let queue: number;
    try {
      replicaSnapshot = replica.snapshot();
      queue = replica.queueLength();
    } finally {
      await replica.close();
    }

    await county.stop();
    const countyDb = new BetterSqlite3(countyFile, { fileMustExist: true });
    let order: number[];
    try {
      const integrity = String(countyDb.pragma('integrity_check', { simple: true }));
      if (integrity !== 'ok') return `county PRAGMA integrity_check: ${integrity}`;
      order = (countyDb.prepare('SELECT n FROM settled WHERE replica = ? ORDER BY rowid').all(replicaId) as { n: number }[]).map((r) => r.n);
    } finally {
      countyDb.close();
    }

    const histories = new Map(countySnapshot.events.map((e) => [e.id, e.history]));
    return (
      checkReceipts(receipts, settled, replicaId) ??
      checkSettled(settled, outbox) ??
      checkOrder(order) ??
      checkTokens(receipts, settled, histories, /#chaos-\d+-\d+-\d+/g) ??
      (queue !== 0 ? `the replica still counts ${queue} unsettled commands` : null) ??
      (overlays !== 0 ? `${overlays} events of the replica still show an optimistic view or have no county base` : null) ??
      compareSnapshots(replicaSnapshot, countySnapshot)
    );
  }
}

// ---------------------------------------------------------------- what a dispatcher does

function dispatcherCommand(
  e: GridEvent,
  events: readonly GridEvent[],
  look: Lookups | null,
  token: string,
  extra: number,
  p: Rng,
): { name: string; args: Record<string, unknown>; token: string | null } {
  const id = e.id;
  const withNote = (name: string) => ({ name, args: { id, note: token }, token });
  const withReason = (name: string) => ({ name, args: { id, reason: token }, token });
  const pickOf = <T>(items: readonly T[]): T | undefined => items[Math.floor(p.next() * items.length)];
  const mergeTarget = events.find((x) => x.id !== id && (x.status === 'reported' || x.status === 'accepted'));
  // Now and then a command the workflow does not allow in this status: refused locally, or by the county.
  if (extra < 0.08) return pickOf([withNote('event.close'), withNote('event.accept'), withReason('event.escalate'), withNote('event.verify')]) as ReturnType<typeof withNote>;
  const options: { name: string; args: Record<string, unknown>; token: string | null }[] = [withNote('event.comment')];
  const category = look?.categories.find((c) => c.code === e.category);
  switch (e.status) {
    case 'reported':
      options.push(withNote('event.accept'), withNote('event.accept'), withReason('event.reject'));
      if (mergeTarget) options.push({ name: 'event.merge', args: { id, into: mergeTarget.id, note: token }, token });
      break;
    case 'accepted': {
      const department = category?.department ?? look?.departments[0]?.id;
      if (department) options.push({ name: 'event.dispatch', args: { id, to: { kind: 'department', id: department }, note: token }, token });
      const worker = look?.workers.find((w) => w.grids.includes(e.grid));
      if (worker) options.push({ name: 'event.dispatch', args: { id, to: { kind: 'person', id: worker.id }, note: token }, token });
      options.push(withReason('event.escalate'), withReason('event.suspend'));
      if (mergeTarget) options.push({ name: 'event.merge', args: { id, into: mergeTarget.id, note: token }, token });
      break;
    }
    case 'dispatched':
      options.push(withNote('event.supervise'), withReason('event.suspend'), withReason('event.escalate'));
      if (e.extensionRequest) options.push(withNote('event.approveExtension'), withReason('event.denyExtension'));
      break;
    case 'handled':
      options.push(withNote('event.verify'), withReason('event.rework'));
      if (e.selfHandled) options.push(withNote('event.close'));
      break;
    case 'verified':
      options.push(withNote('event.close'), withNote('event.close'), withReason('event.rework'));
      break;
    case 'closed':
      options.push({ name: 'event.evaluate', args: { id, satisfaction: 'satisfied', note: token }, token }, withReason('event.reopen'));
      break;
    case 'rejected':
      options.push(withReason('event.reopen'));
      break;
    case 'suspended':
      options.push(withNote('event.resume'));
      break;
    case 'escalated':
      options.push(withNote('event.supervise'));
      break;
    default:
      break;
  }
  return pickOf(options) as (typeof options)[number];
}

/** What the county's side does to an event: a department or worker moving it on, or the county's own dispatcher racing the town. */
function countyMove(
  e: GridEvent,
  snap: { categories: Category[]; departments: Department[]; workers: Worker[] },
  variant: number,
  note: string,
): { name: string; args: Record<string, unknown>; actor: Actor } | null {
  const id = e.id;
  switch (e.status) {
    case 'reported':
      return variant < 0.7 ? { name: 'event.accept', args: { id, note }, actor: SIM_DISPATCHER } : { name: 'event.reject', args: { id, reason: note }, actor: SIM_DISPATCHER };
    case 'accepted': {
      const department = snap.categories.find((c) => c.code === e.category)?.department;
      if (!department) return null;
      return { name: 'event.dispatch', args: { id, to: { kind: 'department', id: department }, note }, actor: SIM_DISPATCHER };
    }
    case 'dispatched': {
      const a = e.assignee;
      if (!a) return null;
      let actor: Actor;
      if (a.kind === 'department') {
        const d = snap.departments.find((x) => x.id === a.id);
        actor = departmentActor(a.id, d?.name ?? a.id);
      } else {
        const w = snap.workers.find((x) => x.id === a.id);
        if (!w) return null;
        actor = workerActor(w);
      }
      if (variant < 0.6) return { name: 'event.feedback', args: { id, note }, actor };
      if (variant < 0.8) return { name: 'event.return', args: { id, reason: note }, actor };
      return { name: 'event.requestExtension', args: { id, by: { value: 1, unit: 'days' }, reason: note }, actor };
    }
    case 'handled':
      return variant < 0.8 ? { name: 'event.verify', args: { id, note }, actor: SIM_DISPATCHER } : { name: 'event.rework', args: { id, reason: note }, actor: SIM_DISPATCHER };
    case 'verified':
      return { name: 'event.close', args: { id, note }, actor: SIM_DISPATCHER };
    case 'escalated':
      return { name: 'event.feedback', args: { id, note }, actor: countyActor(COUNTY_CODE) };
    case 'suspended':
      return { name: 'event.resume', args: { id, note }, actor: SIM_DISPATCHER };
    case 'closed':
      return { name: 'event.evaluate', args: { id, satisfaction: 'basicallySatisfied', note }, actor: SIM_DISPATCHER };
    default:
      return null;
  }
}
