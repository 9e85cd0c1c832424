// The database file: TypeORM 1.x opens it (driver better-sqlite3) and runs the
// numbered migrations; everything after that goes through the driver's raw handle,
// because the replica's API is synchronous and its hot paths want prepared
// statements inside one transaction (TypeORM's query runner is async and slower).
// better-sqlite3 ships no type declarations, so the small part used here is typed below.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { DataSource, type MigrationInterface } from 'typeorm';
import { openSqlite, sqliteNativeBinding } from '../../../node-common/sqlite';
import { MIGRATIONS } from './migrations';

export type SqlValue = string | number | bigint | Buffer | null;
export type SqlParams = readonly SqlValue[] | Readonly<Record<string, SqlValue>>;

export interface RunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** A prepared statement of better-sqlite3. Parameters are always bound, never spliced into SQL. */
export interface Statement<Row = Record<string, unknown>> {
  run(...params: SqlValue[]): RunResult;
  run(params: Readonly<Record<string, SqlValue>>): RunResult;
  get(...params: SqlValue[]): Row | undefined;
  get(params: Readonly<Record<string, SqlValue>>): Row | undefined;
  all(...params: SqlValue[]): Row[];
  all(params: Readonly<Record<string, SqlValue>>): Row[];
  pluck(on?: boolean): Statement<Row>;
}

export type Transaction<A extends unknown[], R> = ((...args: A) => R) & {
  immediate: (...args: A) => R;
  deferred: (...args: A) => R;
  exclusive: (...args: A) => R;
};

export interface SqliteDatabase {
  readonly open: boolean;
  readonly inTransaction: boolean;
  readonly name: string;
  prepare<Row = Record<string, unknown>>(sql: string): Statement<Row>;
  exec(sql: string): void;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  /** The function run inside BEGIN … COMMIT (ROLLBACK when it throws); `.immediate` takes the write lock at BEGIN. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): Transaction<A, R>;
}

export interface OpenedDatabase {
  dataSource: DataSource;
  db: SqliteDatabase;
}

// ---------------------------------------------------------------- a file that is not ours, or broken

export type DatabaseFileProblem = 'unreadable' | 'not-sqlite' | 'truncated' | 'corrupt' | 'foreign' | 'newer';

/**
 * The replica file cannot be used, said in one line for the operator. Raised before
 * anything is written to the file: it is left exactly as it was.
 */
export class DatabaseFileError extends Error {
  constructor(
    readonly problem: DatabaseFileProblem,
    readonly file: string,
    reason: string,
  ) {
    super(`本地数据库文件 ${file} 无法使用:${reason}。文件未作任何改动;请检查 --db 路径,或从备份恢复`.replace(/[\r\n]+/g, ' '));
    this.name = 'DatabaseFileError';
  }
}

// better-sqlite3 ships no type declarations: the part the check uses.
interface CheckHandle {
  prepare(sql: string): { all(): unknown[] };
  close(): void;
}

/**
 * better-sqlite3's compiled module for another runtime than the Node that installed it:
 * Electron's data service gets a build for Electron's ABI (node-common/sqlite.ts);
 * unset everywhere else. TypeORM opens the replica with it; the file check below too.
 */
export const NATIVE_BINDING: string | undefined = sqliteNativeBinding();

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 200);

/**
 * Looks at an existing file before TypeORM opens it (opening sets WAL mode and runs
 * migrations: writes). Refuses, with a DatabaseFileError, a file that is not SQLite,
 * is shorter than its own header says (truncated), cannot be read (corrupt), belongs to
 * another program (tables but no migrations table), or was migrated by a newer version
 * of GridDeck (a migration this version does not know). A missing or empty file is a
 * new database. Cheap: the header and the schema, never the whole file.
 */
export function checkDatabaseFile(file: string, knownMigrations: readonly string[]): void {
  if (file === ':memory:' || file === '') return;
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw new DatabaseFileError('unreadable', file, '这是一个文件夹,不是数据库文件');
    size = stat.size;
  } catch (error) {
    if (error instanceof DatabaseFileError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new DatabaseFileError('unreadable', file, `无法读取(${errorText(error)})`);
  }
  if (size === 0) return;

  const header = Buffer.alloc(100);
  let read: number;
  try {
    const fd = openSync(file, 'r');
    try {
      read = readSync(fd, header, 0, 100, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new DatabaseFileError('unreadable', file, `无法读取(${errorText(error)})`);
  }
  if (read < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) {
    throw new DatabaseFileError('not-sqlite', file, '不是 SQLite 数据库文件(文件头不符)');
  }
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
  if (pageSize < 512 || pageSize > 65_536 || (pageSize & (pageSize - 1)) !== 0) {
    throw new DatabaseFileError('corrupt', file, `文件头已损坏(页大小 ${rawPageSize})`);
  }
  // The header's page count is valid when its "version valid for" equals the change
  // counter. With frames waiting in a -wal file the main file may legitimately lag
  // (a checkpoint interrupted by a crash): SQLite recovers that, so only judge without one.
  const pages = header.readUInt32BE(28);
  const valid = header.readUInt32BE(92) === header.readUInt32BE(24);
  const walSize = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
  if (valid && pages > 0 && walSize === 0 && size < pages * pageSize) {
    throw new DatabaseFileError('truncated', file, `文件不完整(应有 ${pages * pageSize} 字节,实有 ${size} 字节),可能在复制或传输中被截断`);
  }

  let db: CheckHandle | null = null;
  try {
    db = openSqlite<CheckHandle>(file, { fileMustExist: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    if (tables.length === 0) return;
    if (!tables.includes('migrations')) {
      throw new DatabaseFileError('foreign', file, `不是 GridDeck 的本地副本(其中是别的程序的数据表,如 ${tables.slice(0, 3).join('、')})`);
    }
    const done = (db.prepare('SELECT name FROM migrations').all() as { name: string }[]).map((r) => r.name);
    const unknown = done.filter((name) => !knownMigrations.includes(name));
    if (unknown.length > 0) {
      throw new DatabaseFileError('newer', file, `由更新版本的 GridDeck 创建(本版本不认识数据库迁移 ${unknown.slice(0, 3).join('、')}),请升级 GridDeck 后再打开`);
    }
  } catch (error) {
    if (error instanceof DatabaseFileError) throw error;
    const damaged = fileErrorOf(file, error);
    // Anything else (locked by another process, no permission) is not damage: say what it is.
    throw damaged instanceof DatabaseFileError ? damaged : new DatabaseFileError('unreadable', file, `无法读取(${errorText(error)})`);
  } finally {
    db?.close();
  }
}

/** An error of SQLite saying the file is damaged, as a DatabaseFileError; anything else as it was. */
export function fileErrorOf(file: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code)) {
    return new DatabaseFileError('corrupt', file, `数据库已损坏(${errorText(error)})`);
  }
  return error;
}

/**
 * Opens (creating it when missing) a SQLite file through TypeORM, in WAL mode, and runs
 * the pending migrations, each in its own transaction. `migrations` defaults to all of
 * them; a test passes a prefix to build a database of an older version. A file that is
 * not a replica this version can use is refused first, untouched (checkDatabaseFile).
 */
export async function openDatabase(
  file: string,
  migrations: ReadonlyArray<new () => MigrationInterface> = MIGRATIONS,
): Promise<OpenedDatabase> {
  checkDatabaseFile(file, migrations.map((M) => new M().name ?? M.name));
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: file,
    ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}),
    enableWAL: file !== ':memory:',
    synchronize: false,
    migrationsRun: false,
    migrations: [...migrations],
    migrationsTableName: 'migrations',
    logging: false,
  });
  try {
    await dataSource.initialize();
  } catch (error) {
    throw fileErrorOf(file, error);
  }
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const db = rawHandle(dataSource);
    // FULL: a dispatcher's command must survive a power cut once it was answered;
    // the cost is one fsync of the WAL per transaction, and writes are batched.
    db.pragma('synchronous = FULL');
    return { dataSource, db };
  } catch (error) {
    await dataSource.destroy();
    throw fileErrorOf(file, error);
  }
}

/** The better-sqlite3 connection behind a TypeORM DataSource. */
export function rawHandle(dataSource: DataSource): SqliteDatabase {
  const driver = dataSource.driver as unknown as { databaseConnection?: SqliteDatabase };
  const db = driver.databaseConnection;
  if (!db || typeof db.prepare !== 'function') throw new Error('the TypeORM driver exposes no better-sqlite3 connection');
  return db;
}

/** Names of the migrations already run on a database, in order. */
export function executedMigrations(db: SqliteDatabase): string[] {
  return db
    .prepare<{ name: string }>('SELECT name FROM migrations ORDER BY timestamp')
    .all()
    .map((r) => r.name);
}
