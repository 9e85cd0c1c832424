// A damaged replica at start (issue 12): before the replica opens, its file is checked
// (the header, then `PRAGMA integrity_check`). A damaged file is never deleted and
// never silently replaced:
//   1. the dispatchers' commands are salvaged from it while it can still be read (its
//      meta row: the replica's id and command counter; its outbox, row by row when a
//      whole read fails);
//   2. it is moved aside, with its -wal and -shm, as <file>.damaged-<time>;
//   3. the newest backup that passes its own integrity check is copied in its place
//      (accounts, audit trail, settings come back from it), else a fresh replica is made;
//   4. the salvaged commands go into it under the same replica id and numbers, so the
//      county applies each (replica, n) once; its cursor is cleared, so the county
//      resends a full snapshot and the events come back from the county.
// The report says all of this in one Chinese paragraph for the operator and the log.
import { copyFileSync, existsSync, renameSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { openSqlite } from '../../../node-common/sqlite';
import { DatabaseFileError, checkDatabaseFile, openDatabase } from '../db/sqlite';
import { MIGRATIONS } from '../db/migrations';
import { checkFile, listBackups, stamp } from './backup';

/** Problems of the file that recovery handles; the others (a foreign or newer file, no permission) stay errors. */
const DAMAGE = new Set(['corrupt', 'not-sqlite', 'truncated']);

export interface RecoveryReport {
  /** Why the file was judged damaged. */
  reason: string;
  /** Where the damaged file went. */
  movedTo: string;
  /** The backup copied in its place, or null (a fresh replica). */
  restoredFrom: string | null;
  /** Commands waiting for the county that were put back into the outbox. */
  salvagedUnsent: number;
  /** The whole story, in Chinese, for the operator. */
  message: string;
}

interface Salvage {
  meta: { replica_id: string; town: string; next_n: number; last_n: number | null } | null;
  rows: Record<string, unknown>[];
}

interface ReadHandle {
  prepare(sql: string): { all(...params: unknown[]): unknown[]; get(...params: unknown[]): unknown };
  close(): void;
}

const text = (error: unknown): string => (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 200);

/**
 * Why the replica file is damaged, or null when it is usable (or new). Throws what
 * recovery must not handle. Only a file known to be this town's replica is recovered: one
 * whose schema is GridDeck's (the header and schema read, `integrity_check` fails), or any
 * damaged file when backups of the replica exist. A file that may be something else given
 * by mistake (garbage, a text file, a truncated copy, and no backup beside it) is refused
 * untouched, as before, with a DatabaseFileError.
 */
export function damageOf(file: string, backupDir?: string): string | null {
  if (!existsSync(file) || statSync(file).size === 0) return null;
  try {
    checkDatabaseFile(file, MIGRATIONS.map((M) => new M().name ?? M.name));
  } catch (error) {
    if (error instanceof DatabaseFileError && DAMAGE.has(error.problem) && backupDir !== undefined && listBackups(backupDir).length > 0) return error.message;
    throw error;
  }
  // The check passed: a GridDeck replica's schema (or an empty database).
  const check = checkFile(file);
  return check === 'ok' ? null : `完整性检查未通过:${check.slice(0, 200)}`;
}

/** What can still be read of the outbox and meta of a damaged file: all of it, else row by row, else nothing. */
export function salvage(file: string): Salvage {
  let db: ReadHandle;
  try {
    db = openSqlite<ReadHandle>(file, { readonly: true, fileMustExist: true });
  } catch {
    return { meta: null, rows: [] };
  }
  try {
    let meta: Salvage['meta'] = null;
    try {
      meta = (db.prepare('SELECT replica_id, town, next_n, last_n FROM meta WHERE id = 1').get() as Salvage['meta']) ?? null;
    } catch {
      meta = null;
    }
    try {
      return { meta, rows: db.prepare('SELECT * FROM outbox ORDER BY n').all() as Record<string, unknown>[] };
    } catch {
      // A damaged page in the table: one row at a time, each that can be read.
    }
    const rows: Record<string, unknown>[] = [];
    if (meta === null) return { meta, rows };
    let one: ReturnType<ReadHandle['prepare']>;
    try {
      one = db.prepare('SELECT * FROM outbox WHERE n = ?');
    } catch {
      return { meta, rows };
    }
    for (let n = (meta.last_n ?? 0) + 1; n < meta.next_n; n++) {
      try {
        const row = one.get(n) as Record<string, unknown> | undefined;
        if (row) rows.push(row);
      } catch {
        // That row is lost with its page; the county never saw it, or has it already.
      }
    }
    return { meta, rows };
  } finally {
    db.close();
  }
}

/** Moves the file and its -wal/-shm aside under one new name; returns it. */
function moveAside(file: string, nowMs: number, why = 'damaged'): string {
  let aside = `${file}.${why}-${stamp(nowMs)}`;
  for (let i = 2; existsSync(aside); i++) aside = `${file}.${why}-${stamp(nowMs)}-${i}`;
  renameSync(file, aside);
  for (const suffix of ['-wal', '-shm']) if (existsSync(`${file}${suffix}`)) renameSync(`${file}${suffix}`, `${aside}${suffix}`);
  return aside;
}

/** The newest backup that passes its integrity check, or null. */
function goodBackup(dir: string | undefined): string | null {
  if (!dir) return null;
  for (const backup of listBackups(dir).reverse()) if (checkFile(backup.file) === 'ok') return backup.file;
  return null;
}

/** Puts the salvage into the (restored or new) file: the same replica id and counter, the commands, no cursor; returns the unsent commands. */
async function putBack(file: string, found: Salvage): Promise<number> {
  const { dataSource, db } = await openDatabase(file);
  try {
    const write = db.transaction(() => {
      const meta = db.prepare<{ replica_id: string; next_n: number; last_n: number | null }>('SELECT replica_id, next_n, last_n FROM meta WHERE id = 1').get();
      if (found.meta && !meta) {
        db.prepare('INSERT INTO meta (id, replica_id, town, next_n, last_n) VALUES (1, ?, ?, ?, ?)').run(found.meta.replica_id, found.meta.town, found.meta.next_n, found.meta.last_n);
      } else if (found.meta && meta && meta.replica_id === found.meta.replica_id) {
        db.prepare('UPDATE meta SET next_n = MAX(next_n, ?), last_n = MAX(COALESCE(last_n, 0), COALESCE(?, 0)) WHERE id = 1').run(found.meta.next_n, found.meta.last_n);
      }
      // The county resends everything: the events come back as it has them, the salvaged commands replayed over them.
      db.prepare('UPDATE meta SET cursor = NULL, catching_up = 1 WHERE id = 1').run();
      const columns = db.prepare<{ name: string }>('PRAGMA table_info(outbox)').all().map((c) => c.name);
      for (const row of found.rows) {
        const names = columns.filter((c) => c in row);
        db.prepare(`INSERT OR REPLACE INTO outbox (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(
          ...names.map((c) => row[c] as string | number | null),
        );
      }
      // What will be sent: the salvaged commands and, when the damaged file could not be read, the backup's.
      return db.prepare<{ c: number }>("SELECT COUNT(*) AS c FROM outbox WHERE state = 'queued'").get()?.c ?? 0;
    });
    return write.immediate();
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Checks the replica file and, when it is damaged, recovers as described above. Returns
 * null when the file is fine (or new), else the report. Throws for problems that are not
 * damage (another program's file, a newer version, no permission): those stay the operator's.
 */
export async function recoverIfDamaged(file: string, options: { backupDir?: string; now?: () => number } = {}): Promise<RecoveryReport | null> {
  const reason = damageOf(file, options.backupDir);
  if (reason === null) return null;
  const found = salvage(file);
  const nowMs = (options.now ?? Date.now)();
  const movedTo = moveAside(file, nowMs);
  const restoredFrom = goodBackup(options.backupDir);
  if (restoredFrom) copyFileSync(restoredFrom, file);
  let salvagedUnsent: number;
  try {
    salvagedUnsent = await putBack(file, found);
  } catch (error) {
    throw new Error(`本地数据库已损坏并已移至 ${movedTo},但恢复失败:${text(error)}`, { cause: error });
  }
  const fromBackup = restoredFrom ? `已从备份 ${basename(restoredFrom)} 恢复账户、设置和审计日志` : '没有可用的备份,已新建本地副本';
  const source = found.meta === null && found.rows.length === 0 ? (restoredFrom ? '损坏文件中的指令无法读取,备份中' : '损坏文件中的指令无法读取') : '抢救出';
  const message = `本地数据库已损坏(${reason.slice(0, 160)}),原文件已移至 ${movedTo};${fromBackup};${source} ${salvagedUnsent} 条未发送的指令,将发往县级平台;事件数据正从县级平台重新同步。`;
  return { reason, movedTo, restoredFrom, salvagedUnsent, message };
}

export interface RestoreReport {
  /** Where the replaced file went (null: there was none). */
  movedTo: string | null;
  restoredFrom: string;
  /** Commands waiting for the county after the restore (the replaced file's, salvaged). */
  unsent: number;
}

/**
 * The restore command (restore-cli.ts): puts a backup in place of the replica file
 * (which must not be open: the caller holds the instance lock). The backup is checked
 * first; the current file is moved aside, never deleted, and its outbox salvaged into
 * the restored file as at a recovery, so no command given since the backup is lost.
 */
export async function restoreBackup(file: string, backup: string, options: { now?: () => number } = {}): Promise<RestoreReport> {
  const check = checkFile(backup);
  if (check !== 'ok') throw new Error(`备份 ${backup} 未通过完整性检查(${check.slice(0, 200)}),未做任何改动`);
  const present = existsSync(file);
  const found: Salvage = present ? salvage(file) : { meta: null, rows: [] };
  const movedTo = present ? moveAside(file, (options.now ?? Date.now)(), 'before-restore') : null;
  copyFileSync(backup, file);
  const unsent = await putBack(file, found);
  return { movedTo, restoredFrom: backup, unsent };
}
