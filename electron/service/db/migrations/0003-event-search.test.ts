import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../replica/test-fixtures';
import { MIGRATIONS } from '.';
import { executedMigrations, openDatabase } from '../sqlite';
import { Migration0001Replica } from './0001-replica';
import { Migration0002Positions } from './0002-positions';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const view = (code: string, title: string, description: string, address: string) =>
  JSON.stringify({ code, title, description, location: { lon: 112.9, lat: 28.6, address } });

describe('migration 0003: event search', () => {
  it('creates the trigram FTS table on an empty database', async () => {
    const { dataSource, db } = await openDatabase(tmp.file('v3.db'), MIGRATIONS);
    expect(executedMigrations(db).slice(0, 3)).toEqual(['Replica0000000000001', 'Positions0000000000002', 'EventSearch0000000000003']);
    const sql = db.prepare<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'events_fts'").get()?.sql;
    expect(sql).toContain("tokenize = 'trigram'");
    expect(db.prepare('SELECT COUNT(*) AS c FROM events_fts').get()).toEqual({ c: 0 });
    await dataSource.destroy();
  });

  it('indexes the events a version-2 database already holds, from their views, and keeps the data', async () => {
    const file = tmp.file('v2.db');
    const v2 = await openDatabase(file, [Migration0001Replica, Migration0002Positions]);
    const insertEvent = v2.db.prepare(
      `INSERT INTO events (seq, id, status, category, grid, source, urgency, reported_at, risk, pending, code, base_rev)
       VALUES (?, ?, 'reported', '0301', '430624103001001', 'hotline', 'normal', 0, 0, 0, ?, 1)`,
    );
    const insertDoc = v2.db.prepare('INSERT INTO event_docs (seq, base, view) VALUES (?, ?, ?)');
    insertEvent.run(1, 'e1', 'GP-1');
    insertDoc.run(1, view('GP-1', '垃圾乱堆乱放', '村口垃圾堆放多日', '课功村村口'), null);
    // e2 shows an optimistic view that differs from its base: the view is what gets indexed
    insertEvent.run(2, 'e2', 'GP-2');
    insertDoc.run(2, view('GP-2', '路灯', '', ''), view('GP-2', '路灯损坏', '夜间无照明', '双凤村主干道'));
    v2.db.prepare("INSERT INTO positions_latest VALUES ('w-1', 112.9, 28.6, 5, NULL, NULL, NULL, 6)").run();
    await v2.dataSource.destroy();

    const v3 = await openDatabase(file, MIGRATIONS);
    const search = v3.db.prepare<{ id: string }>(
      'SELECT id FROM events WHERE seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?) ORDER BY id',
    );
    expect(search.all('"垃圾堆放"')).toEqual([{ id: 'e1' }]);
    expect(search.all('"双凤村"')).toEqual([{ id: 'e2' }]);
    expect(search.all('"GP-"')).toEqual([{ id: 'e1' }, { id: 'e2' }]);
    expect(v3.db.prepare('SELECT worker_id, at FROM positions_latest').all()).toEqual([{ worker_id: 'w-1', at: 5 }]);
    expect(v3.db.prepare('SELECT COUNT(*) AS c FROM events').get()).toEqual({ c: 2 });
    v3.db.prepare("INSERT INTO events_fts (events_fts) VALUES ('integrity-check')").run();
    expect(v3.db.pragma('integrity_check', { simple: true })).toBe('ok');
    await v3.dataSource.destroy();
  });
});
