// The only writer of the event tables: `events` (the narrow indexed row), `event_docs`
// (base and view JSON), `events_fts` (search text), `event_parties` (the departments
// taking part, for a department's scope), `event_masks` (the view masked for the rooms'
// screens, through event-masks.ts: each document written here is named to it with the
// view it now shows, which is not changed afterwards) and the queue's counters
// (`event_counts` per status, `event_due_counts` per hour of the earliest running
// due). Every row written here moves the counters in the same transaction: the
// deltas are kept in memory while the write runs and stored before its COMMIT (one
// statement per counter touched, not per event), and dropped when it rolls back.
import type { GridEvent } from '../../../core/model';
import type { Statement } from '../db/sqlite';
import { eventColumns, overdueRiskBound, searchText, type EventColumns } from './event-index';
import type { ReplicaWriter } from './writer';
import { departmentsOf } from '../../../core/privacy/scope';
import { FactsStore } from '../assessment/facts-store';
import { EventMasks } from './event-masks';

export interface EventRow {
  seq: number;
  /** Null exactly when the replica holds no county base for the event. */
  base_rev: number | null;
  pending: number;
  status: string;
  risk: number;
}

interface EventDoc {
  base: string | null;
  /** Null when the view is the base. */
  view: string | null;
}

/** Risk keys below this have a running clock (group 0 of riskKey: due seconds × 4 + urgency). */
export const RUNNING_CLOCK_RISK = 1e13;
/** One counter of due events per hour of due time (risk units: seconds × 4). */
export const DUE_BUCKET = 3600 * 4;

// Positional parameters (bound faster than named ones): the columns in this order.
const EVENT_COLUMNS = 'code, status, category, grid, source, urgency, reported_at, risk';
const EVENT_SETS = 'code = ?, status = ?, category = ?, grid = ?, source = ?, urgency = ?, reported_at = ?, risk = ?';
const values = (c: EventColumns): [string, string, string, string, string, string, number, number] => [
  c.code,
  c.status,
  c.category,
  c.grid,
  c.source,
  c.urgency,
  c.reported_at,
  c.risk,
];

function prepare(writer: ReplicaWriter) {
  const db = writer.db;
  return {
    row: db.prepare<EventRow>('SELECT seq, base_rev, pending, status, risk FROM events WHERE id = ?'),
    rowsOf: db.prepare<EventRow & { id: string }>(
      'SELECT id, seq, base_rev, pending, status, risk FROM events WHERE id IN (SELECT value FROM json_each(?))',
    ),
    doc: db.prepare<EventDoc>('SELECT base, view FROM event_docs WHERE seq = ?'),
    insertEvent: db.prepare(`INSERT INTO events (id, base_rev, pending, ${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    updateEvent: db.prepare(`UPDATE events SET base_rev = ?, pending = ?, ${EVENT_SETS} WHERE seq = ?`),
    updateEventView: db.prepare(`UPDATE events SET pending = ?, ${EVENT_SETS} WHERE seq = ?`),
    clearBaseRev: db.prepare('UPDATE events SET base_rev = NULL WHERE seq = ?'),
    deleteEvent: db.prepare('DELETE FROM events WHERE seq = ?'),
    insertDoc: db.prepare('INSERT INTO event_docs (seq, base, view) VALUES (?, ?, ?)'),
    setDocBase: db.prepare('UPDATE event_docs SET base = ?, view = NULL WHERE seq = ?'),
    setDocView: db.prepare('UPDATE event_docs SET view = ? WHERE seq = ?'),
    clearDocBase: db.prepare('UPDATE event_docs SET view = coalesce(view, base), base = NULL WHERE seq = ?'),
    deleteDoc: db.prepare('DELETE FROM event_docs WHERE seq = ?'),
    deleteUnpending: db.prepare(
      `DELETE FROM events WHERE id NOT IN (
         SELECT event_id FROM outbox WHERE n > @floor AND state != 'rejected'
         UNION SELECT target_id FROM outbox WHERE n > @floor AND state != 'rejected' AND target_id IS NOT NULL)`,
    ),
    ftsRow: db.prepare<{ code: string; title: string; description: string; address: string }>(
      'SELECT code, title, description, address FROM events_fts WHERE rowid = ?',
    ),
    ftsInsert: db.prepare('INSERT INTO events_fts (rowid, code, title, description, address) VALUES (?, ?, ?, ?, ?)'),
    ftsDelete: db.prepare('DELETE FROM events_fts WHERE rowid = ?'),
    parties: db.prepare<{ party: string }>('SELECT party FROM event_parties WHERE seq = ?'),
    addParty: db.prepare('INSERT OR IGNORE INTO event_parties (party, seq) VALUES (?, ?)'),
    dropParty: db.prepare('DELETE FROM event_parties WHERE party = ? AND seq = ?'),
    dropParties: db.prepare('DELETE FROM event_parties WHERE seq = ?'),
    addStatus: db.prepare('INSERT INTO event_counts (status, n) VALUES (?, ?) ON CONFLICT (status) DO UPDATE SET n = n + excluded.n'),
    addDue: db.prepare('INSERT INTO event_due_counts (hour, n) VALUES (?, ?) ON CONFLICT (hour) DO UPDATE SET n = n + excluded.n'),
    dropEmptyStatus: db.prepare('DELETE FROM event_counts WHERE status = ? AND n = 0'),
    dropEmptyDue: db.prepare('DELETE FROM event_due_counts WHERE hour = ? AND n = 0'),
    statusCounts: db.prepare<{ status: string; n: number }>('SELECT status, n FROM event_counts WHERE n != 0'),
    dueBefore: db.prepare<{ c: number | null }>('SELECT sum(n) AS c FROM event_due_counts WHERE hour < ?'),
    riskBetween: db.prepare<{ c: number }>('SELECT COUNT(*) AS c FROM events WHERE risk >= ? AND risk < ?'),
  };
}

export class EventRows {
  private readonly s: ReturnType<typeof prepare>;
  private readonly statusDelta = new Map<string, number>();
  private readonly dueDelta = new Map<number, number>();
  /** The assessment's facts of each view (event_facts, migration 0009). */
  private readonly facts: FactsStore;
  /** The views masked for the rooms' screens (event_masks, migration 0014). */
  readonly masks: EventMasks;

  constructor(private readonly writer: ReplicaWriter) {
    this.s = prepare(writer);
    this.facts = new FactsStore(writer.db);
    this.masks = new EventMasks(writer);
    writer.onBeforeCommit(() => this.flushCounters());
    writer.onRollback(() => this.dropDeltas());
  }

  row(id: string): EventRow | undefined {
    return this.s.row.get(id);
  }

  /** The rows of these ids (one statement for a whole batch), by id; absent ids have none. */
  rowsOf(ids: readonly string[]): Map<string, EventRow> {
    const out = new Map<string, EventRow>();
    if (ids.length === 0) return out;
    for (const { id, ...row } of this.s.rowsOf.all(JSON.stringify(ids))) out.set(id, row);
    return out;
  }

  doc(seq: number): EventDoc | undefined {
    return this.s.doc.get(seq);
  }

  /** A new event row with its document; returns the row as stored. */
  insert(id: string, baseRev: number | null, pending: number, view: GridEvent, base: string | null, viewJson: string | null): EventRow {
    const columns = eventColumns(view);
    const seq = Number(this.s.insertEvent.run(id, baseRev, pending, ...values(columns)).lastInsertRowid);
    this.count(columns.status, columns.risk, 1);
    this.s.insertDoc.run(seq, base, viewJson);
    this.masks.changed(seq, view);
    return { seq, base_rev: baseRev, pending, status: columns.status, risk: columns.risk };
  }

  /** The county's new base for an existing event: its columns, no overlay (the replay, if any, writes the view). Returns the row as stored. */
  setBase(row: EventRow, rev: number, event: GridEvent, base: string): EventRow {
    const columns = eventColumns(event);
    this.s.updateEvent.run(rev, 0, ...values(columns), row.seq);
    this.moved(row, columns);
    this.s.setDocBase.run(base, row.seq);
    this.masks.changed(row.seq, event);
    return { seq: row.seq, base_rev: rev, pending: 0, status: columns.status, risk: columns.risk };
  }

  /** The county deleted an event that still has pending commands: the last view stays until the replay. */
  clearBase(row: EventRow): void {
    this.s.clearDocBase.run(row.seq);
    this.s.clearBaseRev.run(row.seq);
    this.masks.changed(row.seq, null);
  }

  delete(row: EventRow): void {
    this.s.deleteEvent.run(row.seq);
    this.count(row.status, row.risk, -1);
    this.s.deleteDoc.run(row.seq);
    this.s.ftsDelete.run(row.seq);
    this.s.dropParties.run(row.seq);
    this.facts.delete(row.seq);
    this.masks.gone(row.seq);
  }

  /** Stores an event's view (null: nothing left to show), its columns and its search text. */
  writeView(id: string, view: GridEvent | null, pending: number): boolean {
    const row = this.s.row.get(id);
    if (view === null) {
      if (row === undefined) return false;
      this.delete(row);
      return true;
    }
    const json = JSON.stringify(view);
    if (row === undefined) {
      const { seq } = this.insert(id, null, pending, view, null, json);
      this.syncSearch(seq, view, true);
      return true;
    }
    const doc = this.s.doc.get(row.seq) as EventDoc;
    // The view column stays null while the view is the base (most events, most of the time).
    const stored = doc.base === json ? null : json;
    if (doc.view !== stored) {
      this.s.setDocView.run(stored, row.seq);
      this.masks.changed(row.seq, view);
    }
    if (doc.view !== stored || row.pending !== pending) {
      const columns = eventColumns(view);
      this.s.updateEventView.run(pending, ...values(columns), row.seq);
      this.moved(row, columns);
    }
    // Also when unchanged: a reset empties the search table and the replay refills it.
    this.syncSearch(row.seq, view);
    return (doc.view ?? doc.base) !== json;
  }

  /**
   * Keeps events_fts equal to the view's text, writing only when the text differs.
   * `fresh`: the row was inserted by this write, so it has no search entry yet (nothing to read).
   */
  syncSearch(seq: number, view: GridEvent, fresh = false): void {
    this.syncParties(seq, view, fresh);
    this.facts.write(seq, view);
    const [code, title, description, address] = searchText(view);
    if (!fresh) {
      const old = this.s.ftsRow.get(seq);
      if (old !== undefined) {
        if (old.code === code && old.title === title && old.description === description && old.address === address) return;
        this.s.ftsDelete.run(seq);
      }
    }
    this.s.ftsInsert.run(seq, code, title, description, address);
  }

  /** Keeps event_parties equal to the view's departments (core/privacy/scope.ts departmentsOf), writing only the difference. */
  private syncParties(seq: number, view: GridEvent, fresh: boolean): void {
    const now = new Set(departmentsOf(view));
    const held = fresh ? [] : this.s.parties.all(seq).map((r) => r.party);
    for (const party of held) if (!now.delete(party)) this.s.dropParty.run(party, seq);
    for (const party of now) this.s.addParty.run(party, seq);
  }

  /**
   * Reset: every event goes but those named by unsettled commands (from n > floor),
   * which keep their last view on no base; the search table empties (the replay
   * refills it). The counters are recounted from what stays.
   */
  dropUnpending(floor: number): void {
    const db = this.writer.db;
    db.exec('DELETE FROM events_fts; DELETE FROM event_parties; DELETE FROM event_facts');
    this.s.deleteUnpending.run({ floor });
    db.exec(
      'DELETE FROM event_docs WHERE seq NOT IN (SELECT seq FROM events); ' +
        'UPDATE event_docs SET view = coalesce(view, base), base = NULL; UPDATE events SET base_rev = NULL;',
    );
    // The triggers dropped the masks of the documents just rewritten: made again before COMMIT.
    for (const { seq } of db.prepare<{ seq: number }>('SELECT seq FROM event_docs').all()) this.masks.changed(seq, null);
    this.recount();
  }

  // ---------------------------------------------------------------- the counters

  /** Events per status and in all, from the counters (no scan). */
  counts(): { byStatus: Record<string, number>; all: number } {
    const byStatus: Record<string, number> = {};
    let all = 0;
    for (const r of this.s.statusCounts.all()) {
      byStatus[r.status] = r.n;
      all += r.n;
    }
    return { byStatus, all };
  }

  /**
   * Events with a running clock past due at nowMs (risk below overdueRiskBound): the
   * hours wholly before now from their counters, the current hour from the risk
   * index (the events due in the last hour at most).
   */
  overdue(nowMs: number): number {
    const bound = overdueRiskBound(nowMs);
    const hour = Math.floor(bound / DUE_BUCKET);
    const before = this.s.dueBefore.get(hour)?.c ?? 0;
    return before + (this.s.riskBetween.get(hour * DUE_BUCKET, bound) as { c: number }).c;
  }

  /** Counters from the rows (a reset; the integrity check's reference). */
  recount(): void {
    this.dropDeltas();
    this.writer.db.exec(RECOUNT_SQL);
  }

  /** Where the counters differ from a recount of the rows (empty: they agree). */
  counterMismatches(): string[] {
    const db = this.writer.db;
    const out: string[] = [];
    const diff = (name: string, sql: string): void => {
      for (const r of db.prepare<{ k: string | number; stored: number; counted: number }>(sql).all()) {
        out.push(`${name} ${r.k}: counter ${r.stored}, rows ${r.counted}`);
      }
    };
    diff('status', COMPARE_STATUS_SQL);
    diff('due hour', COMPARE_DUE_SQL);
    return out;
  }

  private count(status: string, risk: number, by: 1 | -1): void {
    this.statusDelta.set(status, (this.statusDelta.get(status) ?? 0) + by);
    if (risk < RUNNING_CLOCK_RISK) {
      const hour = Math.floor(risk / DUE_BUCKET);
      this.dueDelta.set(hour, (this.dueDelta.get(hour) ?? 0) + by);
    }
  }

  /** A row's status or risk changed from `row` to `columns`. */
  private moved(row: EventRow, columns: EventColumns): void {
    if (row.status === columns.status && row.risk === columns.risk) return;
    this.count(row.status, row.risk, -1);
    this.count(columns.status, columns.risk, 1);
  }

  private flushCounters(): void {
    flush(this.statusDelta, this.s.addStatus, this.s.dropEmptyStatus);
    flush(this.dueDelta, this.s.addDue, this.s.dropEmptyDue);
  }

  private dropDeltas(): void {
    this.statusDelta.clear();
    this.dueDelta.clear();
  }
}

function flush<K extends string | number>(deltas: Map<K, number>, add: Statement, dropEmpty: Statement): void {
  for (const [key, delta] of deltas) {
    if (delta === 0) continue;
    add.run(key, delta);
    if (delta < 0) dropEmpty.run(key);
  }
  deltas.clear();
}

/** The counters as the rows give them (also the migration's fill: 0005-event-counts.ts). */
export const RECOUNT_SQL = `DELETE FROM event_counts; DELETE FROM event_due_counts;
  INSERT INTO event_counts (status, n) SELECT status, COUNT(*) FROM events GROUP BY status;
  INSERT INTO event_due_counts (hour, n) SELECT risk / ${DUE_BUCKET}, COUNT(*) FROM events WHERE risk < ${RUNNING_CLOCK_RISK} GROUP BY risk / ${DUE_BUCKET};`;

const COMPARE_STATUS_SQL = `WITH counted AS (SELECT status AS k, COUNT(*) AS c FROM events GROUP BY status),
  keys AS (SELECT k FROM counted UNION SELECT status FROM event_counts)
  SELECT keys.k AS k, coalesce(s.n, 0) AS stored, coalesce(counted.c, 0) AS counted FROM keys
  LEFT JOIN event_counts s ON s.status = keys.k LEFT JOIN counted ON counted.k = keys.k
  WHERE coalesce(s.n, 0) != coalesce(counted.c, 0)`;

const COMPARE_DUE_SQL = `WITH counted AS (SELECT risk / ${DUE_BUCKET} AS k, COUNT(*) AS c FROM events WHERE risk < ${RUNNING_CLOCK_RISK} GROUP BY k),
  keys AS (SELECT k FROM counted UNION SELECT hour FROM event_due_counts)
  SELECT keys.k AS k, coalesce(d.n, 0) AS stored, coalesce(counted.c, 0) AS counted FROM keys
  LEFT JOIN event_due_counts d ON d.hour = keys.k LEFT JOIN counted ON counted.k = keys.k
  WHERE coalesce(d.n, 0) != coalesce(counted.c, 0)`;
