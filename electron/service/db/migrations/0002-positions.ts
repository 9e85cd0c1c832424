// Migration 2: grid workers' positions: the latest fix of each worker, and a bounded
// track history (the replica prunes it by age and by count per worker).
import { SqlMigration, migrationName } from './sql-migration';

export class Migration0002Positions extends SqlMigration {
  readonly name = migrationName('Positions', 2);

  protected readonly upSql = [
    `CREATE TABLE positions_latest (
      worker_id TEXT PRIMARY KEY,
      lon REAL NOT NULL,
      lat REAL NOT NULL,
      at INTEGER NOT NULL,
      speed REAL,
      heading REAL,
      accuracy REAL,
      received_at INTEGER NOT NULL
    ) WITHOUT ROWID`,
    // Keyed by (worker, fix time): the same fix delivered twice is stored once, and a
    // worker's track in a time window is one index range.
    `CREATE TABLE track_points (
      worker_id TEXT NOT NULL,
      at INTEGER NOT NULL,
      lon REAL NOT NULL,
      lat REAL NOT NULL,
      speed REAL,
      heading REAL,
      accuracy REAL,
      PRIMARY KEY (worker_id, at)
    ) WITHOUT ROWID`,
  ];

  protected readonly downSql = ['DROP TABLE track_points', 'DROP TABLE positions_latest'];
}
