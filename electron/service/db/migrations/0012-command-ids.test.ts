import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../replica/test-fixtures';
import { MIGRATIONS } from '.';
import { Migration0007EventParties } from './0007-event-parties';
import { Migration0012CommandIds } from './0012-command-ids';
import { executedMigrations, openDatabase } from '../sqlite';
import { tableNames } from '../test-helpers';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

/** Everything up to 0007, whatever other numbers sit between it and 0012. */
const BEFORE = MIGRATIONS.slice(0, MIGRATIONS.indexOf(Migration0007EventParties) + 1);
/** Everything up to 0012 (later migrations would be the last one run). */
const UPTO = MIGRATIONS.slice(0, MIGRATIONS.indexOf(Migration0012CommandIds) + 1);

describe('migration 0012: the answers to idempotency keys', () => {
  it('creates an empty table on an empty database', async () => {
    const { dataSource, db } = await openDatabase(tmp.file('v12.db'), MIGRATIONS);
    expect(executedMigrations(db)).toContain('CommandIds0000000000012');
    expect(tableNames(db)).toContain('command_keys');
    expect(db.prepare('SELECT COUNT(*) AS c FROM command_keys').get()).toEqual({ c: 0 });
    await dataSource.destroy();
  });

  it('upgrades a version-7 database holding commands, keeps them, and can be undone', async () => {
    const file = tmp.file('v7.db');
    const v7 = await openDatabase(file, BEFORE);
    v7.db.prepare(`INSERT INTO outbox (n, id, name, args, at, at_ms, actor, event_id) VALUES (1, 'r:1', 'event.comment', '{}', 't', 0, '{}', 'e1')`).run();
    await v7.dataSource.destroy();
    const v12 = await openDatabase(file, UPTO);
    expect(executedMigrations(v12.db).at(-1)).toBe('CommandIds0000000000012');
    v12.db.prepare("INSERT INTO command_keys (key, method, caller, response, at_ms) VALUES ('k-1', 'event.comment', '', '{}', 1)").run();
    expect(v12.db.prepare('SELECT COUNT(*) AS c FROM outbox').get()).toEqual({ c: 1 });
    await v12.dataSource.undoLastMigration();
    expect(tableNames(v12.db)).not.toContain('command_keys');
    expect(v12.db.prepare('SELECT COUNT(*) AS c FROM outbox').get()).toEqual({ c: 1 });
    await v12.dataSource.destroy();
  });
});
