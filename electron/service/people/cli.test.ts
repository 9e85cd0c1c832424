// `npm run accounts` and `npm run audit` as plain Node processes on a temporary replica:
// add, reset and list accounts (password on stdin), refuse bad flags with exit 2, and
// verify the audit chain (exit 0), then find a tampered row (exit 1).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/sqlite';
import { seededReplica, tempDir } from '../replica/test-fixtures';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ACCOUNTS = 'electron/service/people/accounts-cli.ts';
const AUDIT = 'electron/service/people/audit-cli.ts';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(script: string, args: string[], input = ''): Promise<Ran> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    proc.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    proc.on('error', fail);
    proc.on('exit', (code) => done({ code, stdout, stderr }));
    proc.stdin.end(input);
  });
}

let tmp: ReturnType<typeof tempDir>;
let db: string;
beforeEach(async () => {
  tmp = tempDir();
  db = tmp.file('replica.sqlite');
  const { replica } = await seededReplica(db);
  await replica.close();
});
afterEach(() => tmp.cleanup());

describe('npm run accounts', () => {
  it('adds accounts with the password from stdin, lists them without secrets, and resets one', async () => {
    const added = await run(ACCOUNTS, ['add', '--db', db, '--username', 'ZhangSan', '--role', 'department', '--name', '张三', '--department', 'dept-rj'], 'Grid-deck-2026\n');
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^account created: zhangsan \(department\), id a-/);
    const village = await run(ACCOUNTS, ['add', '--db', db, '--username', 'nanhuan', '--role', 'village', '--name', '南环社区工作站', '--grids', '430624103001'], 'Village-2026!\n');
    expect(village.code).toBe(0);

    const listed = await run(ACCOUNTS, ['list', '--db', db]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^zhangsan\s+张三\s+department\s+dept-rj\s+-\s+active \(must change password\)/m);
    expect(listed.stdout).toMatch(/^nanhuan .*village\s+-\s+430624103001\s+active/m);
    expect(listed.stdout).toContain('2 account(s)');
    expect(listed.stdout).not.toMatch(/Grid-deck|scrypt|salt/);

    const reset = await run(ACCOUNTS, ['reset', '--db', db, '--username', 'zhangsan'], 'Another-pass-99\n');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('password reset: zhangsan');

    const opened = await openDatabase(db);
    const entries = opened.db.prepare<{ seat: string; action: string }>('SELECT seat, action FROM audit_log ORDER BY seq').all();
    await opened.dataSource.destroy();
    expect(entries).toEqual([
      { seat: 'cli', action: 'accounts.create' },
      { seat: 'cli', action: 'accounts.create' },
      { seat: 'cli', action: 'accounts.reset' },
    ]);
    const verified = await run(AUDIT, ['verify', '--db', db]);
    expect(verified).toMatchObject({ code: 0, stdout: 'audit ok: 3 entries\n' });
  }, 60_000);

  it('refuses bad flags and input with exit 2 and a clear message', async () => {
    const cases: [string[], string, RegExp][] = [
      [['add', '--db', db, '--username', 'xx1', '--role', 'boss', '--name', 'X'], 'Grid-deck-2026\n', /bad --role: boss/],
      [['add', '--db', db, '--username', 'dept1', '--role', 'department', '--name', '部门'], 'Grid-deck-2026\n', /needs --department/],
      [['add', '--db', db, '--username', 'vil1', '--role', 'village', '--name', '村'], 'Grid-deck-2026\n', /needs --grids/],
      [['add', '--db', db, '--username', 'vil1', '--role', 'village', '--name', '村', '--grids', '4306,x'], 'Grid-deck-2026\n', /bad grid code: 4306/],
      [['add', '--db', db, '--username', 'weak', '--role', 'viewer', '--name', '弱'], 'password\n', /密码不符合要求/],
      [['add', '--db', db, '--username', 'nopass', '--role', 'viewer', '--name', '空'], '', /no password on standard input/],
      [['add', '--db', db, '--username', 'dd2', '--role', 'department', '--name', '部门', '--department', 'dept-none'], 'Grid-deck-2026\n', /没有编号为 dept-none 的部门/],
      [['add', '--db', tmp.file('missing.sqlite'), '--username', 'aa1', '--role', 'viewer', '--name', 'A'], 'Grid-deck-2026\n', /no such replica file/],
      [['reset', '--db', db, '--username', 'nobody'], 'Grid-deck-2026\n', /no such account: nobody/],
      [['list', '--db', db, '--verbose'], '', /unknown option: --verbose/],
      [['remove', '--db', db], '', /unknown action: remove/],
      [['list'], '', /--db FILE is required/],
    ];
    for (const [args, input, message] of cases) {
      const r = await run(ACCOUNTS, args, input);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(message);
    }
  }, 120_000);
});

describe('npm run audit -- verify', () => {
  it('names the first entry of a tampered chain and exits 1', async () => {
    for (const username of ['aaa', 'bbb', 'ccc']) {
      expect((await run(ACCOUNTS, ['add', '--db', db, '--username', username, '--role', 'viewer', '--name', username], 'Grid-deck-2026\n')).code).toBe(0);
    }
    const opened = await openDatabase(db);
    opened.db.exec('DROP TRIGGER audit_log_no_update');
    opened.db.prepare("UPDATE audit_log SET detail = '创建账户 bbb(改过)' WHERE seq = 2").run();
    const at = opened.db.prepare<{ at: string }>('SELECT at FROM audit_log WHERE seq = 2').get()?.at;
    await opened.dataSource.destroy();
    const verified = await run(AUDIT, ['verify', '--db', db]);
    expect(verified.code).toBe(1);
    expect(verified.stdout).toBe(`audit BROKEN at entry seq 2 (at ${at}, kind account): 内容与其哈希不符,此条记录被改动; 1 entries before it are intact\n`);
    const bad = await run(AUDIT, ['verify']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--db FILE is required');
  }, 60_000);
});
