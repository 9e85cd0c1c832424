// Migration 11: the field desk (issue 13, second half). The county's sensors and cameras
// (`device` entities, replicated like the other types: revision, tombstones in
// `tombstones` with type 'device'); the emergency plans library and the register of
// teams and resources (the town's own data, edited by the admin); the emergencies opened
// on events with their plan copy and checklist; the worker.notify messages (the command
// itself is in the outbox, n links them); and the grid workers' visits of grids per day,
// kept after the tracks are pruned, for the sweeps. The SQL is spelled out, not
// imported: a released migration never changes.
import { SqlMigration, migrationName } from './sql-migration';

export class Migration0011Field extends SqlMigration {
  readonly name = migrationName('Field', 11);

  protected readonly upSql = [
    `CREATE TABLE field_devices (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, grid TEXT NOT NULL, data TEXT NOT NULL) WITHOUT ROWID`,
    `CREATE TABLE field_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`,
    `CREATE TABLE emergency_plans (id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID`,
    `CREATE TABLE emergency_resources (id TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID`,
    `CREATE TABLE emergencies (
      event_id TEXT PRIMARY KEY,
      plan TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('active', 'closed')),
      opened_at INTEGER NOT NULL,
      opened_by TEXT NOT NULL,
      closed_at INTEGER,
      radius_m INTEGER NOT NULL,
      checklist TEXT NOT NULL
    ) WITHOUT ROWID`,
    `CREATE INDEX emergencies_status ON emergencies (status, opened_at)`,
    `CREATE TABLE field_notices (n INTEGER PRIMARY KEY, event_id TEXT, workers TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL)`,
    `CREATE INDEX field_notices_event ON field_notices (event_id, n)`,
    `CREATE TABLE patrol_visits (
      date TEXT NOT NULL,
      grid TEXT NOT NULL,
      worker_id TEXT NOT NULL,
      first_at INTEGER NOT NULL,
      last_at INTEGER NOT NULL,
      fixes INTEGER NOT NULL,
      PRIMARY KEY (date, grid, worker_id)
    ) WITHOUT ROWID`,
    `CREATE TABLE patrol_cursor (worker_id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL) WITHOUT ROWID`,
  ];

  protected readonly downSql = [
    'DROP TABLE patrol_cursor',
    'DROP TABLE patrol_visits',
    'DROP TABLE field_notices',
    'DROP TABLE emergencies',
    'DROP TABLE emergency_resources',
    'DROP TABLE emergency_plans',
    'DROP TABLE field_meta',
    'DROP TABLE field_devices',
  ];
}
