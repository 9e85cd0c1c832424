// The catch-up county: the county simulator's own database after a week of the demo
// town's activity at a high rate, so a fresh replica has N queued event changes to
// receive, each event as the simulated departments, workers and dispatchers left it
// (accepted, dispatched, fed back, verified, closed, returned, overdue…). Built once
// by the simulator itself and kept under the cache directory, keyed by version, seed
// and size.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GridEvent } from '../../../core/model';
import { parseIso } from '../../../core/time/shanghai';
import { startCountySimulator } from '../../../county/simulator/index';
import { MAX_BATCH_ITEMS, batchOf, nextBatchSize, readBatch } from '../../../county/simulator/batches';
import { CountyStore } from '../../../county/simulator/store';
import { dropOtherVersions, ensureDir } from './util';

/** Bump when the way the county is built changes, so a cached file is not reused. */
export const CATCHUP_DATA_VERSION = 1;
/** A Monday, midnight in Shanghai: the week of activity starts here. */
const START = parseIso('2026-11-16T00:00:00+08:00');
const DAYS = 7;
const HOUR = 3_600_000;

export interface CatchUpCounty {
  /** The simulator's database (read-only use: copy it before serving it). */
  file: string;
  town: string;
  events: number;
  /** How long the simulator took to make it (absent in files of older builds). */
  buildMs?: number;
}

export async function ensureCatchUpCounty(cacheDir: string, events: number, seed = 1, log: (line: string) => void = () => undefined): Promise<CatchUpCounty> {
  const file = path.join(ensureDir(cacheDir), `catchup-county-v${CATCHUP_DATA_VERSION}-s${seed}-e${events}.sqlite`);
  const metaFile = `${file}.json`;
  if (existsSync(file) && existsSync(metaFile)) return JSON.parse(readFileSync(metaFile, 'utf8')) as CatchUpCounty;

  dropOtherVersions(cacheDir, 'catchup-county', CATCHUP_DATA_VERSION);
  log(`building the catch-up county (${events.toLocaleString('en-US')} events, simulated by the county simulator; kept in ${cacheDir})…`);
  const building = `${file}.building`;
  for (const f of [building, `${building}-wal`, `${building}-shm`]) rmSync(f, { force: true });
  // Arrivals bring about 90 % of the events over the week; the rest are reported at its end.
  const t0 = performance.now();
  const perHour = (0.9 * events) / (DAYS * 24);
  const sim = await startCountySimulator({
    port: 0,
    seed,
    dbFile: building,
    clock: () => START,
    activity: { manual: true, eventsPerHour: perHour, autoDispatchAfterMs: 10 * 60_000 },
  });
  const town = sim.towns[0]!;
  try {
    for (let h = 0; h < DAYS * 24; h++) sim.tick(HOUR);
    const have = sim.snapshot(town).events.length;
    for (let i = have; i < events; i++) sim.createEvent(town);
  } finally {
    await sim.close();
  }
  const count = countyEvents(building, town).length;
  renameSync(building, file);
  const buildMs = performance.now() - t0;
  const meta: CatchUpCounty = { file, town, events: count, buildMs };
  log(`built the catch-up county in ${(buildMs / 1000).toFixed(1)} s`);
  writeFileSync(metaFile, JSON.stringify(meta));
  return meta;
}

/** The events of a town as the county stores them (their latest version). */
export function countyEvents(file: string, town: string): GridEvent[] {
  const store = new CountyStore(file);
  try {
    return store
      .entities()
      .filter((e) => e.town === town && e.type === 'event' && !e.deleted)
      .map((e) => ({ ...(e.data as Omit<GridEvent, 'id'>), id: e.id }) as GridEvent);
  } finally {
    store.close();
  }
}

export interface Paging {
  /** The county's batchSize: its first batch, and live changes. Default 500. */
  batchSize?: number;
  /** The county's catchUpBatchSize: the batches grow up to it while the town catches up. Default the county's (5,000). */
  catchUpBatchSize?: number;
}

/**
 * The batches the county sends a town from an empty cursor: its change log paged exactly as
 * the simulator pages it (county/simulator/batches.ts: batchSize first, doubling while more,
 * up to catchUpBatchSize). `catchUpBatchSize` equal to `batchSize` gives fixed pages.
 */
export function countyBatches(file: string, town: string, paging: Paging = {}): { from: string | null; to: string; more: boolean; items: unknown[] }[] {
  const base = paging.batchSize ?? 500;
  const max = Math.max(base, paging.catchUpBatchSize ?? MAX_BATCH_ITEMS);
  const store = new CountyStore(file);
  try {
    const out: { from: string | null; to: string; more: boolean; items: unknown[] }[] = [];
    let seq = 0;
    let limit = base;
    let first: { presented: null; reset: false } | null = { presented: null, reset: false };
    for (;;) {
      const next = readBatch(store, { town, replica: BENCH_REPLICA, afterSeq: seq, limit, first });
      if (next === null) return out;
      const { from, to, more, items } = batchOf(next);
      out.push({ from, to, more, items });
      if (!more) return out;
      first = null;
      seq = next.toSeq;
      limit = nextBatchSize(items.length, more, base, max);
    }
  } finally {
    store.close();
  }
}

/** No command of this replica is ever settled: lastN stays null, as for the benchmark's fresh replicas. */
const BENCH_REPLICA = '00000000-0000-4000-8000-00000000b0b0';
