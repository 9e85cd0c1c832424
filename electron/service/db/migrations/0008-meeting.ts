// Migration 8: the consultation meeting (会商, issue 10). Meetings with their attendees,
// the agenda's items and the reasons each is there, the presenter's state (the item on
// screen and the map's view, one row: a restarted service resumes the meeting where it
// was, and the shared view of 投到大屏 with it), the decisions with the workflow command
// each ran, and the filed minutes (会商纪要: .docx and .pdf, masked and full) with the
// events and departments they name, for the search.
import { SqlMigration, migrationName } from './sql-migration';

export class Migration0008Meeting extends SqlMigration {
  readonly name = migrationName('Meeting', 8);

  protected readonly upSql = [
    `CREATE TABLE meetings (
      id TEXT PRIMARY KEY,
      title TEXT NOT NULL,
      date TEXT NOT NULL,
      place TEXT NOT NULL,
      chair TEXT NOT NULL,
      attendees TEXT NOT NULL,
      departments TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('planned', 'inProgress', 'ended')),
      created_at INTEGER NOT NULL,
      created_by TEXT NOT NULL,
      ended_at INTEGER
    ) WITHOUT ROWID`,
    `CREATE INDEX meetings_created ON meetings (created_at)`,
    `CREATE TABLE meeting_items (
      id TEXT PRIMARY KEY,
      meeting_id TEXT NOT NULL REFERENCES meetings (id),
      ord INTEGER NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('event', 'hotspot', 'topic', 'followup')),
      title TEXT NOT NULL,
      event_id TEXT,
      grid TEXT,
      category TEXT,
      reasons TEXT NOT NULL,
      decision_id TEXT,
      note TEXT NOT NULL DEFAULT ''
    ) WITHOUT ROWID`,
    `CREATE INDEX meeting_items_meeting ON meeting_items (meeting_id, ord)`,
    `CREATE INDEX meeting_items_event ON meeting_items (event_id) WHERE event_id IS NOT NULL`,
    // One row (id = 1): the presenter's state and the shared map view, with a version that survives restarts.
    `CREATE TABLE presenter_state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      meeting_id TEXT,
      item_id TEXT,
      view TEXT,
      by_name TEXT NOT NULL DEFAULT '',
      at INTEGER NOT NULL,
      version INTEGER NOT NULL,
      shared_view TEXT,
      shared_by TEXT NOT NULL DEFAULT '',
      shared_at INTEGER NOT NULL DEFAULT 0,
      shared_version INTEGER NOT NULL DEFAULT 0
    )`,
    `CREATE TABLE meeting_decisions (
      id TEXT PRIMARY KEY,
      meeting_id TEXT NOT NULL REFERENCES meetings (id),
      item_id TEXT NOT NULL REFERENCES meeting_items (id),
      event_id TEXT,
      action TEXT NOT NULL,
      lead_department TEXT,
      cooperating TEXT NOT NULL,
      deadline TEXT,
      instruction TEXT NOT NULL,
      command_id TEXT,
      decided_by TEXT NOT NULL,
      decided_at INTEGER NOT NULL,
      snapshot BLOB
    ) WITHOUT ROWID`,
    `CREATE INDEX meeting_decisions_meeting ON meeting_decisions (meeting_id, decided_at)`,
    `CREATE INDEX meeting_decisions_deadline ON meeting_decisions (deadline) WHERE deadline IS NOT NULL`,
    `CREATE TABLE meeting_minutes (
      id TEXT PRIMARY KEY,
      meeting_id TEXT NOT NULL REFERENCES meetings (id),
      number TEXT NOT NULL,
      title TEXT NOT NULL,
      date TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      text TEXT NOT NULL
    ) WITHOUT ROWID`,
    `CREATE INDEX meeting_minutes_meeting ON meeting_minutes (meeting_id)`,
    // The files: each format, full and masked (personal data as a room may see it).
    `CREATE TABLE minutes_files (
      minutes_id TEXT NOT NULL REFERENCES meeting_minutes (id),
      format TEXT NOT NULL CHECK (format IN ('docx', 'pdf')),
      masked INTEGER NOT NULL,
      data BLOB NOT NULL,
      PRIMARY KEY (minutes_id, format, masked)
    ) WITHOUT ROWID`,
    // What the minutes name, for minutes.list by event or department.
    `CREATE TABLE minutes_refs (
      kind TEXT NOT NULL CHECK (kind IN ('event', 'department')),
      ref TEXT NOT NULL,
      minutes_id TEXT NOT NULL REFERENCES meeting_minutes (id),
      PRIMARY KEY (kind, ref, minutes_id)
    ) WITHOUT ROWID`,
  ];

  protected readonly downSql = [
    'DROP TABLE minutes_refs',
    'DROP TABLE minutes_files',
    'DROP TABLE meeting_minutes',
    'DROP TABLE meeting_decisions',
    'DROP TABLE presenter_state',
    'DROP TABLE meeting_items',
    'DROP TABLE meetings',
  ];
}
