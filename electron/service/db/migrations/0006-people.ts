// Migration 6: the people of the town's center, kept in the replica so that the town
// logs in with the county link down (issue 9). accounts: personal logins (scrypt hash,
// per-account salt and parameters, lockout state); sessions: opened by a login or a
// device's enrolment, stored by the SHA-256 of their token (never the token);
// devices: the wall and meeting screens' tokens (the hash of a one-time enrolment
// code); settings: key → JSON value; audit_log: the append-only, hash-chained trail
// (electron/service/people/audit.ts), whose rows no UPDATE or DELETE may touch.
// Times are epoch ms, except the audit entry's `at` (ISO, part of what is hashed).
import { SqlMigration, migrationName } from './sql-migration';

export class Migration0006People extends SqlMigration {
  readonly name = migrationName('People', 6);

  protected readonly upSql = [
    `CREATE TABLE accounts (
      id TEXT PRIMARY KEY,
      username TEXT NOT NULL UNIQUE CHECK (username = lower(username)),
      name TEXT NOT NULL,
      role TEXT NOT NULL,
      department_id TEXT,
      grids TEXT,
      password_hash TEXT NOT NULL,
      salt TEXT NOT NULL,
      scrypt_params TEXT NOT NULL,
      disabled INTEGER NOT NULL DEFAULT 0,
      must_change_password INTEGER NOT NULL DEFAULT 0,
      failed_count INTEGER NOT NULL DEFAULT 0,
      first_failed_at INTEGER,
      locked_until INTEGER,
      last_login_at INTEGER,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`,
    `CREATE TABLE devices (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      code_hash TEXT UNIQUE,
      created_at INTEGER NOT NULL,
      created_by TEXT NOT NULL,
      enrolled_at INTEGER,
      last_seen_at INTEGER,
      revoked_at INTEGER
    )`,
    `CREATE TABLE sessions (
      id TEXT PRIMARY KEY,
      token_hash TEXT NOT NULL UNIQUE,
      account_id TEXT REFERENCES accounts (id),
      device_id TEXT REFERENCES devices (id),
      created_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL,
      ended_at INTEGER,
      end_reason TEXT,
      seat TEXT NOT NULL,
      CHECK ((account_id IS NULL) <> (device_id IS NULL))
    )`,
    `CREATE INDEX sessions_account ON sessions (account_id) WHERE ended_at IS NULL`,
    `CREATE INDEX sessions_device ON sessions (device_id) WHERE ended_at IS NULL`,
    `CREATE INDEX sessions_ended ON sessions (ended_at) WHERE ended_at IS NOT NULL`,
    `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`,
    `CREATE TABLE audit_log (
      seq INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      kind TEXT NOT NULL,
      actor_id TEXT,
      actor_name TEXT NOT NULL,
      role TEXT NOT NULL,
      seat TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT,
      detail TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    )`,
    `CREATE INDEX audit_log_kind ON audit_log (kind, seq)`,
    `CREATE INDEX audit_log_actor ON audit_log (actor_id, seq)`,
    `CREATE INDEX audit_log_target ON audit_log (target, seq)`,
    `CREATE INDEX audit_log_at ON audit_log (at)`,
    `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be changed'); END`,
    `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be deleted'); END`,
  ];

  protected readonly downSql = [
    'DROP TRIGGER audit_log_no_delete',
    'DROP TRIGGER audit_log_no_update',
    'DROP TABLE audit_log',
    'DROP TABLE settings',
    'DROP TABLE sessions',
    'DROP TABLE devices',
    'DROP TABLE accounts',
  ];
}
