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

const FIELD_TABLES = ['field_devices', 'field_meta', 'emergency_plans', 'emergency_resources', 'emergencies', 'field_notices', 'patrol_visits', 'patrol_cursor'];

describe('migration 0011: the field desk', () => {
  it('creates its empty tables on an empty database', async () => {
    const { dataSource, db } = await openDatabase(tmp.file('new.db'), MIGRATIONS);
    expect(executedMigrations(db)).toContain('Field0000000000011');
    for (const t of FIELD_TABLES) expect(tableNames(db)).toContain(t);
    await dataSource.destroy();
  });

  it('runs on a database of the previous version holding data, which it keeps', async () => {
    const file = tmp.file('old.db');
    const before = MIGRATIONS.filter((m) => !m.name.includes('0011'));
    const old = await openDatabase(file, before);
    old.db.prepare("INSERT INTO outbox (n, id, name, args, at, at_ms, actor, event_id) VALUES (1, 'r:1', 'event.accept', '{}', 't', 0, '{}', 'e1')").run();
    await old.dataSource.destroy();
    const now = await openDatabase(file, MIGRATIONS);
    expect(now.db.prepare('SELECT COUNT(*) AS c FROM outbox').get()).toEqual({ c: 1 });
    expect(now.db.prepare('SELECT COUNT(*) AS c FROM patrol_visits').get()).toEqual({ c: 0 });
    await now.dataSource.destroy();
  });
});
