// The desk's tables in the replica's file (migration 0010): supervisions with their
// 督办单 numbers, and the events a rule dispatched by itself. Writes go through the
// replica's one writer, inside the command's own transaction when they come with one.
import type { ActorRole } from '../../../core/model';
import { supervisionNumber, type Supervision, type SupervisionLevel } from '../../../core/desk/supervision';
import { toIso } from '../../../core/time/shanghai';
import type { SqliteDatabase } from '../db/sqlite';

export interface DeskStoreHandle {
  db: SqliteDatabase;
  write<T>(fn: () => T): T;
}

interface SupervisionRow {
  id: number;
  event_id: string;
  year: number;
  seq: number;
  level: SupervisionLevel;
  deadline_ms: number;
  requirement: string;
  by_id: string;
  by_name: string;
  by_role: ActorRole;
  at_ms: number;
  command_n: number;
}

export type NewSupervision = Omit<SupervisionRow, 'id'>;

const fromRow = (r: SupervisionRow): Supervision => ({
  id: r.id,
  number: supervisionNumber(r.year, r.seq),
  eventId: r.event_id,
  level: r.level,
  deadline: toIso(r.deadline_ms),
  requirement: r.requirement,
  by: { id: r.by_id, name: r.by_name, role: r.by_role },
  at: toIso(r.at_ms),
  commandN: r.command_n,
});

export class DeskStore {
  private readonly s;

  constructor(private readonly handle: DeskStoreHandle) {
    const db = handle.db;
    this.s = {
      nextSeq: db.prepare<{ seq: number }>('SELECT coalesce(max(seq), 0) + 1 AS seq FROM desk_supervisions WHERE year = ?'),
      insert: db.prepare(
        `INSERT INTO desk_supervisions (event_id, year, seq, level, deadline_ms, requirement, by_id, by_name, by_role, at_ms, command_n)
         VALUES (@event_id, @year, @seq, @level, @deadline_ms, @requirement, @by_id, @by_name, @by_role, @at_ms, @command_n)`,
      ),
      byId: db.prepare<SupervisionRow>('SELECT * FROM desk_supervisions WHERE id = ?'),
      latest: db.prepare<SupervisionRow>('SELECT * FROM desk_supervisions ORDER BY id DESC LIMIT ?'),
      ofEvent: db.prepare<SupervisionRow>('SELECT * FROM desk_supervisions WHERE event_id = ? ORDER BY id DESC LIMIT ?'),
      autoDone: db.prepare<{ one: number }>('SELECT 1 AS one FROM desk_auto_dispatch WHERE event_id = ?'),
      autoInsert: db.prepare('INSERT OR IGNORE INTO desk_auto_dispatch (event_id, rule_id, rule_name, at_ms, command_n) VALUES (?, ?, ?, ?, ?)'),
    };
  }

  /** The next number of the year's 督办单 sequence. */
  nextSeq(year: number): number {
    return (this.s.nextSeq.get(year) as { seq: number }).seq;
  }

  /** Inserts a supervision; call inside the transaction of its event.supervise. */
  insert(row: NewSupervision): Supervision {
    const id = Number(this.s.insert.run(row).lastInsertRowid);
    return fromRow({ ...row, id });
  }

  get(id: number): Supervision | null {
    const row = this.s.byId.get(id) as SupervisionRow | undefined;
    return row ? fromRow(row) : null;
  }

  /** Newest first; of one event, or of all. */
  list(limit: number, eventId?: string): Supervision[] {
    const rows = (eventId === undefined ? this.s.latest.all(limit) : this.s.ofEvent.all(eventId, limit)) as SupervisionRow[];
    return rows.map(fromRow);
  }

  autoDispatched(eventId: string): boolean {
    return this.s.autoDone.get(eventId) !== undefined;
  }

  /** Marks an event as dispatched by a rule (command_n null: the attempt failed and is not repeated). */
  recordAuto(eventId: string, rule: { id: string; name: string }, atMs: number, n: number | null): void {
    this.s.autoInsert.run(eventId, rule.id, rule.name, atMs, n);
  }

  write<T>(fn: () => T): T {
    return this.handle.write(fn);
  }
}
