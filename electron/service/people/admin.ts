// The admin's tools over People (people.ts): accounts (create, update, disable, reset),
// device tokens (issue, revoke), settings, and the first admin account of a new town
// (auth.setup). Each change is one write with its audit entry; sessions an account or a
// device loses end in the same write and are announced after it.
import type { Caller, Seat } from '../../../core/api/channels';
import type { ParsedArgsOf, ResultOf } from '../../../core/api/contract';
import type { Account } from '../../../core/api/people';
import type { AccountRole } from '../../../core/model';
import { checkPassword, scopeProblem } from '../../../core/people/policy';
import { ApiFailure } from '../service';
import { accountById, accountByUsername, countAccounts, gridsOf, insertAccount, listAccountRows, otherActiveAdmins, setPasswordRow, toAccount, updateAccountRow, type AccountPatch, type AccountRow } from './accounts';
import { deviceById, insertDevice, listDeviceRows, revokeDevice, toDevice } from './devices';
import { randomSecret, sha256Hex } from './passwords';
import { openSession } from './sessions';
import { readSettings, writeSettings, type Settings } from './settings';
import { seatText } from './store';
import { sessionUserOf, whoOf, type People, type Who } from './people';

export interface AccountInput {
  username: string;
  name: string;
  role: AccountRole;
  password: string;
  departmentId?: string | undefined;
  grids?: readonly string[] | undefined;
}

/** The checks of an account's profile: the scope its role needs, a department the town has. */
function checkScope(people: People, role: AccountRole, scope: { departmentId?: string | null | undefined; grids?: readonly string[] | null | undefined }): void {
  const problem = scopeProblem(role, scope);
  if (problem) throw new ApiFailure('invalid', problem);
  if (scope.departmentId && people.knownDepartment(scope.departmentId) === false) throw new ApiFailure('invalid', `没有编号为 ${scope.departmentId} 的部门`);
}

function checkNewPassword(password: string, username: string): void {
  const policy = checkPassword(password, username);
  if (!policy.ok) throw new ApiFailure('invalid', policy.message);
}

const scopeText = (a: { role: string; departmentId?: string | null | undefined; grids?: readonly string[] | null | undefined }): string =>
  [a.role, a.departmentId ? `部门 ${a.departmentId}` : '', a.grids && a.grids.length > 0 ? `网格 ${a.grids.join(',')}` : ''].filter(Boolean).join(',');

/**
 * A new account (accounts.create, the accounts CLI, the demo). `mustChangePassword`:
 * an admin chose the password, the person should change it.
 */
export async function createAccount(people: People, input: AccountInput, who: Who, options: { mustChangePassword: boolean; id?: string }): Promise<Account> {
  const username = input.username.trim().toLowerCase();
  checkScope(people, input.role, input);
  checkNewPassword(input.password, username);
  if (accountByUsername(people.db, username)) throw new ApiFailure('invalid', `用户名 ${username} 已被使用`);
  const password = await people.hash(input.password);
  return people.write(() => {
    if (accountByUsername(people.db, username)) throw new ApiFailure('invalid', `用户名 ${username} 已被使用`);
    const row = insertAccount(
      people.db,
      { id: options.id ?? `a-${randomSecret(9)}`, username, name: input.name.trim(), role: input.role, departmentId: input.departmentId, grids: input.grids, password, mustChangePassword: options.mustChangePassword },
      people.clock(),
    );
    people.auditIn({ ...who, kind: 'account', action: 'accounts.create', target: row.id, detail: `创建账户 ${username}(${row.name},${scopeText(input)})` });
    return toAccount(row, people.clock());
  });
}

/** auth.setup: the first admin account, logged in at once; refused once any account exists. */
export async function setupFirstAdmin(people: People, args: ParsedArgsOf<'auth.setup'>, seat: Seat | undefined): Promise<ResultOf<'auth.setup'>> {
  if (!people.needsSetup()) throw new ApiFailure('forbidden', '系统已有账户,请登录;首个管理员账户只能在初次启动时创建');
  checkNewPassword(args.password, args.username);
  const password = await people.hash(args.password);
  const where = seatText(seat);
  return people.write(() => {
    // Checked again inside the write: two screens racing for the first account make one.
    if (countAccounts(people.db) > 0) throw new ApiFailure('forbidden', '系统已有账户,请登录');
    const now = people.clock();
    const row = insertAccount(people.db, { id: `a-${randomSecret(9)}`, username: args.username, name: args.name, role: 'admin', password, mustChangePassword: false }, now);
    const session = openSession(people.db, { accountId: row.id }, where, now);
    people.auditIn({ kind: 'account', actorId: row.id, actorName: row.name, role: 'admin', seat: where, action: 'auth.setup', target: row.id, detail: `初次启动,创建首个管理员账户 ${row.username}` });
    people.auditIn({ kind: 'login', actorId: row.id, actorName: row.name, role: 'admin', seat: where, action: 'auth.setup', detail: `会话 ${session.id}` });
    return { token: session.token, user: sessionUserOf(row), idleTimeoutMs: people.idleMs() };
  });
}

function accountOrFail(people: People, id: string): AccountRow {
  const row = accountById(people.db, id);
  if (!row) throw new ApiFailure('not-found', `没有编号为 ${id} 的账户`);
  return row;
}

/** What a patch changes, in words for the audit trail. */
function patchText(row: AccountRow, patch: AccountPatch): string {
  const parts: string[] = [];
  if (patch.name !== undefined && patch.name !== row.name) parts.push(`姓名 ${row.name} → ${patch.name}`);
  if (patch.role !== undefined && patch.role !== row.role) parts.push(`角色 ${row.role} → ${patch.role}`);
  if (patch.departmentId !== undefined) parts.push(`部门 → ${patch.departmentId ?? '无'}`);
  if (patch.grids !== undefined) parts.push(`网格 → ${patch.grids?.join(',') || '无'}`);
  if (patch.disabled !== undefined && patch.disabled !== (row.disabled !== 0)) parts.push(patch.disabled ? '停用' : '启用');
  return parts.join(';') || '无变化';
}

/** accounts.update: profile, role, scope, disabled; a disabled account's sessions end at once. */
export function updateAccount(people: People, args: ParsedArgsOf<'accounts.update'>, caller: Caller): Account {
  const { id, ...patch } = args;
  return people.write(() => {
    const row = accountOrFail(people, id);
    const role = patch.role ?? row.role;
    const departmentId = patch.departmentId === undefined ? row.department_id : patch.departmentId;
    const grids = patch.grids === undefined ? gridsOf(row) : patch.grids;
    checkScope(people, role, { departmentId, grids });
    const losesAdmin = row.role === 'admin' && row.disabled === 0 && (role !== 'admin' || patch.disabled === true);
    if (losesAdmin && otherActiveAdmins(people.db, row.id) === 0) throw new ApiFailure('invalid', '至少要保留一个可用的管理员账户');
    const updated = updateAccountRow(people.db, row, patch, people.clock());
    if (patch.disabled === true && row.disabled === 0) people.endSessionsIn({ accountId: row.id }, 'disabled');
    people.auditIn({ ...whoOf(caller), kind: 'account', action: 'accounts.update', target: row.id, detail: `${row.username}:${patchText(row, patch)}` });
    return toAccount(updated, people.clock());
  });
}

/**
 * accounts.reset (and the CLI's reset): a new password, unlocked, sessions ended; to be
 * changed at next login (unless `mustChange` is false: the demo's own passwords).
 */
export async function resetPassword(people: People, id: string, password: string, who: Who, mustChange = true): Promise<Account> {
  const row = accountOrFail(people, id);
  checkNewPassword(password, row.username);
  const stored = await people.hash(password);
  return people.write(() => {
    const updated = setPasswordRow(people.db, accountOrFail(people, id).id, stored, mustChange, people.clock());
    const ended = people.endSessionsIn({ accountId: id }, 'reset');
    people.auditIn({ ...who, kind: 'account', action: 'accounts.reset', target: id, detail: `重置 ${row.username} 的密码并解锁,结束 ${ended} 个会话` });
    return toAccount(updated, people.clock());
  });
}

export const listAccounts = (people: People): Account[] => listAccountRows(people.db).map((row) => toAccount(row, people.clock()));

// ---------------------------------------------------------------- devices

/** devices.issue: a device and its one-time enrolment code, to open on the screen as `/wall#device=CODE`. */
export function issueDevice(people: People, name: string, caller: Caller): ResultOf<'devices.issue'> {
  const code = randomSecret(24);
  return people.write(() => {
    const who = whoOf(caller);
    const row = insertDevice(people.db, { id: `d-${randomSecret(9)}`, name: name.trim(), codeHash: sha256Hex(code), createdBy: who.actorId ?? who.actorName }, people.clock());
    people.auditIn({ ...who, kind: 'device', action: 'devices.issue', target: row.id, detail: `签发设备令牌:${row.name}` });
    return { device: toDevice(row), code, path: `/wall#device=${code}` };
  });
}

/** devices.revoke: the device's sessions end; its screens are cut off. */
export function revokeDeviceToken(people: People, id: string, caller: Caller): ResultOf<'devices.revoke'> {
  return people.write(() => {
    const row = deviceById(people.db, id);
    if (!row) throw new ApiFailure('not-found', `没有编号为 ${id} 的设备`);
    if (revokeDevice(people.db, id, people.clock())) {
      const ended = people.endSessionsIn({ deviceId: id }, 'revoked');
      people.auditIn({ ...whoOf(caller), kind: 'device', action: 'devices.revoke', target: id, detail: `吊销设备令牌:${row.name},结束 ${ended} 个会话` });
    }
    return toDevice(deviceById(people.db, id) ?? row);
  });
}

export const listDevices = (people: People): ResultOf<'devices.list'> => listDeviceRows(people.db).map(toDevice);

// ---------------------------------------------------------------- settings

export function updateSettings(people: People, patch: Partial<Settings>, caller: Caller): Settings {
  return people.write(() => {
    const before = readSettings(people.db);
    writeSettings(people.db, patch);
    const after = readSettings(people.db);
    const changes = (Object.keys(patch) as (keyof Settings)[]).filter((k) => before[k] !== after[k]).map((k) => `${k}: ${before[k]} → ${after[k]}`);
    people.auditIn({ ...whoOf(caller), kind: 'settings', action: 'settings.update', detail: changes.join(';') || '无变化' });
    people.settingsChanged();
    return after;
  });
}
