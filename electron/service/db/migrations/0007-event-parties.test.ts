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

const V6 = MIGRATIONS.slice(0, 6);

describe('migration 0007: the departments taking part in each event', () => {
  it('creates an empty table on an empty database', async () => {
    const { dataSource, db } = await openDatabase(tmp.file('v6.db'), MIGRATIONS);
    expect(executedMigrations(db)).toContain('EventParties0000000000007');
    expect(tableNames(db)).toContain('event_parties');
    expect(db.prepare('SELECT COUNT(*) AS c FROM event_parties').get()).toEqual({ c: 0 });
    await dataSource.destroy();
  });

  it('fills it from the views a version-6 database holds: lead, cooperating, and departments in the history', async () => {
    const file = tmp.file('v5.db');
    const v5 = await openDatabase(file, V6);
    const event = v5.db.prepare(
      `INSERT INTO events (id, status, category, grid, source, urgency, reported_at, risk, pending, code, base_rev)
       VALUES (?, 'dispatched', '0301', '430624103001001', 'hotline', 'normal', 0, 0, 0, ?, 1)`,
    );
    const doc = v5.db.prepare('INSERT INTO event_docs (seq, base, view) VALUES (?, ?, ?)');
    const history = (departmentId?: string) => [{ at: 't', actor: 'a', action: 'event.comment', note: '', ...(departmentId ? { departmentId } : {}) }];
    const seq = (id: string) => Number(event.run(id, `GP-${id}`).lastInsertRowid);
    doc.run(seq('e1'), JSON.stringify({ assignee: { kind: 'department', id: 'dept-rj', cooperating: ['dept-zz'] }, history: history() }), null);
    // The view (unsettled commands) wins over the base.
    doc.run(seq('e2'), JSON.stringify({ assignee: null, history: history() }), JSON.stringify({ assignee: null, history: history('dept-gt') }));
    doc.run(seq('e3'), JSON.stringify({ assignee: { kind: 'person', id: 'w-1', cooperating: [] }, history: history() }), null);
    await v5.dataSource.destroy();

    const v6 = await openDatabase(file, MIGRATIONS);
    expect(v6.db.prepare('SELECT e.id, p.party FROM event_parties p JOIN events e ON e.seq = p.seq ORDER BY e.id, p.party').all()).toEqual([
      { id: 'e1', party: 'dept-rj' },
      { id: 'e1', party: 'dept-zz' },
      { id: 'e2', party: 'dept-gt' },
    ]);
    expect(v6.db.prepare('SELECT COUNT(*) AS c FROM events').get()).toEqual({ c: 3 });
    await v6.dataSource.destroy();
  });
});
