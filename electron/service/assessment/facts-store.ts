// The replica's event_facts rows (migration 0009): written with every event's view by
// the one writer of the event tables (replica/event-rows.ts calls `write` where it keeps
// the search text and the parties), deleted with the event, emptied by a reset (the
// replay refills them). `backfillFacts` fills the rows a database made before migration
// 0009 lacks, at open, in batches of one transaction each.
import type { GridEvent } from '../../../core/model';
import { eventFacts, factValues, FACT_COLUMNS } from '../../../core/assessment/facts';
import type { SqliteDatabase } from '../db/sqlite';

const INSERT_SQL = `INSERT OR REPLACE INTO event_facts (seq, ${FACT_COLUMNS.join(', ')}) VALUES (?${', ?'.repeat(FACT_COLUMNS.length)})`;

export class FactsStore {
  private readonly insert;
  private readonly remove;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare(INSERT_SQL);
    this.remove = db.prepare('DELETE FROM event_facts WHERE seq = ?');
  }

  /** The facts of an event's view (inside the caller's write). */
  write(seq: number, view: GridEvent): void {
    this.insert.run(seq, ...factValues(eventFacts(view)));
  }

  delete(seq: number): void {
    this.remove.run(seq);
  }
}

/** Rows computed per transaction while backfilling. */
const BACKFILL_BATCH = 2000;

/**
 * Computes the facts of every event that has none (a database from before migration
 * 0009). Returns the number of rows written. Runs at open, before anything else writes.
 */
export function backfillFacts(db: SqliteDatabase): number {
  const missing = db.prepare<{ seq: number; doc: string }>(
    `SELECT e.seq AS seq, coalesce(d.view, d.base) AS doc FROM events e JOIN event_docs d ON d.seq = e.seq
     WHERE e.seq > ? AND NOT EXISTS (SELECT 1 FROM event_facts f WHERE f.seq = e.seq) ORDER BY e.seq LIMIT ?`,
  );
  const store = new FactsStore(db);
  let after = 0;
  let written = 0;
  for (;;) {
    const rows = missing.all(after, BACKFILL_BATCH);
    if (rows.length === 0) return written;
    db.exec('BEGIN IMMEDIATE');
    try {
      for (const r of rows) store.write(r.seq, JSON.parse(r.doc) as GridEvent);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    written += rows.length;
    after = rows.at(-1)!.seq;
  }
}
