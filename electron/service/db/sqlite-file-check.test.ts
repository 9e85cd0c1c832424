// A replica file that is not one this version can use is refused before anything is
// written to it, with one clear line: not SQLite, cut short, unreadable, another
// program's database, migrated by a newer GridDeck. Found by the fuzz suite
// (tests/fuzz/bad-files.test.ts): before, a newer file opened as if nothing were wrong,
// and another program's database got the replica's tables added to it.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../replica/test-fixtures';
import { DatabaseFileError, checkDatabaseFile, fileErrorOf, openDatabase } from './sqlite';
import { MIGRATIONS } from './migrations';

const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => { exec(sql: string): void; close(): void };
const KNOWN = MIGRATIONS.map((M) => new M().name as string);

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const digest = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

async function made(name: string): Promise<string> {
  const file = tmp.file(name);
  const { dataSource, db } = await openDatabase(file);
  db.exec("INSERT INTO meta (id, replica_id, town, next_n) VALUES (1, 'r', '430624103', 1)");
  await dataSource.destroy();
  return file;
}

function refusal(file: string): DatabaseFileError {
  try {
    checkDatabaseFile(file, KNOWN);
  } catch (error) {
    if (error instanceof DatabaseFileError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('checkDatabaseFile', () => {
  it('accepts a missing file, an empty one, :memory: and a replica of this version', async () => {
    expect(() => checkDatabaseFile(tmp.file('none.db'), KNOWN)).not.toThrow();
    writeFileSync(tmp.file('empty.db'), '');
    expect(() => checkDatabaseFile(tmp.file('empty.db'), KNOWN)).not.toThrow();
    expect(() => checkDatabaseFile(':memory:', KNOWN)).not.toThrow();
    const file = await made('good.db');
    expect(() => checkDatabaseFile(file, KNOWN)).not.toThrow();
  });

  it('refuses what is not SQLite, or is cut short, naming the problem in one line', async () => {
    writeFileSync(tmp.file('text.db'), 'hello, not a database'.repeat(20));
    expect(refusal(tmp.file('text.db'))).toMatchObject({ problem: 'not-sqlite' });
    const half = await made('half.db');
    truncateSync(half, Math.floor(readFileSync(half).length / 2));
    const cut = refusal(half);
    expect(cut.problem).toBe('truncated');
    expect(cut.message).toMatch(/^本地数据库文件 .*half\.db 无法使用:文件不完整\(应有 \d+ 字节,实有 \d+ 字节\)/);
    expect(cut.message).not.toMatch(/\n/);
    mkdirSync(tmp.file('folder.db'));
    expect(refusal(tmp.file('folder.db'))).toMatchObject({ problem: 'unreadable' });
  });

  it('refuses another program’s database and a newer schema, and opening leaves them untouched', async () => {
    const other = tmp.file('other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    db.close();
    const otherBefore = digest(other);
    expect(refusal(other)).toMatchObject({ problem: 'foreign' });
    await expect(openDatabase(other)).rejects.toThrow(/不是 GridDeck 的本地副本.*notes/);
    expect(digest(other)).toBe(otherBefore);

    const newer = await made('newer.db');
    const raw = new Database(newer);
    raw.exec("INSERT INTO migrations (timestamp, name) VALUES (9999999999999, 'Future9999999999999')");
    raw.close();
    const newerBefore = digest(newer);
    expect(refusal(newer).message).toMatch(/更新版本的 GridDeck.*Future9999999999999/);
    await expect(openDatabase(newer)).rejects.toBeInstanceOf(DatabaseFileError);
    expect(digest(newer)).toBe(newerBefore);
  });

  it('turns SQLite’s corruption errors into the same kind of error, and leaves others as they are', () => {
    const corrupt = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    expect(fileErrorOf('/x.db', corrupt)).toMatchObject({ problem: 'corrupt', message: expect.stringMatching(/数据库已损坏/) });
    const full = Object.assign(new Error('disk full'), { code: 'SQLITE_FULL' });
    expect(fileErrorOf('/x.db', full)).toBe(full);
  });
});
