// Migration 4: a dispatcher can drop a command the county rejected from the console's
// list once it has been dealt with (redone, or given up). The outbox row stays, as the
// record of what was sent and why it was refused; dismissed_at only hides it.
import { SqlMigration, migrationName } from './sql-migration';

export class Migration0004CommandDismissal extends SqlMigration {
  readonly name = migrationName('CommandDismissal', 4);

  protected readonly upSql = ['ALTER TABLE outbox ADD COLUMN dismissed_at INTEGER'];

  protected readonly downSql = ['ALTER TABLE outbox DROP COLUMN dismissed_at'];
}
