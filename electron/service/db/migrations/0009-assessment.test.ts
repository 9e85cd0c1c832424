import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countyEvent, tempDir } from '../../replica/test-fixtures';
import { MIGRATIONS } from '.';
import { executedMigrations, openDatabase } from '../sqlite';
import { tableNames } from '../test-helpers';
import { backfillFacts } from '../../assessment/facts-store';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const BEFORE = MIGRATIONS.filter((m) => !m.name.includes('0009'));

describe('migration 0009: the assessment tables', () => {
  it('creates empty tables on an empty database', async () => {
    const { dataSource, db } = await openDatabase(tmp.file('v9.db'), MIGRATIONS);
    expect(executedMigrations(db)).toContain('Assessment0000000000009');
    expect(tableNames(db)).toEqual(expect.arrayContaining(['event_facts', 'patrol_days', 'assessment_settings']));
    expect(db.prepare('SELECT COUNT(*) AS c FROM event_facts').get()).toEqual({ c: 0 });
    await dataSource.destroy();
  });

  it("keeps an older database's events, whose facts the first open fills from their views", async () => {
    const file = tmp.file('old.db');
    const old = await openDatabase(file, BEFORE);
    const closed = countyEvent({ id: 'e1' }, 'closed');
    const seq = Number(
      old.db
        .prepare(
          `INSERT INTO events (id, status, category, grid, source, urgency, reported_at, risk, pending, code, base_rev)
           VALUES ('e1', 'closed', '0301', ?, 'hotline', 'normal', 0, 0, 0, 'GP-e1', 1)`,
        )
        .run(closed.grid).lastInsertRowid,
    );
    old.db.prepare('INSERT INTO event_docs (seq, base, view) VALUES (?, ?, NULL)').run(seq, JSON.stringify(closed));
    await old.dataSource.destroy();

    const v9 = await openDatabase(file, MIGRATIONS);
    expect(v9.db.prepare('SELECT COUNT(*) AS c FROM events').get()).toEqual({ c: 1 });
    expect(backfillFacts(v9.db)).toBe(1);
    expect(v9.db.prepare('SELECT status, merged, closed_on_time, close_last IS NOT NULL AS closed FROM event_facts').get()).toEqual({
      status: 'closed',
      merged: 0,
      closed_on_time: 1,
      closed: 1,
    });
    expect(backfillFacts(v9.db)).toBe(0);
    await v9.dataSource.destroy();
  });
});
