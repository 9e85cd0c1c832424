// Benchmark 3: the data service's memory with N events (1,000,000 in the full run)
// in its replica, measured inside a child process running openDataService (replica,
// link, app API) exactly as the shells do: after opening, and after a set of
// events.list queries (risk order, filters, text search, a deep page). Baseline in
// the same run: the same service process on a replica that holds the town but no
// event. Also times each query through the API against the same SQL run directly.
import path from 'node:path';
import type { FromService, MemorySample, QueryTiming, ToService } from './memory-service';
import { ensureCatchUpCounty } from './lib/catchup-data';
import { benchQueries, buildTownReplica, ensureEventsReplica } from './lib/replica-data';
import type { BenchReport, Row } from './lib/report';
import { BENCH_DIR, fmtInt, fmtMb, fmtMs, fmtRatio, forkTs, scratchDir } from './lib/util';

export interface MemoryOptions {
  cacheDir: string;
  events: number;
  /** Timed calls per query (median kept). Default 5. */
  repeat?: number;
  /** Simulated events the big replica is copied from (the catch-up county of that size). Default min(events, 50,000). */
  templates?: number;
  log?: (line: string) => void;
}

export interface ServiceRun {
  openMs: number;
  opened: MemorySample;
  afterQueries: MemorySample;
  maxRss: number;
  queries: QueryTiming[];
}

export interface MemoryResult {
  report: BenchReport;
  big: ServiceRun;
  empty: ServiceRun;
  fileBytes: number;
}

/** Targets of docs/performance.md. */
export const MEMORY_TARGETS = { maxRssMb: 300, maxRssRatio: 2, maxQueryRatio: 2, queryGraceMs: 5 };

export async function runMemory(o: MemoryOptions): Promise<MemoryResult> {
  const log = o.log ?? (() => undefined);
  const repeat = Math.max(1, o.repeat ?? 5);
  const templates = o.templates ?? Math.min(o.events, 50_000);
  const replica = await ensureEventsReplica(o.cacheDir, o.events, templates, log);
  const county = await ensureCatchUpCounty(o.cacheDir, templates, 1, log);
  const queries = benchQueries(replica.values, o.events);
  const scratch = scratchDir('memory');
  try {
    const emptyFile = scratch.file('empty.sqlite');
    await buildTownReplica(emptyFile, county.file, county.town);
    log('memory: the data service on a replica with no event (baseline)…');
    const empty = await serviceRun(emptyFile, replica.town, queries, repeat);
    log(`memory: the data service on the replica of ${fmtInt(replica.events)} events, ${queries.length} queries × ${repeat + 1}…`);
    const big = await serviceRun(replica.file, replica.town, queries, repeat);

    const ratioOf = (a: number, b: number): string => fmtRatio(a / b);
    const rows: Row[] = [
      { name: 'RSS after opening', value: fmtMb(big.opened.rss), baseline: fmtMb(empty.opened.rss), ratio: ratioOf(big.opened.rss, empty.opened.rss), note: 'baseline: same service, replica without events' },
      { name: 'JS heap used after opening', value: fmtMb(big.opened.heapUsed), baseline: fmtMb(empty.opened.heapUsed), ratio: ratioOf(big.opened.heapUsed, empty.opened.heapUsed) },
      { name: 'RSS after the queries', value: fmtMb(big.afterQueries.rss), baseline: fmtMb(empty.afterQueries.rss), ratio: ratioOf(big.afterQueries.rss, empty.afterQueries.rss) },
      { name: 'JS heap used after the queries', value: fmtMb(big.afterQueries.heapUsed), baseline: fmtMb(empty.afterQueries.heapUsed), ratio: ratioOf(big.afterQueries.heapUsed, empty.afterQueries.heapUsed) },
      { name: 'peak RSS of the service process', value: fmtMb(big.maxRss), baseline: fmtMb(empty.maxRss), ratio: ratioOf(big.maxRss, empty.maxRss) },
      { name: 'opening the data service', value: fmtMs(big.openMs), baseline: fmtMs(empty.openMs), ratio: ratioOf(big.openMs, empty.openMs) },
      { name: 'replica file', value: fmtMb(replica.bytes), baseline: '—', ratio: '—', note: `${fmtInt(replica.events)} events; built once in ${fmtMs(replica.buildMs)} through Replica.applyBatch` },
    ];
    const slow: string[] = [];
    for (const q of big.queries) {
      const bound = q.rawMs * MEMORY_TARGETS.maxQueryRatio + MEMORY_TARGETS.queryGraceMs;
      if (q.serviceMs > bound) slow.push(q.name);
      rows.push({
        name: `events.list: ${q.name}`,
        value: fmtMs(q.serviceMs),
        baseline: fmtMs(q.rawMs),
        ratio: ratioOf(q.serviceMs, q.rawMs),
        note: `${fmtInt(q.total)} match; first call ${fmtMs(q.coldMs)}`,
      });
    }
    const rssMb = big.afterQueries.rss / 2 ** 20;
    const rssRatio = big.afterQueries.rss / empty.afterQueries.rss;
    const report: BenchReport = {
      name: 'memory',
      title: `the data service with ${fmtInt(replica.events)} events in its replica`,
      setup:
        `openDataService in a child process (county unreachable: link offline), memory after gc; queries through service.handle('events.list') ` +
        `vs the same SQL on a second connection; median of ${repeat} call(s) after a first one; page size 100`,
      rows,
      checks: [
        { name: 'RSS with the big replica, after the queries', measured: `${rssMb.toFixed(0)} MB`, target: `≤ ${MEMORY_TARGETS.maxRssMb} MB`, pass: rssMb <= MEMORY_TARGETS.maxRssMb },
        { name: 'RSS vs the empty replica, after the queries', measured: fmtRatio(rssRatio), target: `≤ ${MEMORY_TARGETS.maxRssRatio}×`, pass: rssRatio <= MEMORY_TARGETS.maxRssRatio },
        {
          name: 'events.list through the API vs its SQL',
          measured: slow.length === 0 ? 'all within' : `${slow.length} slower: ${slow.join('; ')}`,
          target: `each ≤ ${MEMORY_TARGETS.maxQueryRatio}× SQL + ${MEMORY_TARGETS.queryGraceMs} ms`,
          pass: slow.length === 0,
        },
      ],
      verified: [
        `${big.queries.every((q) => q.sameTotal) ? 'ok' : 'MISMATCH'}: every query counts the same rows through the API and as SQL`,
        `${big.queries[0]?.total === replica.events ? 'ok' : 'MISMATCH'}: the service sees ${fmtInt(big.queries[0]?.total ?? 0)} events (${fmtInt(replica.events)} built)`,
      ],
    };
    return { report, big, empty, fileBytes: replica.bytes };
  } finally {
    scratch.cleanup();
  }
}

async function serviceRun(db: string, town: string, queries: { name: string; args: unknown }[], repeat: number): Promise<ServiceRun> {
  const child = forkTs<ToService, FromService>(path.join(BENCH_DIR, 'memory-service.ts'), ['--db', db, '--town', town], {
    execArgv: ['--expose-gc'],
    stop: { type: 'stop' },
  });
  try {
    const opened = await child.next((m): m is Extract<FromService, { type: 'opened' }> => m.type === 'opened', 'the data service to open', 300_000);
    child.send({ type: 'run', queries, repeat });
    const done = await child.next((m): m is Exclude<FromService, { type: 'opened' }> => m.type === 'done' || m.type === 'error', 'the queries', 1_800_000);
    if (done.type === 'error') throw new Error(`the data service failed: ${done.message}`);
    return { openMs: opened.openMs, opened: opened.memory, afterQueries: done.afterQueries, maxRss: done.maxRss, queries: done.queries };
  } finally {
    await child.stop(30_000);
  }
}
