// The county hub: a county-link-v1 server for every town of a county, on PostgreSQL (or
// PGlite, in this process, when no database is given), in one process or several. The
// protocol is the simulator's LinkServer (one implementation), over the hub's store.
// With several processes, Socket.IO's Redis Streams adapter carries two things between
// them: a "town changed" notice after every commit (each process then reads the new
// change-log rows for its own connections of that town) and the positions, sent to the
// town's room. A poll every second covers notices lost while Redis is away. A town that
// reconnects to any process resumes from its cursor, which every process reads alike.
// Towns' tokens are scrypt records in the database (./tokens.ts), checked at each
// handshake; the same poll closes the connections of a town whose token changed.
//
//   const hub = await startHub({ port: 0, database: null, redis: null, world: 'demo', seed: 1 });
//   hub.url; hub.towns; await hub.close();
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { generateCounty, generateTown, type TownDataset } from '../demo/town';
import { MAX_BATCH_ITEMS } from '../simulator/batches';
import type { ControlResponse } from '../simulator/control';
import { streamOf, type DutyMode } from '../simulator/patrol';
import { LinkServer, type LinkBackend } from '../simulator/server';
import { handleApi } from './api';
import { openSql } from './sql';
import { HubStore } from './store';
import { TokenVerifier, TokenWatch, admitTown, loadTokenFile } from './tokens';
import { DemoWorld } from './world';

export interface HubTokens {
  /** One token for every town. */
  all: string | null;
  /** Tokens of single towns. */
  byTown: ReadonlyMap<string, string>;
}

export interface HubOptions {
  /** 0: any free port; listens on 127.0.0.1 only. */
  port: number;
  /** postgres://… (a server), a folder (PGlite on disk), or null (PGlite in memory). */
  database: string | null;
  /** redis://… for several hub processes; null: one process, no Redis. */
  redis: string | null;
  /**
   * From --token-file: stored as records (./tokens.ts), and any other token is refused
   * `unauthorized`; null: the tokens the database holds (`npm run hub -- token issue`), or
   * any token while the hub has never been given one.
   */
  tokens?: HubTokens | null;
  /** 'demo': the simulator's demo world drives the hub through its HTTP API. */
  world: 'demo' | 'none';
  /** The world's duty hours (its workers' phones clock in and out by them): 'day' (default) or 'always'. */
  duty?: DutyMode;
  seed: number;
  /** Towns seeded when missing: the demo town (null) or a generated county. */
  scale?: { towns: number; gridsPerTown: number } | null;
  /**
   * Seed a town the hub adds with the synthetic register (persons, houses, organisations,
   * visits, mediation files: issue 17), the simulator's own for the same seed. Default false:
   * a town already served is left as it is.
   */
  registers?: boolean;
  /** The world's step (positions every step). Default 5000 ms; 0: no timer (tests call world.step). */
  worldEveryMs?: number;
  eventsPerHour?: number;
  clock?: () => number;
  batchSize?: number;
  ackTimeoutMs?: number;
  /** Re-read the connected towns' logs this often (notices lost while Redis was away). Default 1000 ms. */
  pollMs?: number;
  log?: (line: string) => void;
}

export interface Hub {
  url: string;
  towns: string[];
  store: HubStore;
  server: LinkServer;
  world: DemoWorld | null;
  close(): Promise<void>;
}

/** The token file: one token for every town, or lines "<town code> <token>" (blank lines and # comments skipped). */
export function parseTokenFile(text: string): HubTokens {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw new Error('the token file has no token');
  if (lines.length === 1 && !/\s/.test(lines[0]!)) return { all: lines[0]!, byTown: new Map() };
  const byTown = new Map<string, string>();
  for (const line of lines) {
    const m = /^(\d{9})\s+(\S+)$/.exec(line);
    if (!m) throw new Error(`bad token file line (want "<9-digit town> <token>"): ${line.slice(0, 40)}`);
    byTown.set(m[1]!, m[2]!);
  }
  return { all: null, byTown };
}

function datasetsOf(seed: number, scale: HubOptions['scale']): TownDataset[] {
  if (!scale) return [generateTown({ seed })];
  return generateCounty({ seed, towns: scale.towns, gridsPerTown: scale.gridsPerTown }).towns;
}

/** The hub's store behind the link server: every answer comes from the database. */
function hubBackend(store: HubStore, watch: TokenWatch, log: (line: string) => void, rejected: (replica: string, town: string) => void): LinkBackend {
  const contacted = new Map<string, number>();
  const verifier = new TokenVerifier();
  return {
    admit: (auth) => admitTown(store, verifier, auth.town, auth.token, (t) => watch.admitted(auth.town, t)),
    parseCursor: (town, cursor) => store.parseCursor(town, cursor),
    readBatch: (r) => store.readBatch(r),
    lastNFor: (replica, town, fromSeq, toSeq) => store.lastNFor(replica, town, fromSeq, toSeq),
    mutate: (town, replica, raw, now) => {
      markContact(town);
      return store.mutate(town, replica, raw, now);
    },
    head: () => null,
    onChange: (listener) => {
      store.onChange(listener);
    },
    contact: (town) => markContact(town),
    rejected,
  };
  /** Last contact, written at most every 5 s per town (never in the way of a command). */
  function markContact(town: string): void {
    const now = Date.now();
    if (now - (contacted.get(town) ?? 0) < 5000) return;
    contacted.set(town, now);
    store.contact(town).catch((error: unknown) => log(`county hub: last contact of ${town} not written: ${String(error)}`));
  }
}

type Redis = ReturnType<typeof createClient>;

async function connectRedis(url: string, log: (line: string) => void): Promise<{ client: Redis; state: () => 'ready' | 'down' }> {
  const client: Redis = createClient({ url, socket: { reconnectStrategy: (retries: number) => Math.min(1000, 50 * (retries + 1)) } });
  let lastError = '';
  client.on('error', (error: Error) => {
    if (error.message !== lastError) log(`county hub: redis: ${error.message}`);
    lastError = error.message;
  });
  client.on('ready', () => {
    if (lastError !== '') log('county hub: redis: connected again');
    lastError = '';
  });
  await client.connect();
  return { client, state: () => (client.isReady ? 'ready' : 'down') };
}

export async function startHub(o: HubOptions): Promise<Hub> {
  const log = o.log ?? (() => {});
  const clock = o.clock ?? Date.now;
  const sql = await openSql(o.database);
  const store = await HubStore.open(sql).catch(async (error: unknown) => {
    await sql.close();
    throw error;
  });
  // The generated towns: for the world, and to seed what the database lacks (a restart on a seeded database skips it).
  const served = (await store.townCodes()).length;
  const sets = o.world === 'demo' || served < (o.scale?.towns ?? 1) ? datasetsOf(o.seed, o.scale ?? null) : [];
  const register = o.registers ? { seed: o.seed, now: clock() } : null;
  for (const ds of sets) if (await store.addTown(ds, register)) log(`county hub: added town ${ds.town.code} ${ds.town.name}${register ? ' with its synthetic register' : ''}`);
  const tokens = o.tokens ?? null;
  if (tokens) await loadTokenFile(store, tokens, log);
  const redis = o.redis === null ? null : await connectRedis(o.redis, log);
  const batchSize = Math.max(1, o.batchSize ?? 500);
  const ctx = { world: null as DemoWorld | null };
  const watch = new TokenWatch();
  const server: LinkServer = new LinkServer({
    backend: hubBackend(store, watch, log, (replica, town) => {
      if (redis) emitQuietly(server, 'hub:rejected', { replica, town }, log);
    }),
    name: 'county hub',
    port: o.port,
    // The HTTP API's token: the token file's one token, held in memory only (the operator's file).
    ...(tokens?.all ? { controlToken: tokens.all } : {}),
    batchSize,
    catchUpBatchSize: MAX_BATCH_ITEMS,
    ackTimeoutMs: Math.max(10, o.ackTimeoutMs ?? 10_000),
    now: clock,
    chaosRng: streamOf(o.seed, 'chaos'),
    log,
    control: (req): Promise<ControlResponse> => handleApi({ store, server, world: ctx.world, now: clock, redis: () => redis?.state() ?? 'none', started: Date.now() }, req),
    openPaths: ['/health'],
    ...(redis ? { adapter: createAdapter(redis.client) } : {}),
  });
  wireProcesses(server, store, redis !== null, log);
  const poll = setInterval(() => {
    const connected = server.connectedTowns();
    for (const town of connected) server.changed(town);
    dropChangedTokens(server, store, watch, connected, log);
  }, Math.max(50, o.pollMs ?? 1000));
  poll.unref();
  let url: string;
  try {
    url = await server.listen();
  } catch (error) {
    clearInterval(poll);
    await server.close();
    await redis?.client.quit().catch(() => undefined);
    await store.close();
    throw error;
  }
  const towns = await store.townCodes();
  let stopWorld = (): void => {};
  if (o.world === 'demo') {
    ctx.world = new DemoWorld({ url, ...(tokens?.all ? { token: tokens.all } : {}), seed: o.seed, towns: sets, clock, log, duty: o.duty ?? 'day', ...(o.eventsPerHour !== undefined ? { eventsPerHour: o.eventsPerHour } : {}) });
    // The workers' phones clock in (or stay out) before the hub says it serves: a town's first sync has their real duty.
    await ctx.world.clockIn(clock());
    const every = o.worldEveryMs ?? 5000;
    if (every > 0) stopWorld = ctx.world.start(Math.max(20, every));
  }
  log(`county hub on ${url} serving towns: ${towns.join(',')}`);
  return {
    url,
    towns,
    store,
    server,
    world: ctx.world,
    close: async () => {
      stopWorld();
      clearInterval(poll);
      await server.close();
      await redis?.client.quit().catch(() => undefined);
      await store.close();
    },
  };
}

/** A town whose token changed (issued, rotated, revoked) since its connections here were admitted: they are closed, and the town's next handshake meets the new token. */
function dropChangedTokens(server: LinkServer, store: HubStore, watch: TokenWatch, connected: string[], log: (line: string) => void): void {
  watch.changed(store, connected).then(
    (towns) => {
      for (const town of towns) log(`county hub: the token of town ${town} changed: ${server.dropTown(town)} connection(s) here closed`);
    },
    (error: unknown) => log(`county hub: tokens not checked: ${String(error)}`),
  );
}

/** A notice to the other hub processes; Redis away: their poll finds a change within a second. */
function emitQuietly(server: LinkServer, event: string, data: unknown, log: (line: string) => void): void {
  try {
    server.io.serverSideEmit(event, data);
  } catch (error) {
    log(`county hub: ${event} notice not sent: ${String(error)}`);
  }
}

/**
 * Commits of this process reach the other processes' connections, and theirs reach ours;
 * so does a rejection (its lastN is owed to the replica's connections wherever they are).
 */
function wireProcesses(server: LinkServer, store: HubStore, clustered: boolean, log: (line: string) => void): void {
  store.onChange((town) => {
    if (clustered) emitQuietly(server, 'hub:changed', town, log);
  });
  server.io.on('hub:changed', (town: unknown) => {
    if (typeof town === 'string') server.changed(town);
  });
  server.io.on('hub:rejected', (m: unknown) => {
    const { replica, town } = (m ?? {}) as { replica?: unknown; town?: unknown };
    if (typeof replica === 'string' && typeof town === 'string') server.announceLastN(replica, town);
  });
}
