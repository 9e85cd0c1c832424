// The app API's operations methods (core/api/ops.ts) over the data service's log,
// backups and recovery report: an administrator reads where the log is, its newest
// lines (the admin screen exports them as a file), the backups, and makes one now.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { OPS_METHODS } from '../../../core/api/ops';
import { ApiFailure, type Handler } from '../service';
import { listBackups } from './backup';
import type { Maintenance } from './maintenance';
import type { RecoveryReport } from './recovery';

export type OpsMethod = keyof typeof OPS_METHODS;
export type OpsHandlers = { [M in OpsMethod]: Handler<M> };

export interface OpsSources {
  logFile: string | null;
  backupDir: string | null;
  maintenance: Maintenance | null;
  recovery: RecoveryReport | null;
}

/** At most this much of the log's end is read for its newest lines. */
const TAIL_BYTES = 4 * 1024 * 1024;

/** The last `limit` lines of a file (reading at most its last TAIL_BYTES). */
export function tailLines(file: string, limit: number): string[] {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n').filter((l) => l !== '');
    // A read that starts mid-file starts mid-line: drop that partial first line.
    return (length < size ? lines.slice(1) : lines).slice(-limit);
  } finally {
    closeSync(fd);
  }
}

export function createOpsHandlers(sources: OpsSources): OpsHandlers {
  const unavailable = (what: string): never => {
    throw new ApiFailure('unavailable', `${what}不可用:本服务未配置`);
  };
  return {
    'ops.status': () => ({
      logFile: sources.logFile,
      backupDir: sources.backupDir,
      backups: sources.backupDir ? listBackups(sources.backupDir) : [],
      lastBackupError: sources.maintenance?.lastError ?? null,
      recovery: sources.recovery?.message ?? null,
    }),
    'ops.log': ({ limit }) => {
      if (!sources.logFile) return { file: null, lines: [] };
      try {
        return { file: sources.logFile, lines: tailLines(sources.logFile, limit) };
      } catch (error) {
        throw new ApiFailure('unavailable', `无法读取日志文件 ${sources.logFile}:${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
    },
    'ops.backup': async () => {
      const maintenance = sources.maintenance ?? unavailable('备份');
      const info = await maintenance.backupNow('manual');
      if (!info) throw new ApiFailure('unavailable', maintenance.lastError ?? '备份失败');
      return info;
    },
  };
}

/** A service without the data service around it (tests' fakes): every operations method is unavailable. */
export const NO_OPS: OpsSources = { logFile: null, backupDir: null, maintenance: null, recovery: null };
