// Opening a SQLite file with better-sqlite3, for the town's data service (its replica)
// and the county simulator (its own store): the one place that knows which compiled
// module to load. better-sqlite3 is a native module, and Electron's Node has another ABI
// than the Node that installed it: `npm start` builds a second copy for Electron
// (scripts/lib/electron-sqlite.mjs) and passes its path as GRIDDECK_SQLITE_BINDING,
// which the data service (and the demo county inside it) must load instead.
//
// better-sqlite3 is loaded with require at the first open, not imported: it ships no
// type declarations (each caller types the part it uses), and the helpers here that do
// not open a database (flags, loopback) do not load the native module.
import { createRequire } from 'node:module';

/** The compiled module to load instead of better-sqlite3's own build, or undefined (plain Node). */
export function sqliteNativeBinding(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  return env.GRIDDECK_SQLITE_BINDING || undefined;
}

/** better-sqlite3's options for opening a file (the ones this project uses). */
export interface SqliteOpenOptions {
  readonly?: boolean;
  fileMustExist?: boolean;
  /** ms to wait for a lock held by another connection. */
  timeout?: number;
}

type SqliteConstructor = new (file: string, options: SqliteOpenOptions & { nativeBinding?: string }) => unknown;
let constructor_: SqliteConstructor | null = null;

/**
 * Opens (creates, unless fileMustExist) a SQLite file with the right native module.
 * `Db` is the part of better-sqlite3's Database the caller uses, declared by the caller.
 */
export function openSqlite<Db>(file: string, options: SqliteOpenOptions = {}): Db {
  constructor_ ??= createRequire(import.meta.url)('better-sqlite3') as SqliteConstructor;
  const binding = sqliteNativeBinding();
  return new constructor_(file, binding ? { ...options, nativeBinding: binding } : options) as Db;
}
