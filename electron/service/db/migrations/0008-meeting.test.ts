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

const V7 = MIGRATIONS.slice(0, 7);
const MEETING_TABLES = ['meetings', 'meeting_items', 'presenter_state', 'meeting_decisions', 'meeting_minutes', 'minutes_files', 'minutes_refs'];

describe('migration 0008: the consultation meeting', () => {
  it('creates its empty tables on an empty database', async () => {
    const { dataSource, db } = await openDatabase(tmp.file('v8.db'), MIGRATIONS);
    expect(executedMigrations(db)).toContain('Meeting0000000000008');
    for (const table of MEETING_TABLES) {
      expect(tableNames(db)).toContain(table);
      expect(db.prepare(`SELECT COUNT(*) AS c FROM ${table}`).get()).toEqual({ c: 0 });
    }
    await dataSource.destroy();
  });

  it('adds them to a version-7 database and keeps its data', async () => {
    const file = tmp.file('v7.db');
    const v7 = await openDatabase(file, V7);
    v7.db
      .prepare(`INSERT INTO events (id, status, category, grid, source, urgency, reported_at, risk, pending, code, base_rev) VALUES ('e1', 'dispatched', '0301', '430624103001001', 'hotline', 'normal', 0, 0, 0, 'GP-1', 1)`)
      .run();
    await v7.dataSource.destroy();
    const v8 = await openDatabase(file, MIGRATIONS);
    expect(v8.db.prepare('SELECT id FROM events').all()).toEqual([{ id: 'e1' }]);
    expect(tableNames(v8.db)).toEqual(expect.arrayContaining(MEETING_TABLES));
    // One presenter row at most.
    v8.db.prepare('INSERT INTO presenter_state (id, at, version) VALUES (1, 0, 0)').run();
    expect(() => v8.db.prepare('INSERT INTO presenter_state (id, at, version) VALUES (2, 0, 0)').run()).toThrow();
    await v8.dataSource.destroy();
  });
});
