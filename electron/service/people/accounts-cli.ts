// Accounts from the command line, for scripted provisioning and a lost admin password:
//   npm run accounts -- add --db FILE --username U --role ROLE --name NAME [--department ID] [--grids CODES]
//   npm run accounts -- reset --db FILE --username U
//   npm run accounts -- list --db FILE
// The password is read from standard input (its first line), never from the command line
// (where `ps` shows it). Works on the replica file while the service runs (SQLite
// serialises the writes); a reset ends the account's sessions, which the running service
// refuses at once and announces at its next sweep (within a minute). Every change is in the audit trail with the seat `cli`.
// Exit 0: done; 2: bad flags or refused input (said in Chinese and English); 1: other failure.
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { UsernameSchema } from '../../../core/api/people';
import { GRID_CODE_PATTERN } from '../../../core/grid/codes';
import { ACCOUNT_ROLES, type AccountRole } from '../../../core/model';
import { parseFlags } from '../../../node-common/flags';
import { openDatabase, type OpenedDatabase } from '../db/sqlite';
import { ApiFailure } from '../service';
import { accountByUsername, listAccountRows, toAccount } from './accounts';
import { createAccount, resetPassword } from './admin';
import { People, type Who } from './people';
import { ownConnection } from './store';

const USAGE = [
  'usage: npm run accounts -- add --db FILE --username U --role ROLE --name NAME [--department ID] [--grids CODES]   (password on stdin)',
  '       npm run accounts -- reset --db FILE --username U   (new password on stdin)',
  '       npm run accounts -- list --db FILE',
  `roles: ${ACCOUNT_ROLES.join(', ')} (department needs --department, village needs --grids)`,
].join('\n');

/** Bad input: the message (Chinese / English) and exit code 2. */
class UsageError extends Error {}

const FLAGS = {
  add: ['db', 'username', 'role', 'name', 'department', 'grids'],
  reset: ['db', 'username'],
  list: ['db'],
} as const;
type Action = keyof typeof FLAGS;

const CLI_WHO = (): Who => ({ actorId: null, actorName: `命令行(${safeUser()})`, role: 'admin', seat: 'cli' });

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

function parse(argv: readonly string[]): { action: Action; flags: Partial<Record<string, string>> } {
  const [action, ...rest] = argv;
  if (action === undefined || !Object.hasOwn(FLAGS, action)) throw new UsageError(`未知的操作 / unknown action: ${action ?? '(none)'} (add, reset, list)`);
  let flags: Partial<Record<string, string>>;
  try {
    flags = parseFlags(rest, FLAGS[action as Action]);
  } catch (error) {
    throw new UsageError(`参数错误 / ${(error as Error).message}`);
  }
  if (!flags.db) throw new UsageError('缺少 --db(副本文件)/ --db FILE is required');
  if (!existsSync(flags.db)) throw new UsageError(`没有这个副本文件 / no such replica file: ${flags.db} (start GridDeck once with --db ${flags.db})`);
  if (action !== 'list' && !flags.username) throw new UsageError('缺少 --username / --username is required');
  return { action: action as Action, flags };
}

/** The password: the first line of standard input. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('密码 / password: ');
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) {
    text += chunk as string;
    if (text.includes('\n')) break;
  }
  const password = text.split(/\r?\n/)[0] ?? '';
  if (password === '') throw new UsageError('标准输入没有密码 / no password on standard input');
  return password;
}

function addInput(flags: Partial<Record<string, string>>): { username: string; name: string; role: AccountRole; departmentId?: string; grids?: string[] } {
  const username = UsernameSchema.safeParse(flags.username);
  if (!username.success) throw new UsageError(`用户名无效 / bad --username: ${username.error.issues[0]?.message ?? ''}`);
  const role = flags.role as AccountRole | undefined;
  if (!role || !(ACCOUNT_ROLES as readonly string[]).includes(role)) throw new UsageError(`角色无效 / bad --role: ${flags.role ?? '(none)'} (${ACCOUNT_ROLES.join(', ')})`);
  const name = flags.name?.trim();
  if (!name) throw new UsageError('缺少 --name(姓名)/ --name is required');
  if (role === 'department' && !flags.department) throw new UsageError('部门人员需要 --department / the department role needs --department ID');
  if (role === 'village' && !flags.grids) throw new UsageError('村（社区）工作站需要 --grids / the village role needs --grids CODES');
  const grids = flags.grids?.split(',').map((g) => g.trim()).filter(Boolean);
  const bad = grids?.find((g) => !GRID_CODE_PATTERN.test(g));
  if (bad !== undefined) throw new UsageError(`网格编码无效 / bad grid code: ${bad} (9, 12 or 15 digits)`);
  return { username: username.data, name, role, ...(flags.department ? { departmentId: flags.department } : {}), ...(grids && grids.length > 0 ? { grids } : {}) };
}

function knownDepartment(opened: OpenedDatabase, id: string): boolean | undefined {
  const ids = opened.db.prepare<{ id: string }>('SELECT id FROM departments').all();
  return ids.length === 0 ? undefined : ids.some((r) => r.id === id);
}

function printList(people: People): void {
  const now = people.clock();
  const rows = listAccountRows(people.db).map((r) => toAccount(r, now));
  const table = [
    ['username', 'name', 'role', 'department', 'grids', 'status', 'last login'],
    ...rows.map((a) => [
      a.username,
      a.name,
      a.role,
      a.departmentId ?? '-',
      a.grids?.join(',') ?? '-',
      a.disabled ? 'disabled' : a.lockedUntil ? `locked until ${a.lockedUntil}` : a.mustChangePassword ? 'active (must change password)' : 'active',
      a.lastLoginAt ?? '-',
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => displayWidth(r[i] ?? ''))));
  for (const row of table) console.log(row.map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - displayWidth(cell))).join('  ').trimEnd());
  console.log(`${rows.length} account(s)`);
}

/** Columns a terminal gives a string (CJK characters take two). */
const displayWidth = (text: string): number => [...text].reduce((w, c) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? 2 : 1), 0);

async function run(action: Action, flags: Partial<Record<string, string>>): Promise<void> {
  const input = action === 'add' ? addInput(flags) : null;
  const password = action === 'list' ? '' : await readPassword();
  const opened = await openDatabase(resolve(flags.db as string));
  try {
    const people = new People({ store: ownConnection(opened.db), knownDepartment: (id) => knownDepartment(opened, id) });
    if (action === 'list') return printList(people);
    if (input) {
      const account = await createAccount(people, { ...input, password }, CLI_WHO(), { mustChangePassword: true });
      console.log(`account created: ${account.username} (${account.role}), id ${account.id}; the password must be changed at first login`);
      return;
    }
    const row = accountByUsername(people.db, flags.username as string);
    if (!row) throw new UsageError(`没有这个用户名 / no such account: ${flags.username}`);
    await resetPassword(people, row.id, password, CLI_WHO());
    console.log(`password reset: ${row.username} (${row.role}); unlocked, its sessions ended, the password must be changed at next login`);
  } finally {
    await opened.dataSource.destroy();
  }
}

async function main(): Promise<void> {
  try {
    const { action, flags } = parse(process.argv.slice(2));
    await run(action, flags);
  } catch (error) {
    const refused = error instanceof UsageError || (error instanceof ApiFailure && (error.code === 'invalid' || error.code === 'not-found'));
    const message = error instanceof ApiFailure ? `refused / 拒绝 (${error.code}): ${error.message}` : (error as Error).message;
    console.error(`griddeck accounts: ${message}`);
    if (error instanceof UsageError) console.error(USAGE);
    process.exitCode = refused ? 2 : 1;
  }
}

void main();
