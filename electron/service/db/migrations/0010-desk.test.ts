import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../replica/test-fixtures';
import { MIGRATIONS } from '.';
import { executedMigrations, openDatabase } from '../sqlite';
import { tableNames } from '../test-helpers';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const BEFORE = MIGRATIONS.filter((m) => !/Desk/.test(m.name));

describe('migration 0010: the desk\'s supervisions and rule dispatches', () => {
  it('creates its tables on an empty database', async () => {
    const { dataSource, db } = await openDatabase(tmp.file('empty.db'), MIGRATIONS);
    expect(executedMigrations(db)).toContain('Desk0000000000010');
    expect(tableNames(db)).toEqual(expect.arrayContaining(['desk_supervisions', 'desk_auto_dispatch']));
    await dataSource.destroy();
  });

  it('adds them to a database of the previous version, keeping its data, and numbers supervisions once a year', async () => {
    const file = tmp.file('old.db');
    const old = await openDatabase(file, BEFORE);
    old.db.prepare("INSERT INTO settings (key, value) VALUES ('k', 'v')").run();
    await old.dataSource.destroy();
    const next = await openDatabase(file, MIGRATIONS);
    expect(next.db.prepare("SELECT value FROM settings WHERE key = 'k'").get()).toEqual({ value: 'v' });
    const insert = next.db.prepare(
      "INSERT INTO desk_supervisions (event_id, year, seq, level, deadline_ms, requirement, by_id, by_name, by_role, at_ms, command_n) VALUES ('e', 2026, ?, ?, 0, 'r', 'u', 'n', 'leader', 0, 1)",
    );
    insert.run(1, 'leader');
    expect(() => insert.run(1, 'dispatch')).toThrow(/UNIQUE/);
    expect(() => insert.run(2, 'other')).toThrow(/CHECK/);
    await next.dataSource.destroy();
  });
});
