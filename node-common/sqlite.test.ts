import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openSqlite, sqliteNativeBinding } from './sqlite';

interface Db {
  prepare(sql: string): { get(): unknown };
  exec(sql: string): void;
  close(): void;
}

const dir = mkdtempSync(path.join(tmpdir(), 'griddeck-node-common-'));
const saved = process.env.GRIDDECK_SQLITE_BINDING;
afterEach(() => {
  if (saved === undefined) delete process.env.GRIDDECK_SQLITE_BINDING;
  else process.env.GRIDDECK_SQLITE_BINDING = saved;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nodeBuild = path.join(path.dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

describe('sqliteNativeBinding', () => {
  it('is GRIDDECK_SQLITE_BINDING when set, else undefined (an empty value counts as unset)', () => {
    expect(sqliteNativeBinding({ GRIDDECK_SQLITE_BINDING: '/x/better_sqlite3.node' })).toBe('/x/better_sqlite3.node');
    expect(sqliteNativeBinding({ GRIDDECK_SQLITE_BINDING: '' })).toBeUndefined();
    expect(sqliteNativeBinding({})).toBeUndefined();
  });
});

describe('openSqlite', () => {
  it('opens (creating) a file with the default build', () => {
    delete process.env.GRIDDECK_SQLITE_BINDING;
    const db = openSqlite<Db>(path.join(dir, 'a.sqlite'));
    db.exec('CREATE TABLE t (x)');
    expect(db.prepare('SELECT COUNT(*) AS c FROM t').get()).toEqual({ c: 0 });
    db.close();
  });

  it('loads the module GRIDDECK_SQLITE_BINDING names, and fails naming it when it is missing', () => {
    process.env.GRIDDECK_SQLITE_BINDING = nodeBuild;
    openSqlite<Db>(path.join(dir, 'b.sqlite')).close();
    process.env.GRIDDECK_SQLITE_BINDING = path.join(dir, 'nowhere', 'better_sqlite3.node');
    expect(() => openSqlite<Db>(path.join(dir, 'c.sqlite'))).toThrow(/nowhere/);
  });

  it('passes the options on: fileMustExist refuses a missing file', () => {
    delete process.env.GRIDDECK_SQLITE_BINDING;
    expect(() => openSqlite<Db>(path.join(dir, 'missing.sqlite'), { fileMustExist: true })).toThrow();
  });
});
