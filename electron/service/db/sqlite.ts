// The database file: TypeORM 1.x opens it (driver better-sqlite3) and runs the
// numbered migrations; everything after that goes through the driver's raw handle,
// because the replica's API is synchronous and its hot paths want prepared
// statements inside one transaction (TypeORM's query runner is async and slower).
// better-sqlite3 ships no type declarations, so the small part used here is typed below.
import { DataSource, type MigrationInterface } from 'typeorm';
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

/**
 * Opens (creating it when missing) a SQLite file through TypeORM, in WAL mode, and runs
 * the pending migrations, each in its own transaction. `migrations` defaults to all of
 * them; a test passes a prefix to build a database of an older version.
 */
export async function openDatabase(
  file: string,
  migrations: ReadonlyArray<new () => MigrationInterface> = MIGRATIONS,
): Promise<OpenedDatabase> {
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: file,
    enableWAL: file !== ':memory:',
    synchronize: false,
    migrationsRun: false,
    migrations: [...migrations],
    migrationsTableName: 'migrations',
    logging: false,
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    const db = rawHandle(dataSource);
    // FULL: a dispatcher's command must survive a power cut once it was answered;
    // the cost is one fsync of the WAL per transaction, and writes are batched.
    db.pragma('synchronous = FULL');
    return { dataSource, db };
  } catch (error) {
    await dataSource.destroy();
    throw error;
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
