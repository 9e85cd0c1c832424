// Who is at the screen, as the renderer keeps it: the gate's states (checking the
// session, nobody logged in, logged in), the screen each role lands on, what the role may
// call (core/api/access.ts, the service's own table), and the login's messages. Pure:
// the components (Gate.tsx, LoginScreen.tsx) and the tests share it.
import { mayCall } from '../../../core/api/access';
import type { MethodName, ResultOf } from '../../../core/api/contract';
import type { SessionUser } from '../../../core/api/people';
import { ROLE_LABELS } from '../../../core/events/labels';
import type { AccountRole, Actor } from '../../../core/model';
import { ACCOUNT_ROLES } from '../../../core/model';
import { checkPassword } from '../../../core/people/policy';

export type Gate =
  | { kind: 'checking' }
  | { kind: 'anonymous'; message: string | null }
  /** `key` changes with each login: the screens below start afresh for a new person. */
  | { kind: 'in'; user: SessionUser; mustChange: boolean; key: number };

export type GateAction =
  | { type: 'me'; user: SessionUser }
  | { type: 'login'; user: SessionUser; mustChange: boolean }
  | { type: 'passwordChanged' }
  | { type: 'anonymous'; message?: string | null };

export const INITIAL_GATE: Gate = { kind: 'checking' };

export function gateReducer(gate: Gate, action: GateAction): Gate {
  const key = gate.kind === 'in' ? gate.key + 1 : 1;
  switch (action.type) {
    case 'me':
      return { kind: 'in', user: action.user, mustChange: false, key };
    case 'login':
      return { kind: 'in', user: action.user, mustChange: action.mustChange, key };
    case 'passwordChanged':
      return gate.kind === 'in' ? { ...gate, mustChange: false } : gate;
    case 'anonymous':
      return { kind: 'anonymous', message: action.message ?? null };
  }
}

/** The screens a role lands on after login. */
export type Home = 'admin' | 'console' | 'secretary' | 'tasks' | 'village' | 'wall';

const HOMES: Readonly<Record<AccountRole, Home>> = {
  admin: 'admin',
  dispatcher: 'console',
  leader: 'console',
  secretary: 'secretary',
  department: 'tasks',
  village: 'village',
  viewer: 'wall',
};

/** The page /wall is the wall whoever opens it (the service serves it as a viewer's); elsewhere the role decides. */
export function homeFor(role: AccountRole, wallRoute: boolean): Home {
  return wallRoute ? 'wall' : HOMES[role];
}

/** The person (or screen) as the workflow sees it: the console offers commands to this actor. */
export function actorOf(user: SessionUser): Actor {
  return { id: user.id, role: user.role, name: user.name, ...(user.departmentId ? { departmentId: user.departmentId } : {}) };
}

/** "王伟（调度员）". */
export function whoText(user: Pick<SessionUser, 'name' | 'role'>): string {
  return `${user.name}（${ROLE_LABELS[user.role]}）`;
}

/** May this user call the method? The service's role table (it refuses anyway; screens hide what it would refuse). */
export const mayUser = (user: Pick<SessionUser, 'role'>, method: MethodName): boolean => mayCall(user.role, method);

export interface DemoAccount {
  username: string;
  role: AccountRole;
  password: string;
}

type AppInfo = ResultOf<'app.info'>;

/** The demo's accounts (app.info.demoAccounts, on the demo only), in the role table's order. */
export function demoAccountsOf(info: AppInfo | undefined): DemoAccount[] {
  if (!info?.demo || !info.demoAccounts) return [];
  const order = (role: AccountRole): number => ACCOUNT_ROLES.indexOf(role);
  return [...info.demoAccounts].sort((a, b) => order(a.role) - order(b.role));
}

/** First run outside the demo: no account yet, the first admin is to be made. */
export function needsSetup(info: AppInfo | undefined): boolean {
  return !!info && !info.demo && info.needsSetup;
}

/** Whether the login's answer asks the person to choose a new password (an admin set the current one). */
export function mustChangeOf(result: Pick<ResultOf<'auth.login'>, 'user'>): boolean {
  return result.user.mustChangePassword === true;
}

/** The login's refusal in the person's words: the service's message when it gives one, else by code. */
export function loginErrorText(error: unknown): string {
  const e = error as { code?: string; message?: string } | null;
  const message = typeof e?.message === 'string' && e.message.trim() !== '' ? e.message : null;
  switch (e?.code) {
    case 'unauthorized':
      return message ?? '用户名或密码错误。';
    case 'locked':
      return message ?? '登录失败次数过多，账号已暂时锁定，请稍后再试。';
    case 'invalid':
      return message ?? '请填写用户名和密码。';
    case 'unavailable':
      return `无法连接数据服务，请检查网络后重试。${message ? `（${message}）` : ''}`;
    default:
      return message ?? '登录失败，请重试。';
  }
}

/** A new password's problem before it is sent: typed twice the same, new, and the policy of core/people/policy.ts (the service checks it again). */
export function newPasswordProblem(next: string, confirm: string, options: { current?: string; username?: string } = {}): string | null {
  if (next === '') return '请输入新密码。';
  if (next !== confirm) return '两次输入的新密码不一致。';
  if (options.current !== undefined && next === options.current) return '新密码不能与当前密码相同。';
  const policy = checkPassword(next, options.username);
  return policy.ok ? null : policy.message;
}
