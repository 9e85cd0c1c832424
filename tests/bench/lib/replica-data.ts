// The memory benchmark's big replica: N events in one town's replica file, made
// from the catch-up county's simulated events (realistic size and status mix),
// copied back in time in two-week steps with new ids and case numbers until there
// are N. It goes in through Replica.applyBatch in batches of 5,000 (every item
// validated and indexed as in production), so the file is a valid replica that the
// data service opens. Built once and kept under the cache directory (≈ 2 GB for
// 1,000,000 events), keyed by version, template count and size.
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GridEvent } from '../../../core/model';
import { addDays, shanghaiDate } from '../../../core/time/shanghai';
import { Replica } from '../../../electron/service/replica/replica';
import { CountyStore } from '../../../county/simulator/store';
import type { EventsListArgs } from './raw';
import { ensureCatchUpCounty } from './catchup-data';
import { dropOtherVersions, ensureDir, fmtMs } from './util';

/** Bump when the way the replica is built changes, so a cached file is not reused. */
export const REPLICA_DATA_VERSION = 2;
const BATCH = 5000;
const COPY_SHIFT_DAYS = 14;

/** Values that make the benchmark's queries select something real. */
export interface QueryValues {
  grid: string;
  village: string;
  categoryGroup: string;
  day: string;
  text5: string;
  text2: string;
}

export interface EventsReplica {
  file: string;
  town: string;
  events: number;
  bytes: number;
  buildMs: number;
  values: QueryValues;
}

/** The change items of the town's grids, departments, categories and workers, as the county has them. */
export function townItems(countyFile: string, town: string): unknown[] {
  const store = new CountyStore(countyFile);
  try {
    return store
      .entities()
      .filter((e) => e.town === town && e.type !== 'event' && !e.deleted)
      .map((e) => ({ type: e.type, op: 'put', id: e.id, rev: e.rev, data: e.data }));
  } finally {
    store.close();
  }
}

function templatesOf(countyFile: string, town: string): GridEvent[] {
  const store = new CountyStore(countyFile);
  try {
    return store
      .entities()
      .filter((e) => e.town === town && e.type === 'event' && !e.deleted)
      .map((e) => ({ ...(e.data as Omit<GridEvent, 'id'>), id: e.id }) as GridEvent);
  } finally {
    store.close();
  }
}

/** An empty replica of the town (entities, no events): the memory benchmark's baseline. */
export async function buildTownReplica(file: string, countyFile: string, town: string): Promise<void> {
  const replica = await Replica.open({ file, town, log: { info: () => undefined, warn: () => undefined } });
  try {
    replica.applyBatch({ from: null, to: 'bench-town', more: false, reset: false, lastN: null, items: townItems(countyFile, town) });
  } finally {
    await replica.close();
  }
}

export async function ensureEventsReplica(
  cacheDir: string,
  events: number,
  templateCount: number,
  log: (line: string) => void = () => undefined,
): Promise<EventsReplica> {
  const file = path.join(ensureDir(cacheDir), `replica-v${REPLICA_DATA_VERSION}-t${templateCount}-e${events}.sqlite`);
  const metaFile = `${file}.json`;
  if (existsSync(file) && existsSync(metaFile)) {
    const cached = JSON.parse(readFileSync(metaFile, 'utf8')) as EventsReplica;
    await ensureStoredMasks(cached, log);
    return cached;
  }

  dropOtherVersions(cacheDir, 'replica', REPLICA_DATA_VERSION);
  const county = await ensureCatchUpCounty(cacheDir, templateCount, 1, log);
  const templates = templatesOf(county.file, county.town);
  log(`building a replica of ${events.toLocaleString('en-US')} events from ${templates.length.toLocaleString('en-US')} simulated ones (kept in ${cacheDir})…`);
  const building = `${file}.building`;
  for (const f of [building, `${building}-wal`, `${building}-shm`]) rmSync(f, { force: true });

  const t0 = performance.now();
  const replica = await Replica.open({ file: building, town: county.town, log: { info: () => undefined, warn: () => undefined } });
  try {
    let cursor = 'bench-town';
    replica.applyBatch({ from: null, to: cursor, more: false, reset: false, lastN: null, items: townItems(county.file, county.town) });
    const texts = templates.map((t) => JSON.stringify({ ...t, id: undefined }));
    let made = 0;
    let batch: unknown[] = [];
    const flush = (): void => {
      const to = `bench-${made}`;
      const result = replica.applyBatch({ from: cursor, to, more: made < events, reset: false, lastN: null, items: batch });
      if (result.status !== 'applied' || result.ignored.length > 0) {
        throw new Error(`building the replica: batch ${to} ${result.status}, ${result.ignored.length} ignored: ${result.ignored[0]?.reason ?? ''}`);
      }
      cursor = to;
      batch = [];
    };
    for (let copy = 0; made < events; copy++) {
      const shift = -copy * COPY_SHIFT_DAYS;
      const dates = new Map<string, string>();
      const shifted = (date: string): string => {
        let d = dates.get(date);
        if (d === undefined) {
          d = shift === 0 ? date : addDays(date, shift);
          dates.set(date, d);
        }
        return d;
      };
      for (let i = 0; i < templates.length && made < events; i++) {
        const t = templates[i]!;
        // Whole days in the fixed +08:00 zone: moving a time is moving its date.
        const data = JSON.parse(
          texts[i]!.replace(/"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}(?:\.\d+)?\+08:00)"/g, (_, d: string, rest: string) => `"${shifted(d)}T${rest}"`),
        ) as Omit<GridEvent, 'id'>;
        data.code = t.code.replace(/\d{8}(?=-\d+$)/, (d) => shifted(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`).replaceAll('-', ''));
        if (data.mergedInto) data.mergedInto = copyId(data.mergedInto, copy);
        batch.push({ type: 'event', op: 'put', id: copyId(t.id, copy), rev: 1, data });
        made++;
        if (batch.length === BATCH) flush();
        if (made % 100_000 === 0) log(`  ${made.toLocaleString('en-US')} events (${fmtMs(performance.now() - t0)})`);
      }
    }
    if (batch.length > 0) flush();
  } finally {
    await replica.close();
  }
  const buildMs = performance.now() - t0;
  renameSync(building, file);
  const meta: EventsReplica = { file, town: county.town, events, bytes: statSync(file).size, buildMs, values: queryValues(templates) };
  writeFileSync(metaFile, JSON.stringify(meta));
  return meta;
}

/**
 * The stored masks (migration 0014) of a replica cached before that migration, made once
 * here rather than by the background fill after open, which would run during a benchmark.
 */
async function ensureStoredMasks(data: EventsReplica, log: (line: string) => void): Promise<void> {
  const replica = await Replica.open({ file: data.file, town: data.town, log: { info: () => undefined, warn: () => undefined }, maskFill: 'off' });
  try {
    const t0 = performance.now();
    const steps = replica.fillMasks();
    if (steps > 1) log(`stored the masked views of the cached replica (${steps} steps) in ${fmtMs(performance.now() - t0)}`);
  } finally {
    await replica.close();
  }
}

/** A distinct id per copy (still UUID-shaped); the first copy keeps the county's ids. */
function copyId(id: string, copy: number): string {
  if (copy === 0) return id;
  if (!/^[0-9a-f-]{36}$/.test(id)) return `${id}-${copy}`;
  // XOR, not replace: a replaced group could equal a template's own and collide with copy 0.
  const group = (parseInt(id.slice(24, 28), 16) ^ copy).toString(16).padStart(4, '0');
  return `${id.slice(0, 24)}${group}${id.slice(28)}`;
}

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
}

function queryValues(templates: readonly GridEvent[]): QueryValues {
  const grid = mostCommon(templates.map((t) => t.grid));
  const description = [...mostCommon(templates.map((t) => t.description))];
  const reported = templates.map((t) => t.reportedAt).sort();
  return {
    grid,
    village: grid.slice(0, 12),
    categoryGroup: mostCommon(templates.map((t) => t.category.slice(0, 2))),
    day: shanghaiDate(Date.parse(reported[reported.length >> 1]!)),
    text5: description.slice(0, 5).join(''),
    text2: description.slice(0, 2).join(''),
  };
}

/** The events.list calls the memory benchmark times (each also run as plain SQL: lib/raw.ts rawEventsList). */
export function benchQueries(values: QueryValues, events: number): { name: string; args: Partial<EventsListArgs> & Record<string, unknown> }[] {
  const deep = Math.min(100_000, Math.floor(events / 10));
  return [
    { name: 'first page, default risk order', args: {} },
    { name: 'first page, newest report first', args: { sort: 'reportedAt' } },
    { name: 'status in (reported, accepted)', args: { status: ['reported', 'accepted'] } },
    { name: 'status dispatched, one grid', args: { status: ['dispatched'], grid: values.grid } },
    { name: `category group ${values.categoryGroup}`, args: { category: values.categoryGroup } },
    { name: 'one village, urgent', args: { grid: values.village, urgency: 'urgent' } },
    { name: `one day (${values.day})`, args: { from: `${values.day}T00:00:00+08:00`, to: `${values.day}T23:59:59+08:00` } },
    { name: `text, ${[...values.text5].length} characters (FTS)`, args: { text: values.text5 } },
    { name: `text, ${[...values.text2].length} characters (LIKE scan)`, args: { text: values.text2 } },
    { name: `page at offset ${deep.toLocaleString('en-US')}`, args: { paging: { offset: deep, limit: 100 } } },
  ];
}
