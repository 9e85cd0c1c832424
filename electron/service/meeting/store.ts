// The meeting's tables (migration 0008) over the replica's connection and its one
// serial writer: meetings, agenda items, the presenter's state (and the shared map view
// of 投到大屏 in the same row), decisions and filed minutes. Rows in, core shapes out.
import type { SharedView } from '../../../core/api/contract';
import type { AgendaItem, Decision, Meeting, Minutes, Reason } from '../../../core/meeting/model';
import { toIso } from '../../../core/time/shanghai';
import type { SqliteDatabase } from '../db/sqlite';
import { stmt, type PeopleDb } from '../people/store';

export type MeetingDb = PeopleDb;

interface MeetingRow {
  id: string;
  title: string;
  date: string;
  place: string;
  chair: string;
  attendees: string;
  departments: string;
  status: Meeting['status'];
  created_at: number;
  created_by: string;
  ended_at: number | null;
}

interface ItemRow {
  id: string;
  meeting_id: string;
  ord: number;
  kind: AgendaItem['kind'];
  title: string;
  event_id: string | null;
  grid: string | null;
  category: string | null;
  reasons: string;
  decision_id: string | null;
  note: string;
}

interface DecisionRow {
  id: string;
  meeting_id: string;
  item_id: string;
  event_id: string | null;
  action: Decision['action'];
  lead_department: string | null;
  cooperating: string;
  deadline: string | null;
  instruction: string;
  command_id: string | null;
  decided_by: string;
  decided_at: number;
  has_snapshot: number;
}

export interface PresenterRow {
  meeting_id: string | null;
  item_id: string | null;
  view: string | null;
  by_name: string;
  at: number;
  version: number;
  shared_view: string | null;
  shared_by: string;
  shared_at: number;
  shared_version: number;
}

const toMeeting = (r: MeetingRow): Meeting => ({
  id: r.id,
  title: r.title,
  date: r.date,
  place: r.place,
  chair: r.chair,
  attendees: JSON.parse(r.attendees) as Meeting['attendees'],
  departments: JSON.parse(r.departments) as string[],
  status: r.status,
  createdAt: toIso(r.created_at),
  createdBy: r.created_by,
  endedAt: r.ended_at === null ? null : toIso(r.ended_at),
});

const toItem = (r: ItemRow): AgendaItem => ({
  id: r.id,
  meetingId: r.meeting_id,
  order: r.ord,
  kind: r.kind,
  title: r.title,
  eventId: r.event_id,
  grid: r.grid,
  category: r.category,
  reasons: JSON.parse(r.reasons) as Reason[],
  decisionId: r.decision_id,
  note: r.note,
  outcome: null,
});

const toDecision = (r: DecisionRow): Decision => ({
  id: r.id,
  meetingId: r.meeting_id,
  itemId: r.item_id,
  eventId: r.event_id,
  action: r.action,
  leadDepartment: r.lead_department,
  cooperating: JSON.parse(r.cooperating) as string[],
  deadline: r.deadline,
  instruction: r.instruction,
  commandId: r.command_id,
  decidedBy: JSON.parse(r.decided_by) as Decision['decidedBy'],
  decidedAt: toIso(r.decided_at),
  hasSnapshot: r.has_snapshot !== 0,
});

const DECISION_COLUMNS = `id, meeting_id, item_id, event_id, action, lead_department, cooperating, deadline, instruction, command_id, decided_by, decided_at, snapshot IS NOT NULL AS has_snapshot`;

export interface NewMeeting {
  id: string;
  title: string;
  date: string;
  place: string;
  chair: string;
  attendees: Meeting['attendees'];
  departments: string[];
  createdAt: number;
  createdBy: string;
}

export interface NewDecision extends Omit<Decision, 'decidedAt' | 'hasSnapshot'> {
  decidedAt: number;
  snapshot: Buffer | null;
}

export interface NewMinutes {
  id: string;
  meetingId: string;
  number: string;
  title: string;
  date: string;
  createdAt: number;
  text: string;
  files: { format: 'docx' | 'pdf'; masked: boolean; data: Buffer }[];
  eventIds: string[];
  departments: string[];
}

/** The meeting's reads and writes; every write runs inside the caller's `write` (one transaction). */
export class MeetingStore {
  readonly db: SqliteDatabase;
  readonly write: MeetingDb['write'];

  constructor(store: MeetingDb) {
    this.db = store.db;
    this.write = store.write;
  }

  meeting(id: string): Meeting | null {
    const row = stmt<MeetingRow>(this.db, 'SELECT * FROM meetings WHERE id = ?').get(id);
    return row ? toMeeting(row) : null;
  }

  meetings(limit: number): Meeting[] {
    return stmt<MeetingRow>(this.db, 'SELECT * FROM meetings ORDER BY created_at DESC, id LIMIT ?').all(limit).map(toMeeting);
  }

  /** The latest meeting created before `beforeMs` other than `exceptId` (the last meeting, for the follow-up). */
  previousMeeting(exceptId: string): Meeting | null {
    const row = stmt<MeetingRow>(this.db, 'SELECT * FROM meetings WHERE id <> ? ORDER BY created_at DESC, id DESC LIMIT 1').get(exceptId);
    return row ? toMeeting(row) : null;
  }

  insertMeeting(m: NewMeeting): void {
    stmt(this.db, `INSERT INTO meetings (id, title, date, place, chair, attendees, departments, status, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?)`).run(
      m.id, m.title, m.date, m.place, m.chair, JSON.stringify(m.attendees), JSON.stringify(m.departments), m.createdAt, m.createdBy,
    );
  }

  updateMeeting(m: Meeting): void {
    stmt(this.db, 'UPDATE meetings SET title = ?, date = ?, place = ?, chair = ?, attendees = ?, departments = ? WHERE id = ?').run(
      m.title, m.date, m.place, m.chair, JSON.stringify(m.attendees), JSON.stringify(m.departments), m.id,
    );
  }

  setStatus(id: string, status: Meeting['status'], endedAt: number | null = null): void {
    stmt(this.db, 'UPDATE meetings SET status = ?, ended_at = ? WHERE id = ?').run(status, endedAt, id);
  }

  items(meetingId: string): AgendaItem[] {
    return stmt<ItemRow>(this.db, 'SELECT * FROM meeting_items WHERE meeting_id = ? ORDER BY ord').all(meetingId).map(toItem);
  }

  item(meetingId: string, itemId: string): AgendaItem | null {
    const row = stmt<ItemRow>(this.db, 'SELECT * FROM meeting_items WHERE meeting_id = ? AND id = ?').get(meetingId, itemId);
    return row ? toItem(row) : null;
  }

  /** Appends an item at the end of the agenda. */
  insertItem(item: Omit<AgendaItem, 'order' | 'outcome'>): void {
    const { n } = stmt<{ n: number }>(this.db, 'SELECT coalesce(max(ord), 0) + 1 AS n FROM meeting_items WHERE meeting_id = ?').get(item.meetingId)!;
    stmt(this.db, 'INSERT INTO meeting_items (id, meeting_id, ord, kind, title, event_id, grid, category, reasons, decision_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      item.id, item.meetingId, n, item.kind, item.title, item.eventId, item.grid, item.category, JSON.stringify(item.reasons), item.decisionId, item.note,
    );
  }

  deleteItem(meetingId: string, itemId: string): void {
    stmt(this.db, 'DELETE FROM meeting_items WHERE meeting_id = ? AND id = ?').run(meetingId, itemId);
  }

  /** Numbers the items 1, 2, … in the given order. */
  orderItems(meetingId: string, itemIds: readonly string[]): void {
    itemIds.forEach((id, i) => stmt(this.db, 'UPDATE meeting_items SET ord = ? WHERE meeting_id = ? AND id = ?').run(i + 1, meetingId, id));
  }

  setNote(meetingId: string, itemId: string, note: string): void {
    stmt(this.db, 'UPDATE meeting_items SET note = ? WHERE meeting_id = ? AND id = ?').run(note, meetingId, itemId);
  }

  presenter(): PresenterRow | null {
    return stmt<PresenterRow>(this.db, 'SELECT * FROM presenter_state WHERE id = 1').get() ?? null;
  }

  /** The presenter's state: the version grows by one with every change, across restarts. */
  setPresenter(p: { meetingId: string | null; itemId: string | null; view: string | null; by: string; at: number }): number {
    stmt(this.db, `INSERT INTO presenter_state (id, meeting_id, item_id, view, by_name, at, version) VALUES (1, ?, ?, ?, ?, ?, 1)
      ON CONFLICT (id) DO UPDATE SET meeting_id = excluded.meeting_id, item_id = excluded.item_id, view = excluded.view, by_name = excluded.by_name, at = excluded.at, version = version + 1`).run(
      p.meetingId, p.itemId, p.view, p.by, p.at,
    );
    return this.presenter()!.version;
  }

  sharedView(): SharedView | null {
    const row = this.presenter();
    if (!row || row.shared_view === null) return null;
    return { view: JSON.parse(row.shared_view) as SharedView['view'], by: row.shared_by, at: toIso(row.shared_at), version: row.shared_version };
  }

  /** The shared map view (投到大屏), or null; answers the new version. */
  setSharedView(view: SharedView['view'] | null, by: string, at: number): number {
    stmt(this.db, `INSERT INTO presenter_state (id, at, version, shared_view, shared_by, shared_at, shared_version) VALUES (1, ?, 0, ?, ?, ?, 1)
      ON CONFLICT (id) DO UPDATE SET shared_view = excluded.shared_view, shared_by = excluded.shared_by, shared_at = excluded.shared_at, shared_version = shared_version + 1`).run(
      at, view === null ? null : JSON.stringify(view), by, at,
    );
    return this.presenter()!.shared_version;
  }

  decisions(meetingId: string): Decision[] {
    return stmt<DecisionRow>(this.db, `SELECT ${DECISION_COLUMNS} FROM meeting_decisions WHERE meeting_id = ? ORDER BY decided_at, id`).all(meetingId).map(toDecision);
  }

  decision(id: string): Decision | null {
    const row = stmt<DecisionRow>(this.db, `SELECT ${DECISION_COLUMNS} FROM meeting_decisions WHERE id = ?`).get(id);
    return row ? toDecision(row) : null;
  }

  /** Decisions with a deadline, newest deadline first. */
  decisionsWithDeadline(limit: number): Decision[] {
    return stmt<DecisionRow>(this.db, `SELECT ${DECISION_COLUMNS} FROM meeting_decisions WHERE deadline IS NOT NULL ORDER BY deadline DESC, id LIMIT ?`).all(limit).map(toDecision);
  }

  snapshot(decisionId: string): Buffer | null {
    return stmt<{ snapshot: Buffer | null }>(this.db, 'SELECT snapshot FROM meeting_decisions WHERE id = ?').get(decisionId)?.snapshot ?? null;
  }

  insertDecision(d: NewDecision): void {
    stmt(this.db, `INSERT INTO meeting_decisions (id, meeting_id, item_id, event_id, action, lead_department, cooperating, deadline, instruction, command_id, decided_by, decided_at, snapshot)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      d.id, d.meetingId, d.itemId, d.eventId, d.action, d.leadDepartment, JSON.stringify(d.cooperating), d.deadline, d.instruction, d.commandId, JSON.stringify(d.decidedBy), d.decidedAt, d.snapshot,
    );
  }

  /** Minutes filed this year (Asia/Shanghai "YYYY"), for the next number. */
  minutesCount(year: string): number {
    return stmt<{ n: number }>(this.db, "SELECT count(*) AS n FROM meeting_minutes WHERE substr(date, 1, 4) = ?").get(year)!.n;
  }

  insertMinutes(m: NewMinutes): void {
    stmt(this.db, 'INSERT INTO meeting_minutes (id, meeting_id, number, title, date, created_at, text) VALUES (?, ?, ?, ?, ?, ?, ?)').run(m.id, m.meetingId, m.number, m.title, m.date, m.createdAt, m.text);
    for (const f of m.files) stmt(this.db, 'INSERT INTO minutes_files (minutes_id, format, masked, data) VALUES (?, ?, ?, ?)').run(m.id, f.format, f.masked ? 1 : 0, f.data);
    for (const id of new Set(m.eventIds)) stmt(this.db, "INSERT OR IGNORE INTO minutes_refs (kind, ref, minutes_id) VALUES ('event', ?, ?)").run(id, m.id);
    for (const id of new Set(m.departments)) stmt(this.db, "INSERT OR IGNORE INTO minutes_refs (kind, ref, minutes_id) VALUES ('department', ?, ?)").run(id, m.id);
  }

  /** Filed minutes, newest first: all, of a meeting, or naming an event or a department. */
  minutes(filter: { meetingId?: string | undefined; eventId?: string | undefined; department?: string | undefined; text?: string | undefined }): Minutes[] {
    const rows = stmt<{ id: string; meeting_id: string; number: string; title: string; date: string; created_at: number }>(
      this.db,
      `SELECT id, meeting_id, number, title, date, created_at FROM meeting_minutes m
       WHERE (@meetingId IS NULL OR meeting_id = @meetingId)
         AND (@eventId IS NULL OR EXISTS (SELECT 1 FROM minutes_refs r WHERE r.kind = 'event' AND r.ref = @eventId AND r.minutes_id = m.id))
         AND (@department IS NULL OR EXISTS (SELECT 1 FROM minutes_refs r WHERE r.kind = 'department' AND r.ref = @department AND r.minutes_id = m.id))
         AND (@text IS NULL OR instr(text, @text) > 0)
       ORDER BY created_at DESC, id LIMIT 200`,
    ).all({ meetingId: filter.meetingId ?? null, eventId: filter.eventId ?? null, department: filter.department ?? null, text: filter.text ?? null });
    return rows.map((r) => ({
      id: r.id,
      meetingId: r.meeting_id,
      number: r.number,
      title: r.title,
      date: r.date,
      createdAt: toIso(r.created_at),
      eventIds: this.refs(r.id, 'event'),
      departments: this.refs(r.id, 'department'),
      formats: stmt<{ format: 'docx' | 'pdf' }>(this.db, 'SELECT DISTINCT format FROM minutes_files WHERE minutes_id = ? ORDER BY format').all(r.id).map((f) => f.format),
    }));
  }

  private refs(minutesId: string, kind: 'event' | 'department'): string[] {
    return stmt<{ ref: string }>(this.db, 'SELECT ref FROM minutes_refs WHERE minutes_id = ? AND kind = ? ORDER BY ref').all(minutesId, kind).map((r) => r.ref);
  }

  minutesFile(id: string, format: 'docx' | 'pdf', masked: boolean): { data: Buffer; title: string; number: string } | null {
    return (
      stmt<{ data: Buffer; title: string; number: string }>(
        this.db,
        'SELECT f.data, m.title, m.number FROM minutes_files f JOIN meeting_minutes m ON m.id = f.minutes_id WHERE f.minutes_id = ? AND f.format = ? AND f.masked = ?',
      ).get(id, format, masked ? 1 : 0) ?? null
    );
  }
}
