import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../replica/test-fixtures';
import { executedMigrations, openDatabase } from '../sqlite';
import { columnNames } from '../test-helpers';
import { Migration0001Replica } from './0001-replica';
import { Migration0002Positions } from './0002-positions';
import { Migration0003EventSearch } from './0003-event-search';
import { Migration0004CommandDismissal } from './0004-command-dismissal';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const V3 = [Migration0001Replica, Migration0002Positions, Migration0003EventSearch];
const V4 = [...V3, Migration0004CommandDismissal];

describe('migration 0004: dismissal of rejected commands', () => {
  it('adds outbox.dismissed_at to an empty database', async () => {
    const { dataSource, db } = await openDatabase(tmp.file('v4.db'), V4);
    expect(executedMigrations(db)).toEqual([
      'Replica0000000000001',
      'Positions0000000000002',
      'EventSearch0000000000003',
      'CommandDismissal0000000000004',
    ]);
    expect(columnNames(db, 'outbox').at(-1)).toBe('dismissed_at');
    await dataSource.destroy();
  });

  it('upgrades a version-3 database with rejected commands: none is dismissed, the rows are kept', async () => {
    const file = tmp.file('v3.db');
    const v3 = await openDatabase(file, V3);
    const insert = v3.db.prepare(
      `INSERT INTO outbox (n, id, name, args, at, at_ms, actor, event_id, state, code, message)
       VALUES (?, ?, 'event.accept', '{}', 't', 0, '{}', 'e1', ?, ?, ?)`,
    );
    insert.run(1, 'rid:1', 'applied', null, null);
    insert.run(2, 'rid:2', 'rejected', 'invalid-transition', '事件已结案');
    await v3.dataSource.destroy();

    const v4 = await openDatabase(file, V4);
    expect(executedMigrations(v4.db).at(-1)).toBe('CommandDismissal0000000000004');
    expect(v4.db.prepare('SELECT n, state, message, dismissed_at FROM outbox ORDER BY n').all()).toEqual([
      { n: 1, state: 'applied', message: null, dismissed_at: null },
      { n: 2, state: 'rejected', message: '事件已结案', dismissed_at: null },
    ]);
    // and it can be undone, keeping the commands
    await v4.dataSource.undoLastMigration();
    expect(columnNames(v4.db, 'outbox')).not.toContain('dismissed_at');
    expect(v4.db.prepare('SELECT COUNT(*) AS c FROM outbox').get()).toEqual({ c: 2 });
    await v4.dataSource.destroy();
  });
});
