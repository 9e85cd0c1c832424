// `npm run bench:queue [-- --events N] [-- --repeat R] [-- --cache DIR] [-- --cases PREFIX]`
//
// The dispatcher console's queue over a replica of 1,000,000 events: opening it (the
// first page in the default risk order and the tab counts) and filtering it (a tab,
// a village, a category group, a text search; a page deep in a scrolled queue),
// each through the data service's app API (validation, the replica's query, the
// page's documents parsed) against the same SQL run directly on SQLite in the same
// run. Ratios, never timed tests: these machines are shared and noisy.
//
// The replica is the bench suite's cached one (tests/bench/lib/replica-data.ts,
// under .griddeck/bench/), built on first use (minutes for a million events).
//
// Opening the queue (first page + every tab's count) is also timed on its own, many
// times, for its p95 against an absolute bound (QUEUE_TARGETS.openP95Ms): the
// unfiltered totals and counts come from the replica's counters (event_counts,
// event_due_counts), while the baseline still counts the rows as the SQL used to.
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import type { ParsedArgsOf, ResultOf } from '../../core/api/contract';
import { EventsListArgsSchema } from '../../core/api/contract';
import { createClient } from '../../core/api/client';
import type { ApiResponse } from '../../core/api/contract';
import { createReplicaService } from '../../electron/service/replica-service';
import { Replica } from '../../electron/service/replica/replica';
import { eventFilterSql, overdueRiskBound } from '../../electron/service/replica/event-index';
import type { SqlValue, SqliteDatabase, Statement } from '../../electron/service/db/sqlite';
import { openRaw, rawEventsList } from './lib/raw';
import { ensureEventsReplica } from './lib/replica-data';
import { formatCheck, formatTable, type BenchReport, type Check, type Row } from './lib/report';
import { DEFAULT_CACHE_DIR, cpuMs, fmtInt, fmtMs, fmtRatio, median } from './lib/util';

/** The console must not make the queue much slower than SQLite itself: the service's time within 2× raw (+5 ms of fixed cost). */
export const QUEUE_TARGETS = { maxRatio: 2, graceMs: 5, openP95Ms: 30, openRounds: 40 };

type Filter = Omit<ParsedArgsOf<'events.counts'>, never>;
type ListArgs = ParsedArgsOf<'events.list'>;

interface Case {
  name: string;
  list?: Partial<ListArgs> & Record<string, unknown>;
  counts?: Filter;
}

// ---------------------------------------------------------------- the baseline: the same SQL, directly

/** The service's own WHERE building (event-index.ts), so the baseline filters exactly as the service does. */
function where(filter: Filter, nowMs: number): { clause: string; params: SqlValue[] } {
  const { where: w, params } = eventFilterSql(filter, nowMs);
  return { clause: w.length > 0 ? `WHERE ${w.join(' AND ')}` : '', params };
}

function prepared(db: SqliteDatabase, cache: Map<string, Statement>, sql: string): Statement {
  let st = cache.get(sql);
  if (!st) {
    st = db.prepare(sql);
    cache.set(sql, st);
  }
  return st;
}

/** The tab counts as one GROUP BY (what Replica.countEvents runs under a filter, and ran for every count before the counters). */
function rawCounts(db: SqliteDatabase, cache: Map<string, Statement>, filter: Filter, nowMs: number): { all: number; overdue: number; byStatus: string } {
  const { clause, params } = where(filter, nowMs);
  const rows = prepared(db, cache, `SELECT status, COUNT(*) AS c, SUM(risk < ?) AS overdue FROM events ${clause} GROUP BY status`).all(
    overdueRiskBound(nowMs),
    ...params,
  ) as { status: string; c: number; overdue: number | null }[];
  const byStatus = rows.filter((r) => r.c > 0).map((r) => `${r.status} ${r.c}`).sort().join(', ');
  return { all: rows.reduce((s, r) => s + r.c, 0), overdue: rows.reduce((s, r) => s + (r.overdue ?? 0), 0), byStatus };
}

const byStatusText = (byStatus: Record<string, number>): string =>
  Object.entries(byStatus)
    .filter(([, c]) => c > 0)
    .map(([s, c]) => `${s} ${c}`)
    .sort()
    .join(', ');

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

// ---------------------------------------------------------------- the run

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

async function main(): Promise<void> {
  const events = Number(arg('events', '1000000'));
  const repeat = Math.max(1, Number(arg('repeat', '7')));
  const cacheDir = arg('cache', DEFAULT_CACHE_DIR);
  const templates = Math.min(events, events >= 1_000_000 ? 50_000 : 5_000);
  const log = (line: string): void => console.log(`  … ${line}`);
  console.log(
    `GridDeck benchmark: the console's queue\n${new Date().toISOString()} · Node ${process.version} · ${cpus().length} cores · load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );

  const data = await ensureEventsReplica(cacheDir, events, templates, log);
  const v = data.values;
  const replica = await Replica.open({ file: data.file, town: data.town, log: { info: () => undefined, warn: () => undefined } });
  const service = createReplicaService({ replica, clock: Date.now, log: { error: (m, d) => console.error(m, d) } });
  const client = createClient((method, args) => service.handle(method, args) as Promise<ApiResponse>);
  const raw = openRaw(data.file, true);
  const cache = new Map<string, Statement>();

  const deep = Math.min(50_000, Math.floor(events / 20));
  const cases: Case[] = [
    { name: 'open: first page (risk order)', list: {} },
    { name: 'open: tab counts (all tabs, one call)', counts: {} },
    { name: 'tab 待受理 (status reported)', list: { status: ['reported'] } },
    { name: 'tab 处置中 (status dispatched)', list: { status: ['dispatched'] } },
    { name: 'tab 超时 (overdue)', list: { overdue: true } },
    { name: `filter grid: a village (${v.village})`, list: { grid: v.village }, counts: { grid: v.village } },
    { name: `filter grid: one grid (${v.grid})`, list: { grid: v.grid }, counts: { grid: v.grid } },
    { name: `filter category group ${v.categoryGroup}`, list: { category: v.categoryGroup }, counts: { category: v.categoryGroup } },
    { name: `filter text, ${[...v.text5].length} chars (FTS)`, list: { text: v.text5 }, counts: { text: v.text5 } },
    { name: `filter text, ${[...v.text2].length} chars (LIKE scan)`, list: { text: v.text2 }, counts: { text: v.text2 } },
    { name: `scrolled: page at row ${fmtInt(deep)}`, list: { paging: { offset: deep, limit: 100 } } },
  ];

  // `--cases open` (a prefix of the case names) runs only those: a quick re-run of opening the queue.
  const only = arg('cases', '');
  if (only !== '') cases.splice(0, cases.length, ...cases.filter((c) => c.name.startsWith(only)));

  const rows: Row[] = [];
  const checks: Check[] = [];
  const verified: string[] = [];
  let openService = 0;
  let openRawMs = 0;
  let openClient: number;
  let open: OpenTimes;
  try {
    for (const c of cases) {
      const listArgs = c.list ? EventsListArgsSchema.parse(c.list) : null;
      const now = Date.now();
      const serviceOnce = async (): Promise<{ total: number | null; all: number | null }> => {
        let total: number | null = null;
        let all: number | null = null;
        if (c.list) {
          const r = await service.handle('events.list', c.list);
          if (!r.ok) throw new Error(`${c.name}: ${r.error.message}`);
          total = (r.result as ResultOf<'events.list'>).total;
        }
        if (c.counts) {
          const r = await service.handle('events.counts', c.counts);
          if (!r.ok) throw new Error(`${c.name}: ${r.error.message}`);
          all = (r.result as ResultOf<'events.counts'>).all;
        }
        return { total, all };
      };
      const rawOnce = (): { total: number | null; all: number | null } => {
        let total: number | null = null;
        let all: number | null = null;
        if (listArgs) total = rawEventsList(raw, listArgs, cache, now).total;
        if (c.counts) all = rawCounts(raw, cache, c.counts, now).all;
        return { total, all };
      };
      // One untimed round each (statements prepared, pages in the OS cache), then interleaved timed rounds.
      const first = await serviceOnce();
      const base = rawOnce();
      const ts: number[] = [];
      const tr: number[] = [];
      for (let i = 0; i < repeat; i++) {
        let t0 = performance.now();
        await serviceOnce();
        ts.push(performance.now() - t0);
        t0 = performance.now();
        rawOnce();
        tr.push(performance.now() - t0);
      }
      const s = median(ts);
      const r = median(tr);
      const same = first.total === base.total && first.all === base.all;
      verified.push(`${same ? 'ok' : 'MISMATCH'} ${c.name}: service ${first.total ?? '-'} / ${first.all ?? '-'}, SQL ${base.total ?? '-'} / ${base.all ?? '-'}`);
      const matched = [first.total !== null ? `${fmtInt(first.total)} rows` : null, first.all !== null ? `${fmtInt(first.all)} counted` : null].filter(Boolean).join(', ');
      rows.push({ name: c.name, value: fmtMs(s), baseline: fmtMs(r), ratio: fmtRatio(s / r), note: matched });
      if (c.name.startsWith('open:')) {
        openService += s;
        openRawMs += r;
      }
      checks.push({
        name: `console queue: ${c.name}`,
        measured: `${fmtMs(s)} vs ${fmtMs(r)} SQL`,
        target: `≤ ${QUEUE_TARGETS.maxRatio}× SQL + ${QUEUE_TARGETS.graceMs} ms`,
        pass: s <= QUEUE_TARGETS.maxRatio * r + QUEUE_TARGETS.graceMs,
      });
    }
    // What the renderer's typed client adds on top (argument and result schemas) for the first page.
    await client.call('events.list', {});
    const tc: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const t0 = performance.now();
      await client.call('events.list', {});
      await client.call('events.counts', {});
      tc.push(performance.now() - t0);
    }
    openClient = median(tc);
    open = await measureOpen(service, raw, cache, QUEUE_TARGETS.openRounds);
    verified.push(open.verified);
    const t0 = performance.now();
    const mismatches = replica.counterMismatches();
    verified.push(
      `${mismatches.length === 0 ? 'ok' : 'MISMATCH'} the queue counters equal a recount of the ${fmtInt(data.events)} events (${fmtMs(performance.now() - t0)})${mismatches.length > 0 ? `: ${mismatches.slice(0, 3).join('; ')}` : ''}`,
    );
  } finally {
    raw.close();
    await service.close();
    await replica.close();
  }

  rows.unshift(
    {
      name: 'OPEN THE QUEUE (first page + counts)',
      value: fmtMs(openService),
      baseline: fmtMs(openRawMs),
      ratio: fmtRatio(openService / openRawMs),
      note: `with the client's result checks: ${fmtMs(openClient)}`,
    },
    {
      name: `open the queue, p95 of ${open.rounds} (list + counts, one timing)`,
      value: fmtMs(open.serviceP95),
      baseline: fmtMs(open.rawP95),
      ratio: fmtRatio(open.serviceP95 / open.rawP95),
      note: `median ${fmtMs(open.serviceMedian)} vs ${fmtMs(open.rawMedian)}; baseline: the same page with COUNT(*) and GROUP BY`,
    },
    {
      name: `open the queue, p95 of its CPU time`,
      value: fmtMs(open.serviceCpuP95),
      baseline: fmtMs(open.rawCpuP95),
      ratio: fmtRatio(open.serviceCpuP95 / open.rawCpuP95),
      note: 'CPU time: the work itself, without waiting for the CPU or the disk',
    },
  );
  checks.unshift({
    name: 'console queue: open the queue (first page + counts), p95',
    measured: fmtMs(open.serviceP95),
    target: `≤ ${QUEUE_TARGETS.openP95Ms} ms`,
    pass: open.serviceP95 <= QUEUE_TARGETS.openP95Ms,
  });
  console.log(`\n== queue: the console's queue over ${fmtInt(data.events)} events (${(data.bytes / 2 ** 30).toFixed(1)} GB replica), median of ${repeat}`);
  console.log('value: through the data service (app API: args checked, query, page parsed); baseline: the same SQL on SQLite directly\n');
  console.log(formatTable(rows));
  console.log('');
  for (const line of verified) console.log(`verified: ${line}`);
  console.log('');
  for (const c of checks) console.log(formatCheck(c));
  const warned = checks.filter((c) => !c.pass).length;
  console.log(`\n${checks.length - warned} PASS, ${warned} WARN`);
  if (verified.some((line) => !line.startsWith('ok'))) {
    console.log('the service and SQL disagree on what the queue holds');
    process.exitCode = 1;
  }
}

interface OpenTimes {
  rounds: number;
  serviceP95: number;
  serviceMedian: number;
  rawP95: number;
  rawMedian: number;
  /** CPU time of the same calls (the process's user + system): the work itself, without the waits of a loaded machine. */
  serviceCpuP95: number;
  rawCpuP95: number;
  verified: string;
}

/**
 * Opening the queue as the console does (events.list with the defaults and
 * events.counts without a filter), timed as one, `rounds` times, alternating with the
 * same SQL directly: the page, its COUNT(*) and the GROUP BY of the tab counts.
 */
async function measureOpen(service: ReturnType<typeof createReplicaService>, raw: SqliteDatabase, cache: Map<string, Statement>, rounds: number): Promise<OpenTimes> {
  const listArgs = EventsListArgsSchema.parse({});
  const serviceOnce = async (): Promise<{ total: number; counts: ResultOf<'events.counts'> }> => {
    const list = await service.handle('events.list', {});
    const counts = await service.handle('events.counts', {});
    if (!list.ok || !counts.ok) throw new Error('opening the queue failed');
    return { total: (list.result as ResultOf<'events.list'>).total, counts: counts.result as ResultOf<'events.counts'> };
  };
  const rawOnce = (now: number): { total: number; counts: ReturnType<typeof rawCounts> } => ({
    total: rawEventsList(raw, listArgs, cache, now).total,
    counts: rawCounts(raw, cache, {}, now),
  });
  const first = await serviceOnce();
  const base = rawOnce(Date.now());
  const ts: number[] = [];
  const tr: number[] = [];
  const cs: number[] = [];
  const cr: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let c0 = cpuMs();
    let t0 = performance.now();
    await serviceOnce();
    ts.push(performance.now() - t0);
    cs.push(cpuMs() - c0);
    c0 = cpuMs();
    t0 = performance.now();
    rawOnce(Date.now());
    tr.push(performance.now() - t0);
    cr.push(cpuMs() - c0);
  }
  const same =
    first.total === base.total &&
    first.counts.all === base.counts.all &&
    first.counts.overdue === base.counts.overdue &&
    byStatusText(first.counts.byStatus) === base.counts.byStatus;
  return {
    rounds,
    serviceP95: percentile(ts, 95),
    serviceMedian: median(ts),
    rawP95: percentile(tr, 95),
    rawMedian: median(tr),
    serviceCpuP95: percentile(cs, 95),
    rawCpuP95: percentile(cr, 95),
    verified: `${same ? 'ok' : 'MISMATCH'} open the queue: service total ${fmtInt(first.total)}, ${fmtInt(first.counts.overdue)} overdue, ${byStatusText(first.counts.byStatus)}; SQL total ${fmtInt(base.total)}, ${fmtInt(base.counts.overdue)} overdue, ${base.counts.byStatus}`,
  };
}

export interface QueueOpenOptions {
  cacheDir: string;
  events: number;
  rounds: number;
  log?: (line: string) => void;
}

/**
 * For `npm run bench`: opening the queue (the first page and every tab count, as the
 * console does) over a replica of `events` events, `rounds` times, against the same
 * SQL counting the rows in the same run; the p95 against QUEUE_TARGETS.openP95Ms.
 */
export async function runQueueOpen(o: QueueOpenOptions): Promise<{ report: BenchReport }> {
  const templates = Math.min(o.events, o.events >= 1_000_000 ? 50_000 : 5_000);
  const data = await ensureEventsReplica(o.cacheDir, o.events, templates, o.log ?? (() => undefined));
  const replica = await Replica.open({ file: data.file, town: data.town, log: { info: () => undefined, warn: () => undefined } });
  const service = createReplicaService({ replica, clock: Date.now, log: { error: (m, d) => console.error(m, d) } });
  const raw = openRaw(data.file, true);
  try {
    const open = await measureOpen(service, raw, new Map(), o.rounds);
    const mismatches = replica.counterMismatches();
    return {
      report: {
        name: 'queue',
        title: `the console's queue opened over ${fmtInt(data.events)} events`,
        setup: `${open.rounds} rounds, each alternating the service (events.list + events.counts, with the kept counters) and the same SQL counting rows`,
        rows: [
          { name: `open the queue, p95 of ${open.rounds}`, value: fmtMs(open.serviceP95), baseline: fmtMs(open.rawP95), ratio: fmtRatio(open.serviceP95 / open.rawP95), note: `median ${fmtMs(open.serviceMedian)} vs ${fmtMs(open.rawMedian)}` },
          { name: 'open the queue, p95 of its CPU time', value: fmtMs(open.serviceCpuP95), baseline: fmtMs(open.rawCpuP95), ratio: fmtRatio(open.serviceCpuP95 / open.rawCpuP95), note: 'the work itself, without waits for the CPU' },
        ],
        checks: [{ name: 'open the queue (first page + counts), p95', measured: fmtMs(open.serviceP95), target: `≤ ${QUEUE_TARGETS.openP95Ms} ms`, pass: open.serviceP95 <= QUEUE_TARGETS.openP95Ms }],
        verified: [open.verified, `${mismatches.length === 0 ? 'ok' : 'MISMATCH'} the queue counters equal a recount`],
      },
    };
  } finally {
    raw.close();
    await service.close();
    await replica.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
}
