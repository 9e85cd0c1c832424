import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../replica/test-fixtures';
import { executedMigrations, openDatabase } from '../sqlite';
import { columnNames, indexColumns, tableNames } from '../test-helpers';
import { Migration0001Replica } from './0001-replica';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const V1 = [Migration0001Replica];

describe('migration 0001: replica tables', () => {
  it('creates the tables, columns and indexes on an empty database, in WAL mode', async () => {
    const { dataSource, db } = await openDatabase(tmp.file('v1.db'), V1);
    expect(executedMigrations(db)).toEqual(['Replica0000000000001']);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(tableNames(db)).toEqual([
      'categories',
      'departments',
      'event_docs',
      'events',
      'grids',
      'inbound_rejects',
      'meta',
      'migrations',
      'outbox',
      'tombstones',
      'worker_grids',
      'workers',
    ]);
    expect(columnNames(db, 'meta')).toEqual(['id', 'replica_id', 'town', 'cursor', 'last_n', 'next_n', 'last_sync_at', 'catching_up']);
    expect(columnNames(db, 'events')).toEqual([
      'seq', 'id', 'status', 'category', 'grid', 'source', 'urgency', 'reported_at', 'risk', 'pending', 'code', 'base_rev',
    ]);
    expect(columnNames(db, 'event_docs')).toEqual(['seq', 'base', 'view']);
    expect(indexColumns(db, 'events')).toEqual({
      events_risk: ['risk', 'status', 'category', 'grid', 'source', 'urgency', 'reported_at'],
      events_reported: ['reported_at', 'status', 'category', 'grid', 'source', 'urgency', 'risk'],
      events_status: ['status', 'risk', 'category', 'grid', 'source', 'urgency', 'reported_at'],
      events_category: ['category', 'risk', 'status', 'grid', 'source', 'urgency', 'reported_at'],
      events_grid: ['grid', 'risk', 'status', 'category', 'source', 'urgency', 'reported_at'],
    });
    expect(columnNames(db, 'outbox')).toEqual([
      'n', 'id', 'name', 'args', 'at', 'at_ms', 'actor', 'event_id', 'target_id', 'state', 'code', 'message', 'acked_at', 'rejected_at',
    ]);
    // constraints that protect the sync state
    db.prepare("INSERT INTO meta (id, replica_id, town) VALUES (1, 'r', '430624103')").run();
    expect(() => db.prepare("INSERT INTO meta (id, replica_id, town) VALUES (2, 'r', '430624103')").run()).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE meta SET next_n = 0').run()).toThrow(/CHECK/);
    expect(() => db.prepare('INSERT INTO event_docs (seq, base, view) VALUES (1, NULL, NULL)').run()).toThrow(/CHECK/);
    expect(() =>
      db.prepare("INSERT INTO outbox (n, id, name, args, at, at_ms, actor, event_id, state) VALUES (1, 'r:1', 'x', '{}', 't', 0, '{}', 'e', 'lost')").run(),
    ).toThrow(/CHECK/);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    await dataSource.destroy();
  });

  it('is run once: reopening a version-1 database with data keeps the data and runs nothing again', async () => {
    const file = tmp.file('v1.db');
    const first = await openDatabase(file, V1);
    first.db.prepare("INSERT INTO meta (id, replica_id, town, cursor, next_n) VALUES (1, 'rid', '430624103', 'c-9', 4)").run();
    first.db.prepare("INSERT INTO departments (id, rev, data) VALUES ('dept-zz', 2, '{}')").run();
    await first.dataSource.destroy();
    const second = await openDatabase(file, V1);
    expect(executedMigrations(second.db)).toEqual(['Replica0000000000001']);
    expect(second.db.prepare('SELECT replica_id, cursor, next_n FROM meta').get()).toEqual({ replica_id: 'rid', cursor: 'c-9', next_n: 4 });
    expect(second.db.prepare('SELECT id, rev FROM departments').all()).toEqual([{ id: 'dept-zz', rev: 2 }]);
    // and it can be undone
    await second.dataSource.undoLastMigration();
    expect(tableNames(second.db)).toEqual(['migrations']);
    await second.dataSource.destroy();
  });
});
