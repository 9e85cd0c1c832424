// The replica's upkeep while the service runs (issue 12): a backup every night at
// 03:00 Asia/Shanghai (backup.ts), `PRAGMA integrity_check` once a week after it, and
// before the service opens the file: the check and recovery of a damaged file
// (recovery.ts) and a backup before migrations change its schema.
import { existsSync, statSync } from 'node:fs';
import { openSqlite } from '../../../node-common/sqlite';
import { MIGRATIONS } from '../db/migrations';
import type { LinkLogger } from '../link/county-link';
import { type BackupInfo, DEFAULT_BACKUP_HOUR, DEFAULT_BACKUP_KEEP, backupClosed, backupOpen, msUntilHour } from './backup';
import { type RecoveryReport, recoverIfDamaged } from './recovery';

const WEEK_MS = 7 * 86_400_000;

export interface ReplicaFileOptions {
  backupDir: string;
  keep?: number;
  log: LinkLogger;
  now?: () => number;
}

/** Migrations this version would run on the file: none for a new file. */
function pendingMigrations(file: string): number {
  if (!existsSync(file) || statSync(file).size === 0) return 0;
  const db = openSqlite<{ prepare(sql: string): { all(): unknown[] }; close(): void }>(file, { readonly: true, fileMustExist: true });
  try {
    const done = db.prepare('SELECT name FROM migrations').all().length;
    return Math.max(0, MIGRATIONS.length - done);
  } catch {
    return 0;
  } finally {
    db.close();
  }
}

/**
 * Before the replica opens: recovery of a damaged file, then a backup when migrations
 * are about to change the schema (a failed backup stops the start: migrating without
 * one is what this is for). Returns the recovery's report, or null.
 */
export async function prepareReplicaFile(file: string, options: ReplicaFileOptions): Promise<RecoveryReport | null> {
  const now = options.now ?? Date.now;
  const report = await recoverIfDamaged(file, { backupDir: options.backupDir, now });
  if (report) options.log.error(`[ops] ${report.message}`);
  const pending = pendingMigrations(file);
  if (pending > 0) {
    const info = backupClosed(file, options.backupDir, { kind: 'premigration', now: now(), keep: Math.max(options.keep ?? DEFAULT_BACKUP_KEEP, 1) + 1 });
    options.log.info(`[ops] backup before ${pending} migration(s): ${info.file} (${info.bytes} bytes)`);
  }
  return report;
}

export interface MaintenanceOptions {
  /** The replica's open better-sqlite3 connection (Replica.store().db). */
  db: unknown;
  backupDir: string;
  keep?: number;
  /** The nightly backup's hour, Asia/Shanghai (default 3). */
  hour?: number;
  log: LinkLogger;
  now?: () => number;
  /** The weekly integrity check found damage: the service says so (the next start recovers). */
  onDamage?: (detail: string) => void;
}

/** The nightly backup and the weekly check of the open replica. */
export class Maintenance {
  private timer: NodeJS.Timeout | null = null;
  private lastCheckMs: number;
  private running: Promise<unknown> | null = null;
  lastBackup: BackupInfo | null = null;
  lastError: string | null = null;

  constructor(private readonly options: MaintenanceOptions) {
    this.lastCheckMs = this.now();
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  start(): void {
    if (this.timer) return;
    const delay = msUntilHour(this.now(), this.options.hour ?? DEFAULT_BACKUP_HOUR);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.nightly().finally(() => this.start());
    }, delay);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Waits for a backup in progress (close waits for it before the file closes). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** A backup now (also what the night runs); never throws: a failure is logged and kept in lastError. */
  async backupNow(kind = 'nightly'): Promise<BackupInfo | null> {
    const job = backupOpen(this.options.db, this.options.backupDir, { keep: this.options.keep ?? DEFAULT_BACKUP_KEEP, now: this.now(), kind });
    this.running = job;
    try {
      const info = await job;
      this.lastBackup = info;
      this.lastError = null;
      this.options.log.info(`[ops] backup written and checked: ${info.file} (${info.bytes} bytes)`);
      return info;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      this.options.log.error(`[ops] ${this.lastError}`);
      return null;
    } finally {
      this.running = null;
    }
  }

  /** `PRAGMA integrity_check` of the open replica: 'ok' or what is wrong (logged, and onDamage told). */
  checkNow(): string {
    this.lastCheckMs = this.now();
    let result: string;
    try {
      const rows = (this.options.db as { pragma(s: string): unknown }).pragma('integrity_check') as { integrity_check: string }[];
      result = rows.map((r) => r.integrity_check).join('; ');
    } catch (error) {
      result = error instanceof Error ? error.message : String(error);
    }
    if (result === 'ok') this.options.log.info('[ops] integrity_check: ok');
    else {
      this.options.log.error(`[ops] integrity_check failed: ${result.slice(0, 500)}. 本地数据库已损坏,请重启 GridDeck:启动时将自动恢复`);
      this.options.onDamage?.(result);
    }
    return result;
  }

  private async nightly(): Promise<void> {
    await this.backupNow('nightly');
    if (this.now() - this.lastCheckMs >= WEEK_MS) this.checkNow();
  }
}
