// The baselines: what SQLite itself costs for the same rows, with prepared
// statements in the same transactions, on a file of the replica's own schema
// (its migrations, WAL, synchronous = FULL). No validation, no rules, no transport.
// The SQL mirrors electron/service/replica/replica.ts; keep the two in step (the
// events.list filters are built by the service's own eventFilterSql).
import { createRequire } from 'node:module';
import type { Grid, GridEvent, Worker } from '../../../core/model';
import { parseChangeItem } from '../../../core/sync/protocol';
import { openDatabase, type SqlValue, type SqliteDatabase, type Statement } from '../../../electron/service/db/sqlite';
import { eventColumns, eventFilterSql, searchText } from '../../../electron/service/replica/event-index';
import type { ParsedArgsOf } from '../../../core/api/contract';

type RawDatabase = SqliteDatabase & { close(): void };
// better-sqlite3 ships no type declarations; electron/service/db/sqlite.ts types the part in use.
const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3') as new (file: string, options?: { readonly?: boolean }) => RawDatabase;

/** A plain connection (no migrations run), e.g. to read a replica file after the service closed it. */
export function openRaw(file: string, readonly = false): RawDatabase {
  return new BetterSqlite3(file, { readonly });
}

/** A fresh file with the replica's schema and pragmas, for a baseline to write into. */
export async function freshReplicaFile(file: string, town: string): Promise<{ db: SqliteDatabase; close: () => Promise<void> }> {
  const { dataSource, db } = await openDatabase(file);
  db.prepare('INSERT INTO meta (id, replica_id, town, next_n) VALUES (1, ?, ?, 1)').run('00000000-0000-4000-8000-000000000000', town);
  return { db, close: () => dataSource.destroy() };
}

// ---------------------------------------------------------------- positions

/** One positions item as on the wire: [workerId, lon, lat, at, speed, heading, accuracy]. */
export type WireFix = [string, number, number, number, number | null, number | null, number | null];

/**
 * The replica's two writes per fix (track point, latest position if newer), one
 * transaction per message. Returns the elapsed ms.
 */
export function rawPositions(db: SqliteDatabase, messages: readonly { items: readonly WireFix[] }[], receivedAt: number): number {
  const insertTrack = db.prepare(
    'INSERT OR IGNORE INTO track_points (worker_id, at, lon, lat, speed, heading, accuracy) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const upsertLatest = db.prepare(
    `INSERT INTO positions_latest (worker_id, lon, lat, at, speed, heading, accuracy, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (worker_id) DO UPDATE SET lon = excluded.lon, lat = excluded.lat, at = excluded.at, speed = excluded.speed,
       heading = excluded.heading, accuracy = excluded.accuracy, received_at = excluded.received_at
     WHERE excluded.at > positions_latest.at`,
  );
  const apply = db.transaction((items: readonly WireFix[]) => {
    for (const [w, lon, lat, at, speed, heading, accuracy] of items) {
      insertTrack.run(w, at, lon, lat, speed, heading, accuracy);
      upsertLatest.run(w, lon, lat, at, speed, heading, accuracy, receivedAt);
    }
  });
  const t0 = performance.now();
  for (const m of messages) apply.immediate(m.items);
  return performance.now() - t0;
}

// ---------------------------------------------------------------- changes

/** A batch's rows, ready to bind (prepared outside the timed part). */
export interface RawBatch {
  to: string;
  rows: RawRow[];
}

export type RawRow =
  | { type: 'grid'; params: SqlValue[] }
  | { type: 'department' | 'category'; params: SqlValue[] }
  | { type: 'worker'; params: SqlValue[]; grids: string[]; id: string }
  | { type: 'event'; event: Record<string, SqlValue>; base: string; fts: [string, string, string, string] };

/** Turns the county's change items into the rows a fresh replica stores (normalised as the replica does). */
export function rawRows(items: readonly unknown[]): RawRow[] {
  const rows: RawRow[] = [];
  for (const raw of items) {
    const parsed = parseChangeItem(raw);
    if (!parsed.ok || parsed.op !== 'put') throw new Error(`the raw baseline expects valid puts: ${parsed.ok ? 'a del' : parsed.reason}`);
    const e = parsed.entity;
    switch (e.type) {
      case 'grid': {
        const g: Grid = e.value;
        rows.push({ type: 'grid', params: [e.id, parsed.rev, g.level, g.parent, JSON.stringify(g)] });
        break;
      }
      case 'department':
      case 'category':
        rows.push({ type: e.type, params: [e.id, parsed.rev, JSON.stringify(e.value)] });
        break;
      case 'worker': {
        const w: Worker = e.value;
        rows.push({ type: 'worker', id: e.id, params: [e.id, parsed.rev, w.onDuty ? 1 : 0, JSON.stringify(w)], grids: w.grids });
        break;
      }
      case 'event': {
        const ev: GridEvent = e.value;
        rows.push({
          type: 'event',
          event: { id: e.id, base_rev: parsed.rev, pending: 0, ...eventColumns(ev) },
          base: JSON.stringify(ev),
          fts: searchText(ev),
        });
        break;
      }
    }
  }
  return rows;
}

/**
 * The INSERTs a fresh replica needs for these batches (each entity arrives once),
 * one transaction per batch with the cursor. Returns the elapsed ms.
 */
export function rawApply(db: SqliteDatabase, batches: readonly RawBatch[]): number {
  const s = {
    grid: db.prepare('INSERT INTO grids (code, rev, level, parent, data) VALUES (?, ?, ?, ?, ?)'),
    department: db.prepare('INSERT INTO departments (id, rev, data) VALUES (?, ?, ?)'),
    category: db.prepare('INSERT INTO categories (code, rev, data) VALUES (?, ?, ?)'),
    worker: db.prepare('INSERT INTO workers (id, rev, on_duty, data) VALUES (?, ?, ?, ?)'),
    workerGrid: db.prepare('INSERT OR IGNORE INTO worker_grids (grid, worker_id) VALUES (?, ?)'),
    event: db.prepare(
      `INSERT INTO events (id, base_rev, pending, code, status, category, grid, source, urgency, reported_at, risk)
       VALUES (@id, @base_rev, @pending, @code, @status, @category, @grid, @source, @urgency, @reported_at, @risk)`,
    ),
    doc: db.prepare('INSERT INTO event_docs (seq, base, view) VALUES (?, ?, NULL)'),
    fts: db.prepare('INSERT INTO events_fts (rowid, code, title, description, address) VALUES (?, ?, ?, ?, ?)'),
    cursor: db.prepare('UPDATE meta SET cursor = ?, last_sync_at = ?, catching_up = ? WHERE id = 1'),
  };
  const apply = db.transaction((batch: RawBatch, last: boolean) => {
    for (const r of batch.rows) {
      if (r.type === 'event') {
        const seq = Number(s.event.run(r.event).lastInsertRowid);
        s.doc.run(seq, r.base);
        s.fts.run(seq, ...r.fts);
      } else if (r.type === 'worker') {
        s.worker.run(...r.params);
        for (const g of r.grids) s.workerGrid.run(g, r.id);
      } else {
        s[r.type].run(...r.params);
      }
    }
    s.cursor.run(batch.to, Date.now(), last ? 0 : 1);
  });
  const t0 = performance.now();
  batches.forEach((b, i) => apply.immediate(b, i === batches.length - 1));
  return performance.now() - t0;
}

// ---------------------------------------------------------------- events.list

export type EventsListArgs = ParsedArgsOf<'events.list'>;

/**
 * The SQL of Replica.listEvents run directly: the page, its count and the page's
 * documents (read, not parsed). The baseline of the events.list timings. nowMs
 * matters only to the overdue filter.
 */
export function rawEventsList(
  db: SqliteDatabase,
  args: EventsListArgs,
  cache = new Map<string, Statement>(),
  nowMs = Date.now(),
): { total: number; ids: string[] } {
  const prepared = (sql: string): Statement => {
    let st = cache.get(sql);
    if (!st) {
      st = db.prepare(sql);
      cache.set(sql, st);
    }
    return st;
  };
  // The service's own WHERE building, so the baseline and the service filter alike.
  const { where, params } = eventFilterSql(args, nowMs);
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const order = args.sort === 'reportedAt' ? 'reported_at DESC, seq DESC' : 'risk, seq';
  const rows = prepared(`SELECT seq, id, pending FROM events ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`).all(
    ...params,
    args.paging.limit,
    args.paging.offset,
  ) as { seq: number; id: string }[];
  const total = (prepared(`SELECT COUNT(*) AS c FROM events ${clause}`).get(...params) as { c: number }).c;
  const doc = prepared('SELECT coalesce(view, base) AS view FROM event_docs WHERE seq = ?');
  for (const r of rows) doc.get(r.seq);
  return { total, ids: rows.map((r) => r.id) };
}
