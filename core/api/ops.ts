// Operations on the app API (issue 12): what an administrator needs to look after a
// service that runs for a year: where the log is and its latest lines (to read and to
// export), the backups, a backup now, and what the start did about a damaged replica.
// Shapes only; the handlers are electron/service/ops/handlers.ts.
import * as z from 'zod';
import type { MethodSpec } from './contract';

export const BackupInfoSchema = z.object({
  /** The backup file's absolute path. */
  file: z.string(),
  /** Its time in its name, Asia/Shanghai: YYYYMMDD-HHmmss. */
  at: z.string(),
  bytes: z.number().int().nonnegative(),
});

export const OpsStatusSchema = z.object({
  /** The current log file ("请查看日志" names it); null when the service logs elsewhere (tests). */
  logFile: z.string().nullable(),
  backupDir: z.string().nullable(),
  /** The backups on disk, oldest first. */
  backups: z.array(BackupInfoSchema),
  /** The last backup's failure (a full disk says 磁盘空间不足), or null. */
  lastBackupError: z.string().nullable(),
  /** What the start did about a damaged replica file (moved aside, restored, commands salvaged), or null. */
  recovery: z.string().nullable(),
});

export const OpsLogSchema = z.object({
  file: z.string().nullable(),
  /** The newest lines of the current file, oldest first: one JSON object each (pino), secrets already scrubbed. */
  lines: z.array(z.string()),
});

export const OPS_LOG_LINES_MAX = 5_000;

export const OPS_METHODS = {
  'ops.status': {
    kind: 'admin',
    args: z.strictObject({}),
    result: OpsStatusSchema,
    summary: 'The log file, the backups and the last recovery of the replica (issue 12).',
  },
  'ops.log': {
    kind: 'admin',
    args: z.strictObject({ limit: z.number().int().min(1).max(OPS_LOG_LINES_MAX).default(500) }),
    result: OpsLogSchema,
    summary: 'The newest lines of the service log, to read and export.',
  },
  'ops.backup': {
    kind: 'admin',
    args: z.strictObject({}),
    result: BackupInfoSchema,
    summary: 'A checked backup of the replica now (beside the nightly ones; the oldest beyond the kept count are deleted).',
  },
} as const satisfies Record<string, MethodSpec<'admin'>>;
