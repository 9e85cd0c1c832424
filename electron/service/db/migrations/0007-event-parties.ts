// Migration 7: the departments that take part in each event (issue 9, people: a
// department operator sees the events of its department), so that its queue is an
// index range over a million events rather than a scan of their documents. A party is
// the lead department of the assignee, a cooperating department, or a department that
// acted on the event (a history entry's departmentId); core/privacy/scope.ts
// (departmentsOf) states the rule and the replica keeps the rows with the event's
// search text (electron/service/replica/event-rows.ts). Here they are filled from the
// views a version-6 database already holds. The SQL is spelled out, not imported: a
// released migration never changes.
import { SqlMigration, migrationName } from './sql-migration';

const DOC = 'coalesce(d.view, d.base)';

export class Migration0007EventParties extends SqlMigration {
  readonly name = migrationName('EventParties', 7);

  protected readonly upSql = [
    `CREATE TABLE event_parties (party TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (party, seq)) WITHOUT ROWID`,
    `CREATE INDEX event_parties_seq ON event_parties (seq)`,
    `INSERT OR IGNORE INTO event_parties (party, seq)
      SELECT json_extract(${DOC}, '$.assignee.id'), e.seq FROM events e JOIN event_docs d ON d.seq = e.seq
      WHERE json_extract(${DOC}, '$.assignee.kind') = 'department'
      UNION
      SELECT c.value, e.seq FROM events e JOIN event_docs d ON d.seq = e.seq, json_each(${DOC}, '$.assignee.cooperating') c
      WHERE json_extract(${DOC}, '$.assignee.kind') = 'department' AND c.type = 'text'
      UNION
      SELECT json_extract(h.value, '$.departmentId'), e.seq FROM events e JOIN event_docs d ON d.seq = e.seq, json_each(${DOC}, '$.history') h
      WHERE json_type(h.value, '$.departmentId') = 'text'`,
  ];

  protected readonly downSql = ['DROP TABLE event_parties'];
}
