// One data service per replica file. Two processes on the same replica would each run
// a link and an outbox numbering commands from the same counter: the county would see
// two commands with one n, and the replica's single-writer rule would be broken.
//
// The lock is an operating-system file lock, not a pid in a file (a pid can be reused
// after a crash, and then blocks the start): `<replica>.lock` is a tiny SQLite database
// that the owner opens in EXCLUSIVE locking mode and writes once, so SQLite holds the
// OS lock (fcntl on Linux and macOS, LockFileEx on Windows) until the connection closes.
// The operating system drops that lock when the process ends in any way (a crash, a
// kill -9, a power cut), so a stale lock cannot exist. A clean release removes the file
// (before it lets the lock go); a process that opened the old file meanwhile sees, once
// it holds the lock, that the path no longer names the file it locked, and tries again.
import { rmSync, statSync, unlinkSync } from 'node:fs';
import { openSqlite } from '../../node-common/sqlite';

export class InstanceLockedError extends Error {
  constructor(
    readonly file: string,
    readonly pid: number | null,
  ) {
    super(
      `本地数据库 ${file} 正被另一个 GridDeck 进程${pid ? `(pid ${pid})` : ''}使用:同一副本只能由一个数据服务打开。请先关闭那个进程,或用 --db 指定另一个文件`,
    );
    this.name = 'InstanceLockedError';
  }
}

// better-sqlite3's part used here (it ships no type declarations).
interface LockHandle {
  exec(sql: string): void;
  pragma(source: string): unknown;
  prepare(sql: string): { run(...params: unknown[]): unknown; get(): unknown };
  close(): void;
}

const codeOf = (error: unknown): string => String((error as { code?: unknown } | null)?.code ?? '');

/** Opens the lock file and takes its lock; null when another connection holds it. */
function tryLock(lockFile: string, pid: number): LockHandle | null {
  const db = openSqlite<LockHandle>(lockFile, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // The write takes the EXCLUSIVE lock; in this locking mode it is kept after COMMIT.
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS owner (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, at TEXT NOT NULL)');
    db.prepare('INSERT OR REPLACE INTO owner (id, pid, at) VALUES (1, ?, ?)').run(pid, new Date().toISOString());
    db.exec('COMMIT');
    return db;
  } catch (error) {
    db.close();
    if (/^SQLITE_(BUSY|LOCKED)/.test(codeOf(error))) return null;
    throw error;
  }
}

const inode = (file: string): number | null => {
  try {
    return statSync(file).ino;
  } catch {
    return null;
  }
};

/** The lock, held on the file the path names (or null: another process holds it). */
function lockAtPath(lockFile: string, pid: number): LockHandle | null {
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = inode(lockFile);
    let db: LockHandle | null;
    try {
      db = tryLock(lockFile, pid);
    } catch (error) {
      // A lock file of an older GridDeck (a pid in a text file), or one damaged: nobody can hold a lock on it.
      if (!/^SQLITE_(NOTADB|CORRUPT)/.test(codeOf(error))) throw error;
      rmSync(lockFile, { force: true });
      continue;
    }
    if (!db) return null;
    // The file was removed (a release) or replaced while we opened it: that lock guards nothing.
    if (before !== null && inode(lockFile) === before) return db;
    db.close();
  }
  throw new Error(`could not take the lock ${lockFile}: it keeps changing`);
}

/**
 * Takes the lock of `dbFile` (`<dbFile>.lock`) for this process, or throws an
 * InstanceLockedError. Returns the release function (idempotent). The lock of a
 * process that died is free: the operating system released it.
 */
export function acquireInstanceLock(dbFile: string, pid = process.pid): () => void {
  const lockFile = `${dbFile}.lock`;
  // This process holds it already (as the pid lock allowed): shared, released with the last holder.
  let entry = HELD.get(lockFile);
  if (!entry) {
    const db = lockAtPath(lockFile, pid);
    if (!db) throw new InstanceLockedError(dbFile, null);
    entry = { db, holders: 0 };
    HELD.set(lockFile, entry);
  }
  entry.holders++;
  const held = entry;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--held.holders > 0) return;
    HELD.delete(lockFile);
    try {
      // Removed while still locked (POSIX); Windows keeps an open file: it stays, harmless.
      unlinkSync(lockFile);
    } catch {
      // Already gone, or in use.
    }
    held.db.close();
  };
}

/** The locks this process holds, by lock file. */
const HELD = new Map<string, { db: LockHandle; holders: number }>();
