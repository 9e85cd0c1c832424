import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../replica/test-fixtures';
import { MIGRATIONS } from '.';
import { executedMigrations, openDatabase } from '../sqlite';
import { columnNames, tableNames } from '../test-helpers';
import { Migration0001Replica } from './0001-replica';
import { Migration0002Positions } from './0002-positions';
import { Migration0003EventSearch } from './0003-event-search';
import { Migration0004CommandDismissal } from './0004-command-dismissal';
import { Migration0005EventCounts } from './0005-event-counts';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const V5 = [Migration0001Replica, Migration0002Positions, Migration0003EventSearch, Migration0004CommandDismissal, Migration0005EventCounts];
/** Up to this migration: later ones are tested in their own files. */
const V6 = MIGRATIONS.slice(0, 6);
const PEOPLE_TABLES = ['accounts', 'audit_log', 'devices', 'sessions', 'settings'];

const appendRow = (seq: number) => [seq, '2026-12-03T09:00:00+08:00', 'login', 'a-1', '张三', 'dispatcher', 'cli', 'auth.login', null, '', '0'.repeat(64), 'h'.repeat(64)];
const INSERT_AUDIT = `INSERT INTO audit_log (seq, at, kind, actor_id, actor_name, role, seat, action, target, detail, prev_hash, hash)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

describe('migration 0006: accounts, sessions, devices, settings and the audit trail', () => {
  it('creates the tables on an empty database', async () => {
    const { dataSource, db } = await openDatabase(tmp.file('v6.db'), V6);
    expect(executedMigrations(db).at(-1)).toBe('People0000000000006');
    expect(tableNames(db)).toEqual(expect.arrayContaining(PEOPLE_TABLES));
    expect(columnNames(db, 'sessions')).toContain('token_hash');
    expect(columnNames(db, 'sessions')).not.toContain('token');
    expect(columnNames(db, 'accounts')).toEqual(expect.arrayContaining(['password_hash', 'salt', 'scrypt_params', 'locked_until', 'must_change_password']));
    await dataSource.destroy();
  });

  it('keeps audit_log append-only: an UPDATE or a DELETE aborts', async () => {
    const { dataSource, db } = await openDatabase(tmp.file('v6.db'), MIGRATIONS);
    db.prepare(INSERT_AUDIT).run(...appendRow(1));
    expect(() => db.prepare("UPDATE audit_log SET detail = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT detail FROM audit_log').all()).toEqual([{ detail: '' }]);
    await dataSource.destroy();
  });

  it('refuses an upper-case username and a session of both an account and a device', async () => {
    const { dataSource, db } = await openDatabase(tmp.file('v6.db'), MIGRATIONS);
    const account = db.prepare(
      `INSERT INTO accounts (id, username, name, role, password_hash, salt, scrypt_params, created_at, updated_at) VALUES (?, ?, '张三', 'dispatcher', 'h', 's', '{}', 0, 0)`,
    );
    expect(() => account.run('a-1', 'ZhangSan')).toThrow(/CHECK/);
    account.run('a-1', 'zhangsan');
    expect(() => account.run('a-2', 'zhangsan')).toThrow(/UNIQUE/);
    db.prepare("INSERT INTO devices (id, name, created_at, created_by) VALUES ('d-1', '大屏', 0, 'a-1')").run();
    const session = db.prepare("INSERT INTO sessions (id, token_hash, account_id, device_id, created_at, last_seen_at, seat) VALUES (?, ?, ?, ?, 0, 0, 'cli')");
    expect(() => session.run('s-1', 'x', 'a-1', 'd-1')).toThrow(/CHECK/);
    expect(() => session.run('s-1', 'x', null, null)).toThrow(/CHECK/);
    session.run('s-1', 'x', 'a-1', null);
    await dataSource.destroy();
  });

  it('upgrades a version-5 database holding data, and can be undone keeping it', async () => {
    const file = tmp.file('v5.db');
    const v5 = await openDatabase(file, V5);
    v5.db.prepare("INSERT INTO meta (id, replica_id, town, next_n) VALUES (1, 'r-1', '430624103', 7)").run();
    await v5.dataSource.destroy();

    const v6 = await openDatabase(file, V6);
    expect(executedMigrations(v6.db).at(-1)).toBe('People0000000000006');
    expect(tableNames(v6.db)).toEqual(expect.arrayContaining(PEOPLE_TABLES));
    expect(v6.db.prepare('SELECT next_n FROM meta').get()).toEqual({ next_n: 7 });
    v6.db.prepare(INSERT_AUDIT).run(...appendRow(1));
    expect(v6.db.pragma('integrity_check', { simple: true })).toBe('ok');
    await v6.dataSource.undoLastMigration();
    for (const table of PEOPLE_TABLES) expect(tableNames(v6.db)).not.toContain(table);
    expect(v6.db.prepare('SELECT next_n FROM meta').get()).toEqual({ next_n: 7 });
    await v6.dataSource.destroy();
  });
});
