import { describe, expect, it } from 'vitest';
import type { ResultOf } from '../../../core/api/contract';
import { ACCOUNT_ROLES } from '../../../core/model';
import { INITIAL_GATE, actorOf, demoAccountsOf, gateReducer, homeFor, loginErrorText, mayUser, mustChangeOf, needsSetup, newPasswordProblem, whoText } from './session-model';

const user = { id: 'u-1', username: 'wangwei', name: '王伟', role: 'dispatcher' as const };
const info = (extra: Record<string, unknown>) =>
  ({ version: '1', mode: 'web', town: { code: '430624103', name: '示范镇' }, demo: true, features: [], needsSetup: false, ...extra }) as ResultOf<'app.info'>;

describe('the gate', () => {
  it('checks, then is logged in; a new login is a new key, an ended session returns to login with why', () => {
    const a = gateReducer(INITIAL_GATE, { type: 'me', user });
    expect(a).toEqual({ kind: 'in', user, mustChange: false, key: 1 });
    const b = gateReducer(a, { type: 'login', user: { ...user, id: 'u-2' }, mustChange: true });
    expect(b).toMatchObject({ kind: 'in', mustChange: true, key: 2 });
    expect(gateReducer(b, { type: 'passwordChanged' })).toMatchObject({ kind: 'in', mustChange: false, key: 2 });
    expect(gateReducer(b, { type: 'anonymous', message: '登录已失效' })).toEqual({ kind: 'anonymous', message: '登录已失效' });
    expect(gateReducer(INITIAL_GATE, { type: 'passwordChanged' })).toBe(INITIAL_GATE);
  });
});

describe('where each role lands', () => {
  it('admin on the admin tools, dispatcher and leader on the console, viewer on the wall, and /wall is the wall for all', () => {
    expect(ACCOUNT_ROLES.map((r) => homeFor(r, false))).toEqual(['admin', 'console', 'console', 'secretary', 'tasks', 'village', 'wall']);
    expect(ACCOUNT_ROLES.every((r) => homeFor(r, true) === 'wall')).toBe(true);
  });

  it("follows the service's role table", () => {
    expect(mayUser({ role: 'leader' }, 'event.supervise')).toBe(true);
    expect(mayUser({ role: 'leader' }, 'event.accept')).toBe(false);
    expect(mayUser({ role: 'viewer' }, 'personal.reveal')).toBe(false);
    expect(mayUser({ role: 'admin' }, 'events.list')).toBe(false);
  });

  it('signs as the person, with the department of a department operator', () => {
    expect(actorOf({ ...user, role: 'department', departmentId: 'dept-rj' })).toEqual({ id: 'u-1', role: 'department', name: '王伟', departmentId: 'dept-rj' });
    expect(whoText(user)).toBe('王伟（调度员）');
  });
});

describe('app.info for the login screen', () => {
  it("lists the demo's accounts in the role table's order, on the demo only", () => {
    const accounts = [
      { username: 'viewer', role: 'viewer', password: 'p1' },
      { username: 'admin', role: 'admin', password: 'p2' },
    ];
    expect(demoAccountsOf(info({ demoAccounts: accounts })).map((a) => a.username)).toEqual(['admin', 'viewer']);
    expect(demoAccountsOf(info({ demo: false, demoAccounts: accounts }))).toEqual([]);
    expect(demoAccountsOf(undefined)).toEqual([]);
  });

  it('asks for the first admin outside the demo only', () => {
    expect(needsSetup(info({ demo: false, needsSetup: true }))).toBe(true);
    expect(needsSetup(info({ demo: true, needsSetup: true }))).toBe(false);
    expect(needsSetup(info({ demo: false }))).toBe(false);
    expect(needsSetup(undefined)).toBe(false);
  });

  it("reads the must-change flag from the login's user", () => {
    expect(mustChangeOf({ user: { ...user, mustChangePassword: true } })).toBe(true);
    expect(mustChangeOf({ user })).toBe(false);
  });
});

describe('messages', () => {
  it("words a refused login, keeping the service's own message (the lock's end time)", () => {
    expect(loginErrorText({ code: 'unauthorized', message: '' })).toBe('用户名或密码错误。');
    expect(loginErrorText({ code: 'locked', message: '账号已锁定至 10:15' })).toBe('账号已锁定至 10:15');
    expect(loginErrorText({ code: 'locked' })).toMatch(/锁定/);
    expect(loginErrorText({ code: 'unavailable', message: 'timeout' })).toBe('无法连接数据服务，请检查网络后重试。（timeout）');
  });

  it("checks a new password is given twice the same, new, and to core's policy", () => {
    expect(newPasswordProblem('', '')).toBe('请输入新密码。');
    expect(newPasswordProblem('a1', 'a2')).toBe('两次输入的新密码不一致。');
    expect(newPasswordProblem('Gd-2026-strong', 'Gd-2026-strong', { current: 'Gd-2026-strong' })).toBe('新密码不能与当前密码相同。');
    expect(newPasswordProblem('short', 'short')).toMatch(/^密码不符合要求:至少 10 个字符/);
    expect(newPasswordProblem('wangwei-2026-X', 'wangwei-2026-X', { username: 'wangwei' })).toMatch(/不能包含用户名/);
    expect(newPasswordProblem('Gd-2026-strong', 'Gd-2026-strong', { current: 'old' })).toBeNull();
  });
});
