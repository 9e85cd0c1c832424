// Backups of the replica (issue 12). The replica holds what exists nowhere else: the
// town's accounts, the audit trail, the settings and the dispatchers' unsent commands.
// - Online: SQLite's backup API (better-sqlite3's `db.backup()`) copies the live file in
//   steps while the service keeps writing; the copy is checked (`PRAGMA
//   integrity_check`) before it is given its final name, so a backup on disk is a good
//   one. Names: replica-YYYYMMDD-HHmmss.sqlite (Asia/Shanghai), newest last by name.
// - Every night (03:00 Asia/Shanghai by default) and before every migration; the last
//   `keep` (default 7) are kept, older ones deleted.
// - A file that is not open (before migrations, a restore) is copied with `VACUUM INTO`.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { openSqlite } from '../../../node-common/sqlite';
import { isDiskFull } from './disk';

export const DEFAULT_BACKUP_KEEP = 7;
/** The nightly backup's hour, Asia/Shanghai. */
export const DEFAULT_BACKUP_HOUR = 3;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const BACKUP_NAME = /^replica-(\d{8}-\d{6})(?:-[a-z]+)?\.sqlite$/;

/** better-sqlite3's part used here (it ships no type declarations). */
interface BackupHandle {
  backup(destination: string): Promise<unknown>;
}
interface CheckHandle {
  pragma(source: string, options?: { simple?: boolean }): unknown;
  exec(sql: string): void;
  prepare(sql: string): { run(...params: unknown[]): unknown };
  close(): void;
}

export interface BackupInfo {
  file: string;
  at: string;
  bytes: number;
}

/** The operator's word for a failed backup: a full disk said as such. */
export class BackupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackupError';
  }
}

/** "20261203-031500" for an instant, in Asia/Shanghai. */
export function stamp(ms: number): string {
  const iso = new Date(ms + SHANGHAI_OFFSET_MS).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

/** The backups in a folder, oldest first (by the time in their names). */
export function listBackups(dir: string): BackupInfo[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => BACKUP_NAME.test(name))
    .sort()
    .map((name) => ({ file: join(dir, name), at: BACKUP_NAME.exec(name)![1]!, bytes: statSync(join(dir, name)).size }));
}

/** `PRAGMA integrity_check` of a closed file: 'ok', or what is wrong (also for a file that is not a database). */
export function checkFile(file: string): string {
  let db: CheckHandle | null = null;
  try {
    db = openSqlite<CheckHandle>(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    return rows.map((r) => r.integrity_check).join('; ') || 'no answer';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    db?.close();
  }
}

/** Gives a checked copy its final name, or removes it and throws when the check fails. */
function settle(partial: string, final: string): BackupInfo {
  const check = checkFile(partial);
  if (check !== 'ok') {
    rmSync(partial, { force: true });
    throw new BackupError(`备份文件校验失败(${check.slice(0, 200)}),已删除,未替换任何旧备份`);
  }
  renameSync(partial, final);
  return { file: final, at: BACKUP_NAME.exec(basename(final))?.[1] ?? '', bytes: statSync(final).size };
}

function failure(error: unknown, dir: string): BackupError {
  if (error instanceof BackupError) return error;
  const text = error instanceof Error ? error.message : String(error);
  return new BackupError(isDiskFull(error) || /ENOSPC|disk is full/i.test(text) ? `磁盘空间不足:无法在 ${dir} 写入备份` : `备份失败:${text}`, { cause: error });
}

/** A free name for a backup taken now (two in one second get a suffix). */
function nameFor(dir: string, nowMs: number, kind: string): string {
  const base = `replica-${stamp(nowMs)}${kind === 'nightly' ? '' : `-${kind}`}`;
  let name = `${base}.sqlite`;
  for (let i = 2; existsSync(join(dir, name)); i++) name = `${base}-${'abcdefghij'[i % 10]}.sqlite`;
  return join(dir, name);
}

/** Deletes all but the newest `keep` backups; returns the deleted files. */
export function pruneBackups(dir: string, keep: number): string[] {
  const all = listBackups(dir);
  const old = all.slice(0, Math.max(0, all.length - Math.max(1, keep)));
  for (const b of old) rmSync(b.file, { force: true });
  return old.map((b) => b.file);
}

/** An online backup of an open database (the live replica), checked, then the oldest beyond `keep` deleted. */
export async function backupOpen(db: unknown, dir: string, options: { keep?: number; now?: number; kind?: string } = {}): Promise<BackupInfo> {
  mkdirSync(dir, { recursive: true });
  const final = nameFor(dir, options.now ?? Date.now(), options.kind ?? 'nightly');
  const partial = `${final}.partial`;
  try {
    await (db as BackupHandle).backup(partial);
    const info = settle(partial, final);
    pruneBackups(dir, options.keep ?? DEFAULT_BACKUP_KEEP);
    return info;
  } catch (error) {
    rmSync(partial, { force: true });
    throw failure(error, dir);
  }
}

/** A backup of a closed file (before migrations, before a restore replaces it): `VACUUM INTO`, checked. */
export function backupClosed(file: string, dir: string, options: { keep?: number; now?: number; kind?: string } = {}): BackupInfo {
  mkdirSync(dir, { recursive: true });
  const final = nameFor(dir, options.now ?? Date.now(), options.kind ?? 'manual');
  const partial = `${final}.partial`;
  let db: CheckHandle | null = null;
  try {
    db = openSqlite<CheckHandle>(file, { fileMustExist: true });
    db.prepare('VACUUM INTO ?').run(partial);
    db.close();
    db = null;
    const info = settle(partial, final);
    pruneBackups(dir, options.keep ?? DEFAULT_BACKUP_KEEP);
    return info;
  } catch (error) {
    rmSync(partial, { force: true });
    throw failure(error, dir);
  } finally {
    db?.close();
  }
}

/** Milliseconds from `nowMs` to the next `hour`:00 in Asia/Shanghai. */
export function msUntilHour(nowMs: number, hour: number): number {
  const local = nowMs + SHANGHAI_OFFSET_MS;
  const dayStart = Math.floor(local / 86_400_000) * 86_400_000;
  let next = dayStart + hour * 3_600_000;
  if (next <= local) next += 86_400_000;
  return next - local;
}
