// A full disk (issue 12): SQLite answers SQLITE_FULL (also when the replica reaches its
// max_page_count), the file system ENOSPC. The service says 磁盘空间不足 instead of an
// internal error, and the county link pauses until there is room again (county-link.ts).
import { statfsSync } from 'node:fs';

/** True for an error of a write that found no room: SQLITE_FULL or ENOSPC. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC';
}

/** What a dispatcher reads when a command cannot be stored for a full disk: nothing was queued. */
export const DISK_FULL_MESSAGE = '磁盘空间不足:本地数据库无法写入,本次操作未保存。请清理磁盘空间(或联系管理员)后重试';

/** What the console's status bar says while the link waits for room. */
export const DISK_FULL_LINK_DETAIL = '磁盘空间不足:本地数据库无法写入,已暂停与县级平台同步;请清理磁盘空间,空间恢复后将自动继续';

/** Free space, in bytes, for this process's user on the file system of `dir`; Infinity when it cannot be told. */
export function freeBytes(dir: string): number {
  try {
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** The link's default probe: room again when at least this much is free beside the replica. */
export const DISK_ROOM_BYTES = 64 * 1024 * 1024;
