// The audit trail from the command line:
//   npm run audit -- verify --db FILE
// walks the hash chain of the replica's audit_log (read-only: the file is not changed, a
// copy can be checked too) and prints `audit ok: N entries` (exit 0), or names the first
// entry that breaks the chain, its seq, time and kind (exit 1). Bad flags, a missing file
// or a file without an audit trail: exit 2.
import { existsSync } from 'node:fs';
import { parseFlags } from '../../../node-common/flags';
import { openSqlite } from '../../../node-common/sqlite';
import type { SqliteDatabase } from '../db/sqlite';
import { verifyAudit } from './audit';

const USAGE = 'usage: npm run audit -- verify --db FILE';

function fail(message: string): void {
  console.error(`griddeck audit: ${message}`);
  console.error(USAGE);
  process.exitCode = 2;
}

function main(): void {
  const [action, ...rest] = process.argv.slice(2);
  if (action !== 'verify') return fail(`未知的操作 / unknown action: ${action ?? '(none)'} (verify)`);
  let flags: Partial<Record<'db', string>>;
  try {
    flags = parseFlags(rest, ['db']);
  } catch (error) {
    return fail(`参数错误 / ${(error as Error).message}`);
  }
  if (!flags.db) return fail('缺少 --db(副本文件)/ --db FILE is required');
  if (!existsSync(flags.db)) return fail(`没有这个文件 / no such file: ${flags.db}`);
  let db: (SqliteDatabase & { close(): void }) | null = null;
  try {
    db = openSqlite<SqliteDatabase & { close(): void }>(flags.db, { readonly: true, fileMustExist: true });
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").get();
    if (!table) return fail(`此文件没有审计日志 / no audit trail in ${flags.db} (not a GridDeck replica of version 6 or later)`);
    const verdict = verifyAudit(db);
    if (verdict.ok) {
      console.log(`audit ok: ${verdict.count} entries`);
      return;
    }
    const b = verdict.broken;
    console.log(`audit BROKEN at entry seq ${b.seq} (at ${b.at}, kind ${b.kind}): ${b.reason}; ${verdict.count} entries before it are intact`);
    process.exitCode = 1;
  } catch (error) {
    console.error(`griddeck audit: cannot read ${flags.db}: ${(error as Error).message}`);
    process.exitCode = 2;
  } finally {
    db?.close();
  }
}

main();
