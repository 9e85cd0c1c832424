import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../replica/test-fixtures';
import { executedMigrations, openDatabase } from '../sqlite';
import { tableNames } from '../test-helpers';
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

const V4 = [Migration0001Replica, Migration0002Positions, Migration0003EventSearch, Migration0004CommandDismissal];
/** Up to this migration: later ones are tested in their own files. */
const V5 = [...V4, Migration0005EventCounts];
/** Group-0 risk keys: due seconds × 4 + urgency rank (electron/service/replica/event-index.ts riskKey). */
const due = (isoSeconds: number, urgency = 2): number => isoSeconds * 4 + urgency;
const HOUR_UNITS = 14_400;

describe('migration 0005: the queue counters', () => {
  it('creates empty counters on an empty database', async () => {
    const { dataSource, db } = await openDatabase(tmp.file('v5.db'), V5);
    expect(executedMigrations(db).at(-1)).toBe('EventCounts0000000000005');
    expect(tableNames(db)).toEqual(expect.arrayContaining(['event_counts', 'event_due_counts']));
    expect(db.prepare('SELECT COUNT(*) AS c FROM event_counts').get()).toEqual({ c: 0 });
    expect(db.prepare('SELECT COUNT(*) AS c FROM event_due_counts').get()).toEqual({ c: 0 });
    await dataSource.destroy();
  });

  it('fills the counters from the events a version-4 database holds, and keeps the data', async () => {
    const file = tmp.file('v4.db');
    const v4 = await openDatabase(file, V4);
    const insert = v4.db.prepare(
      `INSERT INTO events (id, status, category, grid, source, urgency, reported_at, risk, pending, code, base_rev)
       VALUES (?, ?, '0301', '430624103001001', 'hotline', 'normal', 0, ?, 0, ?, 1)`,
    );
    const t = 1_780_000_000; // seconds
    insert.run('e1', 'reported', due(t), 'GP-1');
    insert.run('e2', 'reported', due(t + 60), 'GP-2'); // same hour as e1
    insert.run('e3', 'dispatched', due(t + 7200, 0), 'GP-3'); // two hours later
    insert.run('e4', 'suspended', 1e13 + 2e11 + t, 'GP-4'); // open, no running clock
    insert.run('e5', 'closed', 2e13 + 1e11 - 1 - t, 'GP-5'); // final
    await v4.dataSource.destroy();

    const v5 = await openDatabase(file, V5);
    expect(executedMigrations(v5.db).at(-1)).toBe('EventCounts0000000000005');
    expect(v5.db.prepare('SELECT status, n FROM event_counts ORDER BY status').all()).toEqual([
      { status: 'closed', n: 1 },
      { status: 'dispatched', n: 1 },
      { status: 'reported', n: 2 },
      { status: 'suspended', n: 1 },
    ]);
    const hour = Math.floor(due(t) / HOUR_UNITS);
    const later = Math.floor(due(t + 7200, 0) / HOUR_UNITS);
    expect(Math.floor(due(t + 60) / HOUR_UNITS)).toBe(hour);
    expect(v5.db.prepare('SELECT hour, n FROM event_due_counts ORDER BY hour').all()).toEqual([
      { hour, n: 2 },
      { hour: later, n: 1 },
    ]);
    expect(v5.db.prepare('SELECT COUNT(*) AS c FROM events').get()).toEqual({ c: 5 });
    expect(v5.db.pragma('integrity_check', { simple: true })).toBe('ok');
    // and it can be undone, keeping the events
    await v5.dataSource.undoLastMigration();
    expect(tableNames(v5.db)).not.toContain('event_counts');
    expect(tableNames(v5.db)).not.toContain('event_due_counts');
    expect(v5.db.prepare('SELECT COUNT(*) AS c FROM events').get()).toEqual({ c: 5 });
    await v5.dataSource.destroy();
  });
});
