// Migration 5: the queue's counters, so that opening the queue over a million events
// reads a few rows instead of counting an index. event_counts: events per status of
// their view. event_due_counts: events with a running clock per hour of their earliest
// due (risk / 14400: group-0 risk keys are due seconds × 4 + urgency, see riskKey), so
// the overdue tab is the sum of the hours before now plus the current hour counted
// from the risk index. The replica keeps both in the same transaction as every event
// row it writes (electron/service/replica/event-rows.ts); here they are filled from the
// rows a version-4 database already holds. The SQL is spelled out, not imported: a
// released migration never changes.
import { SqlMigration, migrationName } from './sql-migration';

export class Migration0005EventCounts extends SqlMigration {
  readonly name = migrationName('EventCounts', 5);

  protected readonly upSql = [
    `CREATE TABLE event_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID`,
    `CREATE TABLE event_due_counts (hour INTEGER PRIMARY KEY, n INTEGER NOT NULL)`,
    `INSERT INTO event_counts (status, n) SELECT status, COUNT(*) FROM events GROUP BY status`,
    `INSERT INTO event_due_counts (hour, n)
      SELECT risk / 14400, COUNT(*) FROM events WHERE risk < 10000000000000 GROUP BY risk / 14400`,
  ];

  protected readonly downSql = ['DROP TABLE event_due_counts', 'DROP TABLE event_counts'];
}
