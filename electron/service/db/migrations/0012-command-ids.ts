// Migration 12: the first answer to each idempotency key (issue 15). A screen sends
// every command with a key it made (core/api/idempotency.ts); the data service keeps the
// answer it gave under that key, in the replica so that it holds across a restart, and
// answers a repeated key with it instead of running the command again. A workflow
// command's answer is written in the outbox's own transaction (both commit or neither).
// Rows older than IDEMPOTENCY_TTL_MS are deleted (electron/service/command-keys.ts).
import { SqlMigration, migrationName } from './sql-migration';

export class Migration0012CommandIds extends SqlMigration {
  readonly name = migrationName('CommandIds', 12);

  protected readonly upSql = [
    `CREATE TABLE command_keys (
      key TEXT PRIMARY KEY,
      method TEXT NOT NULL,
      caller TEXT NOT NULL,
      response TEXT NOT NULL,
      at_ms INTEGER NOT NULL
    ) WITHOUT ROWID`,
    `CREATE INDEX command_keys_at ON command_keys (at_ms)`,
  ];

  protected readonly downSql = ['DROP TABLE command_keys'];
}
