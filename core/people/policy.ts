// The rules of the town's personal logins, written once: the password policy, the
// lockout after repeated failures, the idle timeout of a session and what scope each
// role needs. The data service enforces them (electron/service/people/); the screens
// may show them (the policy's message lists what a password still lacks).
import type { AccountRole } from '../model';
import { ROLE_LABELS } from '../events/labels';

export const PASSWORD_MIN_LENGTH = 10;
/** Of the four classes (lower-case, upper-case, digit, symbol), a password needs this many. */
export const PASSWORD_MIN_CLASSES = 3;

/** Failed logins within LOCKOUT_WINDOW_MS that lock an account. */
export const LOCKOUT_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60_000;
/** How long a locked account stays locked. */
export const LOCKOUT_MS = 15 * 60_000;

/** A person's session ends after this long without a call, unless the settings say otherwise. */
export const DEFAULT_SESSION_IDLE_HOURS = 12;

const CLASSES = [
  { name: '小写字母', test: (c: string) => /\p{Ll}/u.test(c) },
  { name: '大写字母', test: (c: string) => /\p{Lu}/u.test(c) },
  { name: '数字', test: (c: string) => /\p{Nd}/u.test(c) },
  { name: '符号', test: (c: string) => !/[\p{L}\p{Nd}\s]/u.test(c) },
] as const;

export interface PasswordCheck {
  ok: boolean;
  /** What the password lacks, each in Chinese (empty when ok). */
  missing: string[];
  /** One sentence for the person typing it (empty when ok). */
  message: string;
}

/**
 * The password policy: at least 10 characters, at least 3 of lower-case, upper-case,
 * digit and symbol, and not containing the username (case-insensitive).
 */
export function checkPassword(password: string, username = ''): PasswordCheck {
  const missing: string[] = [];
  const chars = [...password];
  if (chars.length < PASSWORD_MIN_LENGTH) missing.push(`至少 ${PASSWORD_MIN_LENGTH} 个字符(现有 ${chars.length} 个)`);
  const absent = CLASSES.filter((k) => !chars.some((c) => k.test(c))).map((k) => k.name);
  if (CLASSES.length - absent.length < PASSWORD_MIN_CLASSES) {
    missing.push(`小写字母、大写字母、数字、符号中至少 ${PASSWORD_MIN_CLASSES} 类(还缺少:${absent.join('、')},补齐其中 ${PASSWORD_MIN_CLASSES - (CLASSES.length - absent.length)} 类即可)`);
  }
  const name = username.trim().toLowerCase();
  if (name !== '' && password.toLowerCase().includes(name)) missing.push('不能包含用户名');
  return { ok: missing.length === 0, missing, message: missing.length === 0 ? '' : `密码不符合要求:${missing.join(';')}` };
}

export interface LockState {
  failedCount: number;
  /** Epoch ms of the first failure of the current window, or null. */
  firstFailedAt: number | null;
  /** Epoch ms until which the account is locked, or null. */
  lockedUntil: number | null;
}

/** Is the account locked at `now`? */
export function isLocked(state: Pick<LockState, 'lockedUntil'>, now: number): boolean {
  return state.lockedUntil !== null && state.lockedUntil > now;
}

/**
 * The lock state after one more failed login at `now`: failures count within a window
 * of 15 minutes from the first; the fifth locks the account for 15 minutes (and starts
 * the count afresh).
 */
export function afterFailure(state: LockState, now: number): LockState {
  const fresh = state.firstFailedAt === null || now - state.firstFailedAt >= LOCKOUT_WINDOW_MS;
  const failedCount = fresh ? 1 : state.failedCount + 1;
  const firstFailedAt = fresh ? now : state.firstFailedAt;
  if (failedCount >= LOCKOUT_FAILURES) return { failedCount: 0, firstFailedAt: null, lockedUntil: now + LOCKOUT_MS };
  return { failedCount, firstFailedAt, lockedUntil: isLocked(state, now) ? state.lockedUntil : null };
}

/** The state after a successful login (or an admin's reset): no failure, no lock. */
export const UNLOCKED: LockState = { failedCount: 0, firstFailedAt: null, lockedUntil: null };

/** Why a scope does not fit a role ("部门人员需要指定所属部门"), or null when it does. */
export function scopeProblem(role: AccountRole, scope: { departmentId?: string | null; grids?: readonly string[] | null }): string | null {
  const grids = scope.grids ?? [];
  if (role === 'department' && !scope.departmentId) return `${ROLE_LABELS.department}账户需要指定所属部门`;
  if (role === 'village' && grids.length === 0) return `${ROLE_LABELS.village}账户需要指定所辖村（社区）或网格`;
  if (role === 'admin' && (scope.departmentId || grids.length > 0)) return `${ROLE_LABELS.admin}账户不按部门或网格划分`;
  return null;
}
