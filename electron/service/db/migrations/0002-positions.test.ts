import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../replica/test-fixtures';
import { executedMigrations, openDatabase } from '../sqlite';
import { columnNames, tableNames } from '../test-helpers';
import { Migration0001Replica } from './0001-replica';
import { Migration0002Positions } from './0002-positions';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const V2 = [Migration0001Replica, Migration0002Positions];

describe('migration 0002: positions', () => {
  it('adds the latest-position and track tables to an empty database', async () => {
    const { dataSource, db } = await openDatabase(tmp.file('v2.db'), V2);
    expect(executedMigrations(db)).toEqual(['Replica0000000000001', 'Positions0000000000002']);
    expect(tableNames(db)).toContain('positions_latest');
    expect(columnNames(db, 'positions_latest')).toEqual(['worker_id', 'lon', 'lat', 'at', 'speed', 'heading', 'accuracy', 'received_at']);
    expect(columnNames(db, 'track_points')).toEqual(['worker_id', 'at', 'lon', 'lat', 'speed', 'heading', 'accuracy']);
    // keyed by (worker, time): the same fix twice is one row
    const insert = db.prepare('INSERT OR IGNORE INTO track_points (worker_id, at, lon, lat) VALUES (?, ?, ?, ?)');
    insert.run('w-1', 1000, 112.9, 28.6);
    expect(insert.run('w-1', 1000, 112.9, 28.6).changes).toBe(0);
    const plan = db.prepare<{ detail: string }>('EXPLAIN QUERY PLAN SELECT * FROM track_points WHERE worker_id = ? AND at >= ? AND at <= ?').all('w-1', 0, 1);
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/SEARCH track_points USING PRIMARY KEY \(worker_id=\? AND at>\? AND at<\?\)/);
    await dataSource.destroy();
  });

  it('upgrades a version-1 database with data, keeping the data', async () => {
    const file = tmp.file('v1.db');
    const v1 = await openDatabase(file, [Migration0001Replica]);
    v1.db.prepare("INSERT INTO meta (id, replica_id, town, cursor, last_n, next_n) VALUES (1, 'rid', '430624103', 'c-3', 2, 5)").run();
    v1.db
      .prepare("INSERT INTO outbox (n, id, name, args, at, at_ms, actor, event_id) VALUES (4, 'rid:4', 'event.accept', '{\"id\":\"e1\"}', 't', 0, '{}', 'e1')")
      .run();
    await v1.dataSource.destroy();

    const v2 = await openDatabase(file, V2);
    expect(executedMigrations(v2.db)).toEqual(['Replica0000000000001', 'Positions0000000000002']);
    expect(v2.db.prepare('SELECT cursor, last_n, next_n FROM meta').get()).toEqual({ cursor: 'c-3', last_n: 2, next_n: 5 });
    expect(v2.db.prepare('SELECT n, name, state FROM outbox').all()).toEqual([{ n: 4, name: 'event.accept', state: 'queued' }]);
    expect(v2.db.prepare('SELECT COUNT(*) AS c FROM positions_latest').get()).toEqual({ c: 0 });
    expect(v2.db.pragma('integrity_check', { simple: true })).toBe('ok');
    await v2.dataSource.destroy();
  });
});
