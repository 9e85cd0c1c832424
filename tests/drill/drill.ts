// The hub drill, on loopback: a real PostgreSQL and Redis, several `npm run hub` processes
// on them, and real town data services (tests/chaos/service-process.ts: replica, county
// link, app API, headless) spread over the processes. Each town's dispatcher gives
// commands through its app API while the simulator's world (county/hub/world.ts) reports
// events, moves them on and sends positions through the first hub's HTTP API. Meanwhile
// one hub process is killed and restarted, Redis is restarted, and a town of the killed
// process is moved to another one (the move runs while the process is down: a service's
// start takes longer than a hub's). At the end: every town's replica equals the hub's state for that
// town, every command the towns were given was settled once (1..n, effects once), no
// cursor moved back, and positions reached towns on processes other than the world's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiResponse, CommandReceipt } from '../../core/api/contract';
import type { GridEvent } from '../../core/model';
import { createRng, type Rng } from '../../county/demo/random';
import { generateCounty } from '../../county/demo/town';
import { hubCall, DemoWorld } from '../../county/hub/world';
import { TestTown } from '../../county/simulator/test-client';
import { Replica } from '../../electron/service/replica/replica';
import { CursorWatch, checkReceipts, checkSettled, checkTokens, compareSnapshots, type OutboxRow, type Receipt, type SettledRow } from '../chaos/checks';
import { dispatcherCommand, type Lookups } from '../chaos/commands';
import { uuidFrom } from '../../county/simulator/activity';
import { randomPointIn, round6, shapeOf } from '../../county/simulator/geo';
import { BetterSqlite3, Service, readCursor, sleep, type County } from '../chaos/processes';
import { HubProcess, freePort, startPostgres, startRedis, type PostgresServer, type RedisServer } from '../hub/servers';
import type { TownSnapshot } from '../../core/sync/protocol';

/** The town services present their own token; the drill's hubs run without a token file (any token is accepted). */
const TOKEN = undefined;

export interface DrillOptions {
  hubs: number;
  towns: number;
  gridsPerTown: number;
  /** How long the load runs (the disruptions fall inside it). */
  loadMs: number;
  seed: number;
  /** Events per hour and town the world reports. */
  eventsPerHour: number;
  /** A PostgreSQL server to use (its `postgres` database; the caller stops it); default: one started and stopped here. */
  pg?: PostgresServer;
  log: (line: string) => void;
}

export interface DrillResult {
  failure: string | null;
  stats: { commands: number; refusedLocally: number; applied: number; rejected: number; positionsSeen: number; events: number; seconds: number };
}

interface TownRun {
  code: string;
  hub: number;
  db: string;
  service: Service;
  watch: CursorWatch;
  receipts: Receipt[];
  lookups: Lookups | null;
  rng: Rng;
  k: number;
}

/** What Service.start reads of the county it is pointed at. */
const countyAt = (port: number, town: string): County => ({ port, town, now: Date.now() }) as unknown as County;

export async function runDrill(options: DrillOptions): Promise<DrillResult> {
  const started = Date.now();
  const o = { ...options, log: (line: string) => options.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`) };
  const dir = mkdtempSync(join(tmpdir(), 'hub-drill-'));
  let pg: PostgresServer | null = null;
  let redis: RedisServer | null = null;
  const hubs: HubProcess[] = [];
  const towns: TownRun[] = [];
  const stats = { commands: 0, refusedLocally: 0, applied: 0, rejected: 0, positionsSeen: 0, events: 0, seconds: 0 };
  let stopWorld = (): void => {};
  let observers: Observers | null = null;
  try {
    [pg, redis] = await Promise.all([o.pg ?? startPostgres(), startRedis()]);
    o.log(`PostgreSQL on ${pg.port}, Redis on ${redis.port}`);
    const args = ['--database', pg.url, '--redis', redis.url, '--world', 'none', '--seed', String(o.seed), '--towns', String(o.towns), '--grids-per-town', String(o.gridsPerTown)];
    for (let i = 0; i < o.hubs; i++) hubs.push(new HubProcess(i, await freePort(), args, o.log));
    const datasets = generateCounty({ seed: o.seed, towns: o.towns, gridsPerTown: o.gridsPerTown }).towns;
    for (const [i, ds] of datasets.entries()) {
      const code = ds.town.code;
      const watch = new CursorWatch();
      const db = join(dir, `town-${code}.sqlite`);
      towns.push({ code, hub: i % o.hubs, db, watch, service: new Service(db, watch, () => undefined), receipts: [], lookups: null, rng: createRng(o.seed * 1000 + i), k: 0 });
    }
    // The hubs all at once: the migrations take an advisory lock, the towns are seeded once (ON CONFLICT DO NOTHING).
    // The services after them (starting both together on a loaded 2-core machine was slower, not faster).
    await Promise.all(hubs.map((h) => h.start()));
    await startServices(towns, hubs, o.log);
    const synced = await converge(towns, hubs, 120_000);
    if (synced) return { failure: `first sync: ${synced}`, stats };
    o.log(`${towns.length} towns synced in ${Math.round((Date.now() - started) / 1000)} s`);

    observers = new Observers(hubs, towns);
    await observers.open();
    // Round-the-clock duty: the drill runs at any hour and needs positions flowing.
    const world = new DemoWorld({ url: hubs[0]!.url, seed: o.seed, towns: datasets, eventsPerHour: o.eventsPerHour, autoDispatchAfterMs: 30_000, duty: 'always', log: () => undefined });
    await world.clockIn();
    stopWorld = world.start(1000);

    const failure = await load(o, towns, hubs, redis, observers, stats);
    stopWorld();
    stats.positionsSeen = observers.seen;
    if (failure) return { failure, stats };
    const converged = await converge(towns, hubs, 120_000);
    if (converged) return { failure: `after the load: ${converged}`, stats };
    o.log('converged; verifying');
    const verdict = await verifyAll(towns, hubs[0]!.url, stats);
    stats.seconds = Math.round((Date.now() - started) / 1000);
    return { failure: verdict, stats };
  } finally {
    stopWorld();
    observers?.close();
    await Promise.all(towns.map((t) => t.service.stop().catch(() => null)));
    await Promise.all(hubs.map((h) => h.kill('SIGTERM')));
    await redis?.stop();
    if (!o.pg) await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function startServices(towns: readonly TownRun[], hubs: readonly HubProcess[], log: (line: string) => void): Promise<void> {
  // A few at a time: each is a Node process with its migrations and first sync.
  for (let i = 0; i < towns.length; i += 3) {
    await Promise.all(towns.slice(i, i + 3).map((t) => startService(t, hubs)));
    log(`  ${Math.min(towns.length, i + 3)} of ${towns.length} town services up`);
  }
}

/** Start a town's service on its hub; on a loaded machine a start may time out (60 s): tried three times. */
async function startService(t: TownRun, hubs: readonly HubProcess[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (await t.service.start(countyAt(hubs[t.hub]!.port, t.code), null)) return;
      throw new Error(`the service of ${t.code} died at start: ${t.service.stderr.slice(-500)}`);
    } catch (error) {
      await t.service.kill();
      if (attempt >= 3) throw error;
    }
  }
}

/** Raw towns on the processes other than the world's (hub 0): they see the positions only through Redis. */
class Observers {
  towns: TestTown[] = [];
  private past = 0;
  constructor(
    private readonly hubs: readonly HubProcess[],
    private readonly codes: readonly TownRun[],
  ) {}

  async open(): Promise<void> {
    this.past = this.seen;
    for (const t of this.towns) t.close();
    this.towns = [];
    // Any town will do: its positions reach its connections on every process (a town moved away leaves none behind).
    for (const h of this.hubs.slice(1)) {
      const t = this.codes[h.index % this.codes.length];
      if (t) this.towns.push(await TestTown.connect(h.url, { town: t.code }));
    }
  }

  get seen(): number {
    return this.past + this.towns.reduce((a, t) => a + t.positions.length, 0);
  }

  /** Wait for positions beyond `after` on every observer; a reason when none came in time. */
  async expectMore(after: number, what: string, ms = 30_000): Promise<string | null> {
    const deadline = Date.now() + ms;
    while (this.seen <= after) {
      if (Date.now() > deadline) return `no positions reached a town on another hub process ${what}`;
      await sleep(100);
    }
    return null;
  }

  close(): void {
    for (const t of this.towns) t.close();
  }
}

/** The load, and the disruptions in its course; a failure's reason, or null. */
async function load(o: DrillOptions, towns: TownRun[], hubs: HubProcess[], redis: RedisServer, observers: Observers, stats: DrillResult['stats']): Promise<string | null> {
  const end = Date.now() + o.loadMs;
  const drivers = towns.map(async (t) => {
    while (Date.now() < end) {
      await command(t, stats);
      await sleep(150 + t.rng.int(0, 250));
    }
  });
  const victim = hubs[hubs.length - 1]!;
  const moved = towns.find((t) => t.hub === victim.index) ?? towns[0]!;
  const move = async (): Promise<void> => {
    const to = hubs.length > 1 ? 0 : moved.hub;
    o.log(`  moving town ${moved.code} from hub ${moved.hub} to hub ${to}`);
    await moved.service.stop();
    moved.hub = to;
    moved.lookups = null;
    await startService(moved, hubs);
    o.log(`  town ${moved.code} up on hub ${to}`);
  };
  const steps = async (): Promise<string | null> => {
    if (hubs.length > 1) {
      const none = await observers.expectMore(0, 'while all ran');
      if (none) return none;
    }
    o.log(`  killing hub ${victim.index} (SIGKILL)`);
    await victim.kill();
    const moving = move();
    await sleep(1000);
    await victim.start();
    await observers.open();
    o.log('  restarting Redis');
    await redis.kill();
    await sleep(1000);
    await redis.start();
    if (hubs.length > 1) {
      const none = await observers.expectMore(observers.seen, 'after Redis restarted');
      if (none) {
        await moving;
        return none;
      }
    }
    await moving;
    return null;
  };
  const failure = await steps();
  await Promise.all(drivers);
  return failure ?? towns.find((t) => t.watch.violation)?.watch.violation ?? null;
}

/** One dispatcher's command through the town's app API, recorded as a receipt when the service took it. */
async function command(t: TownRun, stats: DrillResult['stats']): Promise<void> {
  const s = t.service;
  if (!s.up || !s.socket) return;
  t.lookups ??= await lookupsOf(s);
  // Kept here: a move of the town clears t.lookups while this command is under way.
  const look = t.lookups;
  if (!look) return;
  const page = await s.query<{ items: GridEvent[] }>('events.list', { paging: { offset: 0, limit: 200 }, sort: 'reportedAt' });
  const events = (page?.items ?? []).filter((e) => e.status !== 'merged');
  t.k++;
  const token = `#drill-${t.code}-${t.k}`;
  const e = events.length > 0 && t.rng.chance(0.8) ? events[t.rng.int(0, events.length - 1)] : undefined;
  const c = e ? dispatcherCommand(e, events, look, token, t.rng.next(), t.rng) : createCommand(t, look, token);
  if (!c) return;
  const r: ApiResponse | null = await s.invoke(c.name, c.args);
  if (!r) return;
  if (!r.ok) {
    stats.refusedLocally++;
    return;
  }
  const receipt = r.result as CommandReceipt;
  t.receipts.push({ n: receipt.n, commandId: receipt.commandId, name: c.name, eventId: receipt.eventId, token: c.token, step: t.k });
  stats.commands++;
}

/** A new report by the town's dispatcher (its description carries the token). */
function createCommand(t: TownRun, look: Lookups, token: string): { name: string; args: Record<string, unknown>; token: string | null } | null {
  const grid = look.grids[t.rng.int(0, look.grids.length - 1)];
  const parents = new Set(look.categories.map((c) => c.parent).filter((c): c is string => c !== null));
  const leaves = look.categories.filter((c) => !parents.has(c.code));
  const category = leaves[t.rng.int(0, leaves.length - 1)];
  if (!grid || !category) return null;
  const [lon, lat] = randomPointIn(shapeOf(grid.geometry), t.rng);
  const args = {
    id: uuidFrom(t.rng),
    code: `DR${t.code.slice(-3)}-${t.k}`,
    title: `演练${category.name}`,
    description: `演练事件 ${token}`,
    category: category.code,
    urgency: 'normal',
    source: 'hotline',
    location: { lon: round6(lon), lat: round6(lat), address: `${grid.name}演练点${t.k}` },
    grid: grid.code,
  };
  return { name: 'event.create', args, token: null };
}

async function lookupsOf(s: Service): Promise<Lookups | null> {
  const [grids, categories, departments, workers] = await Promise.all([
    s.query<Lookups['grids']>('grids.list', { level: 3 }),
    s.query<Lookups['categories']>('categories.list', {}),
    s.query<Lookups['departments']>('departments.list', {}),
    s.query<Lookups['workers']>('workers.list', {}),
  ]);
  return grids && categories && departments && workers ? { grids, categories, departments, workers } : null;
}

/** Every town online with nothing to send and its cursor at the hub's head for it; a reason when not in time. */
async function converge(towns: readonly TownRun[], hubs: readonly HubProcess[], ms: number): Promise<string | null> {
  const deadline = Date.now() + ms;
  for (;;) {
    let behind: string | null = null;
    for (const t of towns) {
      const status = await t.service.query<{ state: string; queueLength: number; catchingUp: boolean }>('link.status', {});
      const head = await hubCall<{ cursor: string }>(hubs[t.hub]!.url, TOKEN, 'GET', `/api/towns/${t.code}/head`).catch(() => null);
      const cursor = readCursor(t.db);
      if (!status || status.state !== 'online' || status.queueLength > 0 || status.catchingUp || cursor !== head?.cursor) {
        behind = `town ${t.code}: link ${JSON.stringify(status)}, cursor ${cursor}, hub head ${head?.cursor}`;
        break;
      }
    }
    if (behind === null) return null;
    if (Date.now() > deadline) return `did not converge: ${behind}`;
    await sleep(250);
  }
}

/** Each town's replica against the hub: its commands settled once, its entities equal, its cursor never back. */
async function verifyAll(towns: readonly TownRun[], hub: string, stats: DrillResult['stats']): Promise<string | null> {
  for (const t of towns) {
    const code = await t.service.stop();
    if (code !== 0) return `town ${t.code}: the service did not stop cleanly (exit ${code})`;
    t.watch.observe(readCursor(t.db), 'file at the end');
    if (t.watch.violation) return `town ${t.code}: ${t.watch.violation}`;
    const raw = new BetterSqlite3(t.db, { fileMustExist: true });
    let replicaId: string;
    let outbox: OutboxRow[];
    try {
      replicaId = (raw.prepare('SELECT replica_id FROM meta WHERE id = 1').get() as { replica_id: string }).replica_id;
      outbox = raw.prepare('SELECT n, id, name, state, code FROM outbox ORDER BY n').all() as OutboxRow[];
    } finally {
      raw.close();
    }
    const settled = await hubCall<SettledRow[]>(hub, TOKEN, 'GET', `/applied?replica=${replicaId}`);
    const county = await hubCall<TownSnapshot>(hub, TOKEN, 'GET', `/snapshot?town=${t.code}`);
    stats.applied += settled.filter((s) => s.status === 'applied').length;
    stats.rejected += settled.filter((s) => s.status === 'rejected').length;
    stats.events += county.events.length;
    const replica = await Replica.open({ file: t.db, town: t.code, log: { info: () => undefined, warn: () => undefined } });
    let snapshot;
    let queue: number;
    try {
      snapshot = replica.snapshot();
      queue = replica.queueLength();
    } finally {
      await replica.close();
    }
    const histories = new Map(county.events.map((e) => [e.id, e.history]));
    const reason =
      checkReceipts(t.receipts, settled, replicaId) ??
      checkSettled(settled, outbox) ??
      checkTokens(t.receipts, settled, histories, /#drill-\d+-\d+/g) ??
      (queue !== 0 ? `the replica still counts ${queue} unsettled commands` : null) ??
      compareSnapshots(snapshot, county);
    if (reason) return `town ${t.code}: ${reason}`;
  }
  return null;
}
