// npm run restore -- --db FILE [--backup-dir DIR] [--from BACKUP] [--list]
// Puts a backup of the replica in place (ops/recovery.ts restoreBackup) while the data
// service is stopped: the newest backup that passes its integrity check, or --from. The
// current file is moved aside (never deleted) and the commands of its outbox are kept.
// --list prints the backups, oldest first, with their check. Exit 0 when done, 1 on
// failure (said in one line), 2 for bad arguments.
import { dirname, join, resolve } from 'node:path';
import { parseFlags } from '../../../node-common/flags';
import { acquireInstanceLock } from '../instance-lock';
import { checkFile, listBackups } from './backup';
import { restoreBackup } from './recovery';

const USAGE = 'usage: npm run restore -- --db FILE [--backup-dir DIR] [--from BACKUP | --list]';

async function main(argv: readonly string[]): Promise<number> {
  const list = argv.includes('--list');
  let flags: Partial<Record<'db' | 'backup-dir' | 'from', string>>;
  try {
    flags = parseFlags(argv.filter((a) => a !== '--list'), ['db', 'backup-dir', 'from']);
    if (!flags.db) throw new Error('--db is required');
  } catch (error) {
    console.error(`griddeck restore: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const file = resolve(flags.db);
  const dir = resolve(flags['backup-dir'] ?? join(dirname(file), 'backups'));
  const backups = listBackups(dir);
  if (list) {
    if (backups.length === 0) console.log(`no backups in ${dir}`);
    for (const b of backups) console.log(`${b.file}  ${b.bytes} bytes  integrity_check: ${checkFile(b.file)}`);
    return 0;
  }
  const from = flags.from ? resolve(flags.from) : [...backups].reverse().find((b) => checkFile(b.file) === 'ok')?.file;
  if (!from) {
    console.error(`griddeck restore: no backup that passes its integrity check in ${dir}`);
    return 1;
  }
  const unlock = acquireInstanceLock(file);
  try {
    const report = await restoreBackup(file, from);
    if (report.movedTo) console.log(`the replaced replica was moved to ${report.movedTo}`);
    console.log(`restored ${file} from ${report.restoredFrom}; ${report.unsent} unsent command(s) kept; the county resends the events at the next start`);
    return 0;
  } finally {
    unlock();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`griddeck restore: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
