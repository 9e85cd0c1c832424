// The accounts table (migration 0006): rows in and out, nothing else. The rules (the
// password policy, the lockout, the scope a role needs, who may change what) are
// applied by people.ts with core/people/policy.ts.
import type { Account } from '../../../core/api/people';
import type { AccountRole } from '../../../core/model';
import { isLocked, type LockState } from '../../../core/people/policy';
import { toIso } from '../../../core/time/shanghai';
import type { SqliteDatabase } from '../db/sqlite';
import type { StoredPassword } from './passwords';
import { bool, stmt } from './store';

export interface AccountRow {
  id: string;
  username: string;
  name: string;
  role: AccountRole;
  department_id: string | null;
  grids: string | null;
  password_hash: string;
  salt: string;
  scrypt_params: string;
  disabled: number;
  must_change_password: number;
  failed_count: number;
  first_failed_at: number | null;
  locked_until: number | null;
  last_login_at: number | null;
  created_at: number;
  updated_at: number;
}

export const storedPassword = (row: AccountRow): StoredPassword => ({ hash: row.password_hash, salt: row.salt, params: row.scrypt_params });

export const lockState = (row: AccountRow): LockState => ({ failedCount: row.failed_count, firstFailedAt: row.first_failed_at, lockedUntil: row.locked_until });

export function gridsOf(row: Pick<AccountRow, 'grids'>): string[] | undefined {
  if (row.grids === null) return undefined;
  try {
    const grids = JSON.parse(row.grids) as unknown;
    return Array.isArray(grids) ? grids.filter((g): g is string => typeof g === 'string') : undefined;
  } catch {
    return undefined;
  }
}

/** An account as the API shows it: no secret. */
export function toAccount(row: AccountRow, now: number): Account {
  const grids = gridsOf(row);
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    role: row.role,
    ...(row.department_id !== null ? { departmentId: row.department_id } : {}),
    ...(grids ? { grids } : {}),
    disabled: bool(row.disabled),
    lockedUntil: isLocked(lockState(row), now) && row.locked_until !== null ? toIso(row.locked_until) : null,
    lastLoginAt: row.last_login_at === null ? null : toIso(row.last_login_at),
    createdAt: toIso(row.created_at),
    mustChangePassword: bool(row.must_change_password),
  };
}

export const accountById = (db: SqliteDatabase, id: string): AccountRow | undefined => stmt<AccountRow>(db, 'SELECT * FROM accounts WHERE id = ?').get(id);

export const accountByUsername = (db: SqliteDatabase, username: string): AccountRow | undefined =>
  stmt<AccountRow>(db, 'SELECT * FROM accounts WHERE username = ?').get(username.trim().toLowerCase());

export const listAccountRows = (db: SqliteDatabase): AccountRow[] => stmt<AccountRow>(db, 'SELECT * FROM accounts ORDER BY username').all();

export const countAccounts = (db: SqliteDatabase): number => stmt<{ c: number }>(db, 'SELECT COUNT(*) AS c FROM accounts').get()?.c ?? 0;

/** Admin accounts that can log in (not disabled), other than `exceptId`. */
export const otherActiveAdmins = (db: SqliteDatabase, exceptId: string): number =>
  stmt<{ c: number }>(db, "SELECT COUNT(*) AS c FROM accounts WHERE role = 'admin' AND disabled = 0 AND id <> ?").get(exceptId)?.c ?? 0;

export interface NewAccount {
  id: string;
  username: string;
  name: string;
  role: AccountRole;
  departmentId?: string | undefined;
  grids?: readonly string[] | undefined;
  password: StoredPassword;
  mustChangePassword: boolean;
}

export function insertAccount(db: SqliteDatabase, a: NewAccount, now: number): AccountRow {
  stmt(
    db,
    `INSERT INTO accounts (id, username, name, role, department_id, grids, password_hash, salt, scrypt_params, must_change_password, created_at, updated_at)
     VALUES (@id, @username, @name, @role, @department_id, @grids, @hash, @salt, @params, @must, @now, @now)`,
  ).run({
    id: a.id,
    username: a.username.toLowerCase(),
    name: a.name,
    role: a.role,
    department_id: a.departmentId ?? null,
    grids: a.grids && a.grids.length > 0 ? JSON.stringify(a.grids) : null,
    hash: a.password.hash,
    salt: a.password.salt,
    params: a.password.params,
    must: a.mustChangePassword ? 1 : 0,
    now,
  });
  return accountById(db, a.id) as AccountRow;
}

/** The profile fields an admin changes (undefined: unchanged; null: cleared). */
export interface AccountPatch {
  name?: string | undefined;
  role?: AccountRole | undefined;
  departmentId?: string | null | undefined;
  grids?: readonly string[] | null | undefined;
  disabled?: boolean | undefined;
}

export function updateAccountRow(db: SqliteDatabase, row: AccountRow, patch: AccountPatch, now: number): AccountRow {
  const grids = patch.grids === undefined ? row.grids : patch.grids === null || patch.grids.length === 0 ? null : JSON.stringify(patch.grids);
  stmt(
    db,
    `UPDATE accounts SET name = @name, role = @role, department_id = @department_id, grids = @grids, disabled = @disabled, updated_at = @now WHERE id = @id`,
  ).run({
    id: row.id,
    name: patch.name ?? row.name,
    role: patch.role ?? row.role,
    department_id: patch.departmentId === undefined ? row.department_id : patch.departmentId,
    grids,
    disabled: patch.disabled === undefined ? row.disabled : patch.disabled ? 1 : 0,
    now,
  });
  return accountById(db, row.id) as AccountRow;
}

/** A new password (an admin's reset, or the person's own change): unlocks the account. */
export function setPasswordRow(db: SqliteDatabase, id: string, password: StoredPassword, mustChange: boolean, now: number): AccountRow {
  stmt(
    db,
    `UPDATE accounts SET password_hash = ?, salt = ?, scrypt_params = ?, must_change_password = ?,
       failed_count = 0, first_failed_at = NULL, locked_until = NULL, updated_at = ? WHERE id = ?`,
  ).run(password.hash, password.salt, password.params, mustChange ? 1 : 0, now, id);
  return accountById(db, id) as AccountRow;
}

export function setLockRow(db: SqliteDatabase, id: string, state: LockState): void {
  stmt(db, 'UPDATE accounts SET failed_count = ?, first_failed_at = ?, locked_until = ? WHERE id = ?').run(state.failedCount, state.firstFailedAt, state.lockedUntil, id);
}

export function markLoginRow(db: SqliteDatabase, id: string, now: number): void {
  stmt(db, 'UPDATE accounts SET failed_count = 0, first_failed_at = NULL, locked_until = NULL, last_login_at = ? WHERE id = ?').run(now, id);
}
