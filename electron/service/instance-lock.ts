// One data service per replica file. Two processes on the same replica would each run
// a link and an outbox numbering commands from the same counter: the county would see
// two commands with one n, and the replica's single-writer rule would be broken. The
// lock is a file beside the replica holding the owner's pid; a lock whose process is
// gone (a crash, a kill -9, a power cut) is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { uptime } from 'node:os';

export class InstanceLockedError extends Error {
  constructor(
    readonly file: string,
    readonly pid: number,
  ) {
    super(`本地数据库 ${file} 正被另一个 GridDeck 进程(pid ${pid})使用:同一副本只能由一个数据服务打开。请先关闭那个进程,或用 --db 指定另一个文件`);
    this.name = 'InstanceLockedError';
  }
}

/**
 * True when a process with this pid runs (EPERM: it runs under another user). A killed
 * process its parent has not reaped yet (a zombie, Linux) holds nothing any more.
 */
function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..."; the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** The pid in a lock file, unless it was written before this machine last booted (a pid from then means nothing now). */
function ownerOf(lockFile: string): number | null {
  try {
    const [pidText, at] = readFileSync(lockFile, 'utf8').trim().split(/\s+/);
    const pid = Number.parseInt(pidText ?? '', 10);
    const written = Date.parse(at ?? '');
    if (Number.isFinite(written) && written < Date.now() - uptime() * 1000 - 60_000) return null;
    return Number.isInteger(pid) ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Takes the lock of `dbFile` (`<dbFile>.lock`) for this process, or throws an
 * InstanceLockedError naming the live owner. Returns the release function (idempotent;
 * it leaves a lock another process has taken since alone).
 */
export function acquireInstanceLock(dbFile: string, pid = process.pid): () => void {
  const lockFile = `${dbFile}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(lockFile, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = ownerOf(lockFile);
      if (owner !== null && owner !== pid && alive(owner)) throw new InstanceLockedError(dbFile, owner);
      // Stale (or unreadable, or our own from before an exec): remove and try again.
      try {
        unlinkSync(lockFile);
      } catch {
        // Another process removed it first; the next attempt decides.
      }
      continue;
    }
    writeSync(fd, `${pid} ${new Date().toISOString()}\n`);
    closeSync(fd);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (ownerOf(lockFile) === pid) {
        try {
          unlinkSync(lockFile);
        } catch {
          // Already gone.
        }
      }
    };
  }
  const owner = ownerOf(lockFile);
  throw new InstanceLockedError(dbFile, owner ?? 0);
}
