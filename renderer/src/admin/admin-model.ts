// The admin's tools as data: an account form checked before it is sent (the contract's
// own schema, plus what a role needs: a department for a department operator, villages
// for a village operator), an account's state in words, the device's one-time link, and
// the audit log's filters as audit.list arguments. Pure: the screens and the tests share it.
import type { ArgsOf } from '../../../core/api/contract';
import { AccountCreateArgsSchema, type Account, type AuditKind } from '../../../core/api/people';
import type { AccountRole } from '../../../core/model';
import { checkPassword, scopeProblem } from '../../../core/people/policy';
import { formatShanghai } from '../ui/format';
import { localInputToIso } from '../console/tabs';

export interface AccountForm {
  username: string;
  name: string;
  role: AccountRole;
  password: string;
  departmentId: string;
  /** Village (12-digit) or grid codes. */
  grids: string[];
}

export const EMPTY_ACCOUNT: AccountForm = { username: '', name: '', role: 'dispatcher', password: '', departmentId: '', grids: [] };

/** What each role is confined to: a department operator works for one department, a village operator for its villages. */
export function scopeOf(role: AccountRole): { department: boolean; grids: boolean } {
  return { department: role === 'department', grids: role === 'village' };
}

export type Checked<T> = { ok: true; args: T } | { ok: false; message: string };

/** accounts.create's arguments, or the first problem in the admin's words. */
export function accountCreateArgs(form: AccountForm): Checked<ArgsOf<'accounts.create'>> {
  const scope = scopeOf(form.role);
  const problem = scopeProblem(form.role, { departmentId: scope.department ? form.departmentId : null, grids: scope.grids ? form.grids : null });
  if (problem) return { ok: false, message: `${problem}。` };
  const policy = checkPassword(form.password, form.username);
  if (form.password !== '' && !policy.ok) return { ok: false, message: policy.message };
  const args = {
    username: form.username,
    name: form.name,
    role: form.role,
    password: form.password,
    ...(scope.department ? { departmentId: form.departmentId } : {}),
    ...(scope.grids ? { grids: form.grids } : {}),
  };
  const parsed = AccountCreateArgsSchema.safeParse(args);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? '账号信息不完整。' };
  return { ok: true, args };
}

/** An account's state: 已停用, 锁定至 …, 须修改密码, or 正常. */
export function accountState(account: Pick<Account, 'disabled' | 'lockedUntil' | 'mustChangePassword'>, now: number): string {
  if (account.disabled) return '已停用';
  if (account.lockedUntil && Date.parse(account.lockedUntil) > now) return `锁定至 ${formatShanghai(account.lockedUntil)}`;
  if (account.mustChangePassword) return '正常（待本人修改密码）';
  return '正常';
}

/** The link to open once on the screen: this page's origin and the path the service gave (`/wall#device=CODE`). */
export function deviceLink(origin: string, path: string): string {
  return new URL(path, origin).toString();
}

export interface AuditFilters {
  kind: AuditKind | '';
  actorId: string;
  target: string;
  /** datetime-local values (Shanghai). */
  from: string;
  to: string;
}

export const EMPTY_AUDIT: AuditFilters = { kind: '', actorId: '', target: '', from: '', to: '' };
export const AUDIT_PAGE = 50;

/** audit.list's arguments: the filters, newest first, the page before `before` (a seq) when paging back. */
export function auditArgs(filters: AuditFilters, before?: number): Checked<ArgsOf<'audit.list'>> {
  const from = filters.from ? localInputToIso(filters.from) : undefined;
  const to = filters.to ? localInputToIso(filters.to) : undefined;
  if (filters.from && !from) return { ok: false, message: '起始时间格式不正确。' };
  if (filters.to && !to) return { ok: false, message: '结束时间格式不正确。' };
  if (from && to && Date.parse(from) > Date.parse(to)) return { ok: false, message: '起始时间不能晚于结束时间。' };
  return {
    ok: true,
    args: {
      ...(filters.kind ? { kind: filters.kind } : {}),
      ...(filters.actorId ? { actorId: filters.actorId } : {}),
      ...(filters.target.trim() ? { target: filters.target.trim() } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(before !== undefined ? { before } : {}),
      limit: AUDIT_PAGE,
    },
  };
}

export const AUDIT_KIND_LABELS: Readonly<Record<AuditKind, string>> = {
  login: '登录',
  'login-failed': '登录失败',
  logout: '退出登录',
  'session-expired': '会话过期',
  command: '操作指令',
  reveal: '查看个人信息',
  export: '导出',
  account: '账号变更',
  device: '设备令牌',
  settings: '系统设置',
};
