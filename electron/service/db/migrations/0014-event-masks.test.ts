import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../replica/test-fixtures';
import { MIGRATIONS } from '.';
import { Migration0013Registers } from './0013-registers';
import { executedMigrations, openDatabase } from '../sqlite';
import { tableNames } from '../test-helpers';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const UPTO_13 = MIGRATIONS.slice(0, MIGRATIONS.indexOf(Migration0013Registers) + 1);
const count = (db: Awaited<ReturnType<typeof openDatabase>>['db'], table: string): number => (db.prepare(`SELECT COUNT(*) AS c FROM ${table}`).get() as { c: number }).c;

describe('migration 0014: the events masked at every level', () => {
  it('upgrades a version-13 database holding events: no masks yet (filled after open), and can be undone', async () => {
    const file = tmp.file('v13.db');
    const v13 = await openDatabase(file, UPTO_13);
    v13.db.prepare(`INSERT INTO event_docs (seq, base, view) VALUES (1, '{"id":"e1"}', NULL)`).run();
    await v13.dataSource.destroy();
    const v14 = await openDatabase(file, MIGRATIONS);
    expect(executedMigrations(v14.db)).toContain('EventMasks0000000000014');
    expect(tableNames(v14.db)).toEqual(expect.arrayContaining(['event_masks', 'event_mask_state']));
    expect(count(v14.db, 'event_masks')).toBe(0);
    expect(v14.db.prepare('SELECT rules, filled, fill_below FROM event_mask_state').get()).toEqual({ rules: 0, filled: 0, fill_below: null });
    await v14.dataSource.undoLastMigration();
    expect(tableNames(v14.db)).not.toContain('event_masks');
    expect(count(v14.db, 'event_docs')).toBe(1);
    await v14.dataSource.destroy();
  });

  it('drops the masks of a document inserted, changed or deleted, whoever writes it', async () => {
    const { dataSource, db } = await openDatabase(tmp.file('v14.db'), MIGRATIONS);
    const mask = (seq: number) => db.prepare("INSERT OR REPLACE INTO event_masks (seq, level_all) VALUES (?, 'a')").run(seq);
    const has = (seq: number) => db.prepare('SELECT 1 FROM event_masks WHERE seq = ?').get(seq) !== undefined;
    // A mask left for a seq that a new document then takes (never read as that document's).
    mask(1);
    db.prepare(`INSERT INTO event_docs (seq, base, view) VALUES (1, '{"id":"e1"}', NULL)`).run();
    expect(has(1)).toBe(false);
    mask(1);
    db.prepare(`UPDATE event_docs SET view = '{"id":"e1","x":1}' WHERE seq = 1`).run();
    expect(has(1)).toBe(false);
    mask(1);
    db.prepare('DELETE FROM event_docs WHERE seq = 1').run();
    expect(has(1)).toBe(false);
    await dataSource.destroy();
  });
});
