// The county hub's throughput (npm run bench -- --only hub):
//   scale: a real PostgreSQL 15 (and Redis for several processes) on loopback, a county of
//   `towns` towns; each town is a raw county-link-v1 client (socket.io) that sends
//   `mutates` commands one after another (event.create, then event.comment on it), as a
//   town's outbox does, and applies the `changes` that come back;
//   measured: mutates per second (sent to all answered) and changes per second (items
//   received by the towns until each holds all its events at their last revision), through
//   one hub process, then through three (the towns spread over them, Redis between them);
//   baseline: the same writes straight into PostgreSQL in the same run (per command one
//   transaction: the town row locked, the event upserted, its change logged, the head
//   moved, the answer and the replica's n stored), with as many concurrent writers as towns.
// The ratio of three processes to one shows how the hub scales on this machine; both
// against the baseline show what the protocol, the transition and Socket.IO cost.
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { TestTown } from '../../county/simulator/test-client';
import { formatReport, type BenchReport } from './lib/report';
import { fmtRatio } from './lib/util';
import { HubProcess, freePort, startPostgres, startRedis } from '../hub/servers';

export interface HubBenchOptions {
  towns: number;
  /** Commands per town. */
  mutates: number;
  log?: (line: string) => void;
}

interface Rates {
  mutatesPerSec: number;
  changesPerSec: number;
  mutates: number;
  changes: number;
}

export interface HubBenchResult {
  raw: Rates;
  one: Rates;
  three: Rates;
  report: BenchReport;
}

const AT = '2026-11-30T09:00:00+08:00';

/** Hub processes on a fresh database; the towns connect round robin; every town sends its commands; rates. */
async function throughHubs(db: string, redis: string | null, processes: number, o: HubBenchOptions): Promise<Rates> {
  const args = ['--database', db, '--world', 'none', '--towns', String(o.towns), '--grids-per-town', '6', '--seed', '9', ...(redis ? ['--redis', redis] : [])];
  const hubs: HubProcess[] = [];
  for (let i = 0; i < processes; i++) hubs.push(new HubProcess(i, await freePort(), args, o.log ?? (() => undefined)));
  const towns: TestTown[] = [];
  try {
    await hubs[0]!.start();
    await Promise.all(hubs.slice(1).map((h) => h.start()));
    const codes = ((await (await fetch(`${hubs[0]!.url}/api/towns`)).json()) as { code: string }[]).map((t) => t.code);
    for (const [i, code] of codes.entries()) towns.push(await TestTown.connect(hubs[i % processes]!.url, { town: code }));
    await Promise.all(towns.map((t) => t.synced(120_000)));
    const grid = (t: TestTown): string => [...t.state.entries()].find(([k, v]) => k.startsWith('grid/') && (v.data as { level?: number }).level === 3)![0].slice(5);
    const before = towns.map((t) => t.batches.reduce((a, b) => a + b.items.length, 0));
    const started = performance.now();
    const ids = await Promise.all(towns.map((t) => sendAll(t, grid(t), o.mutates)));
    const answered = performance.now();
    // Every town holds each of its events at its last revision (create, then a comment: rev 2).
    await Promise.all(towns.map((t, i) => t.until(() => ids[i]!.every((id) => t.state.get(`event/${id}`)?.rev === 2 || (o.mutates % 2 === 1 && id === ids[i]!.at(-1))), 'every change', 120_000)));
    const received = performance.now();
    const changes = towns.reduce((a, t, i) => a + t.batches.reduce((x, b) => x + b.items.length, 0) - before[i]!, 0);
    const mutates = towns.length * o.mutates;
    return { mutates, changes, mutatesPerSec: mutates / ((answered - started) / 1000), changesPerSec: changes / ((received - started) / 1000) };
  } finally {
    for (const t of towns) t.close();
    await Promise.all(hubs.map((h) => h.kill('SIGTERM')));
  }
}

/** One town's outbox: event.create, then event.comment on it, one at a time, each after its answer. */
async function sendAll(t: TestTown, grid: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 1; n <= count; n++) {
    const create = n % 2 === 1;
    const id = create ? randomUUID() : ids[ids.length - 1]!;
    if (create) ids.push(id);
    const args = create
      ? { id, code: `BH-${n}`, title: '压测事件', description: '吞吐测试', category: '0301', urgency: 'normal', source: 'hotline', location: { lon: 112.9, lat: 28.6, address: '压测点' }, grid }
      : { id, note: `跟进 ${n}` };
    const ack = await t.mutate(t.command(n, create ? 'event.create' : 'event.comment', args, AT), 60_000);
    if (ack.status !== 'applied') throw new Error(`command ${n} of ${t.auth.town} was ${JSON.stringify(ack)}`);
  }
  return ids;
}

/** The baseline: the same rows written straight into PostgreSQL, one transaction per command, one writer per town. */
async function straightIntoPostgres(url: string, o: HubBenchOptions): Promise<Rates> {
  const pool = new pg.Pool({ connectionString: url, max: o.towns });
  try {
    await pool.query(`CREATE TABLE towns (code text PRIMARY KEY, head bigint NOT NULL DEFAULT 0);
      CREATE TABLE entities (town text, type text, id text, rev integer, deleted boolean, data text, PRIMARY KEY (town, type, id));
      CREATE TABLE changes (town text, seq bigint, type text, id text, PRIMARY KEY (town, seq), UNIQUE (town, type, id));
      CREATE TABLE replicas (replica text PRIMARY KEY, town text, last_n integer);
      CREATE TABLE settled (replica text, n integer, name text, status text, code text, message text, covered_seq bigint, keys text, PRIMARY KEY (replica, n));`);
    const codes = Array.from({ length: o.towns }, (_, i) => `4306241${String(i + 1).padStart(2, '0')}`);
    for (const code of codes) await pool.query('INSERT INTO towns (code) VALUES ($1)', [code]);
    const data = JSON.stringify({ code: 'BH-1', title: '压测事件', status: 'reported', history: [{ at: AT, actor: 'town', action: 'event.create', note: '' }] });
    const started = performance.now();
    await Promise.all(
      codes.map(async (town) => {
        const replica = randomUUID();
        let id = '';
        for (let n = 1; n <= o.mutates; n++) {
          if (n % 2 === 1) id = randomUUID();
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            const head = Number((await client.query<{ head: string }>('SELECT head FROM towns WHERE code = $1 FOR UPDATE', [town])).rows[0]!.head) + 1;
            await client.query('SELECT status FROM settled WHERE replica = $1 AND n = $2', [replica, n]);
            await client.query(
              'INSERT INTO entities VALUES ($1, $2, $3, 1, false, $4) ON CONFLICT (town, type, id) DO UPDATE SET rev = entities.rev + 1, data = excluded.data',
              [town, 'event', id, data],
            );
            await client.query('INSERT INTO changes VALUES ($1, $2, $3, $4) ON CONFLICT (town, type, id) DO UPDATE SET seq = excluded.seq', [town, head, 'event', id]);
            await client.query('UPDATE towns SET head = $1 WHERE code = $2', [head, town]);
            await client.query("INSERT INTO settled VALUES ($1, $2, 'event.create', 'applied', NULL, NULL, $3, '[]')", [replica, n, head]);
            await client.query('INSERT INTO replicas VALUES ($1, $2, $3) ON CONFLICT (replica) DO UPDATE SET last_n = excluded.last_n', [replica, town, n]);
            await client.query('COMMIT');
          } finally {
            client.release();
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const mutates = o.towns * o.mutates;
    return { mutates, changes: mutates, mutatesPerSec: mutates / seconds, changesPerSec: mutates / seconds };
  } finally {
    await pool.end();
  }
}

export async function runHubBench(o: HubBenchOptions): Promise<HubBenchResult> {
  const log = o.log ?? (() => undefined);
  const pgServer = await startPostgres();
  const redis = await startRedis();
  try {
    const admin = new pg.Client({ connectionString: pgServer.url });
    await admin.connect();
    for (const db of ['bench_raw', 'bench_one', 'bench_three']) await admin.query(`CREATE DATABASE ${db}`);
    await admin.end();
    const dbUrl = (name: string): string => pgServer.url.replace(/\/postgres$/, `/${name}`);
    log(`straight into PostgreSQL: ${o.towns} writers × ${o.mutates} commands`);
    const raw = await straightIntoPostgres(dbUrl('bench_raw'), o);
    log(`one hub process: ${o.towns} towns × ${o.mutates} commands`);
    const one = await throughHubs(dbUrl('bench_one'), null, 1, o);
    log(`three hub processes and Redis: ${o.towns} towns × ${o.mutates} commands`);
    const three = await throughHubs(dbUrl('bench_three'), redis.url, 3, o);
    const rate = (v: number): string => `${v.toFixed(0)}/s`;
    const verified = [
      one.changes >= one.mutates ? `ok: one process: ${one.changes} changes reached the towns for ${one.mutates} commands` : `one process: only ${one.changes} changes for ${one.mutates} commands`,
      three.changes >= three.mutates ? `ok: three processes: ${three.changes} changes reached the towns for ${three.mutates} commands` : `three processes: only ${three.changes} changes for ${three.mutates} commands`,
    ];
    const report: BenchReport = {
      name: 'hub',
      title: 'county hub: mutates and changes per second, one process and three, against writes straight into PostgreSQL',
      setup: `${o.towns} towns × ${o.mutates} commands (event.create, event.comment), PostgreSQL 15 on loopback, load ${loadavg()[0]!.toFixed(1)}`,
      rows: [
        { name: 'mutates, one hub process', value: rate(one.mutatesPerSec), baseline: rate(raw.mutatesPerSec), ratio: fmtRatio(one.mutatesPerSec / raw.mutatesPerSec), note: 'baseline: straight into PostgreSQL' },
        { name: 'mutates, three hub processes', value: rate(three.mutatesPerSec), baseline: rate(raw.mutatesPerSec), ratio: fmtRatio(three.mutatesPerSec / raw.mutatesPerSec) },
        { name: 'changes to the towns, one process', value: rate(one.changesPerSec), baseline: rate(raw.changesPerSec), ratio: fmtRatio(one.changesPerSec / raw.changesPerSec) },
        { name: 'changes to the towns, three processes', value: rate(three.changesPerSec), baseline: rate(raw.changesPerSec), ratio: fmtRatio(three.changesPerSec / raw.changesPerSec) },
        { name: 'mutates, three processes / one', value: rate(three.mutatesPerSec), baseline: rate(one.mutatesPerSec), ratio: fmtRatio(three.mutatesPerSec / one.mutatesPerSec), note: 'how the hub scales here (2 cores)' },
      ],
      checks: [],
      verified,
    };
    return { raw, one, three, report };
  } finally {
    await redis.stop();
    await pgServer.stop();
  }
}

/** `npx tsx tests/bench/hub.ts [towns] [mutates]`: this benchmark alone. */
if (process.argv[1]?.endsWith('tests/bench/hub.ts')) {
  const towns = Number(process.argv[2] ?? 12);
  const mutates = Number(process.argv[3] ?? 100);
  const r = await runHubBench({ towns, mutates, log: (l) => console.log(`  … ${l}`) });
  console.log(formatReport(r.report));
}
