// Migration 10: the command desk's own records (issue 13), town-only facts the county
// does not carry: each supervision's level, deadline and 督办单 number (the event.supervise
// it came with goes to the county through the outbox, n = command_n), and the events a
// dispatch rule dispatched by itself, one row per event so that it happens once.
import { SqlMigration, migrationName } from './sql-migration';

export class Migration0010Desk extends SqlMigration {
  readonly name = migrationName('Desk', 10);

  protected readonly upSql = [
    `CREATE TABLE desk_supervisions (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      event_id TEXT NOT NULL,
      year INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      level TEXT NOT NULL CHECK (level IN ('dispatch', 'leader')),
      deadline_ms INTEGER NOT NULL,
      requirement TEXT NOT NULL,
      by_id TEXT NOT NULL,
      by_name TEXT NOT NULL,
      by_role TEXT NOT NULL,
      at_ms INTEGER NOT NULL,
      command_n INTEGER NOT NULL,
      UNIQUE (year, seq)
    )`,
    `CREATE INDEX desk_supervisions_event ON desk_supervisions (event_id, id)`,
    `CREATE TABLE desk_auto_dispatch (
      event_id TEXT PRIMARY KEY,
      rule_id TEXT NOT NULL,
      rule_name TEXT NOT NULL,
      at_ms INTEGER NOT NULL,
      command_n INTEGER
    ) WITHOUT ROWID`,
  ];

  protected readonly downSql = ['DROP TABLE desk_auto_dispatch', 'DROP TABLE desk_supervisions'];
}
