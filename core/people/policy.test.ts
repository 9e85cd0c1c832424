import { describe, expect, it } from 'vitest';
import {
  LOCKOUT_FAILURES,
  LOCKOUT_MS,
  LOCKOUT_WINDOW_MS,
  UNLOCKED,
  afterFailure,
  checkPassword,
  isLocked,
  scopeProblem,
  type LockState,
} from './policy';

describe('the password policy', () => {
  it('accepts 10+ characters of three classes that do not contain the username', () => {
    expect(checkPassword('Grid-deck2026', 'zhangsan')).toEqual({ ok: true, missing: [], message: '' });
    expect(checkPassword('griddeck-2026', 'zhangsan').ok).toBe(true); // lower, symbol, digit
    expect(checkPassword('网格调度Ab1!xyz', 'li').ok).toBe(true);
  });

  it('says how long it is and what is missing, in Chinese', () => {
    const short = checkPassword('Ab1!', 'zhangsan');
    expect(short.ok).toBe(false);
    expect(short.message).toContain('至少 10 个字符(现有 4 个)');
    const flat = checkPassword('abcdefghijkl');
    expect(flat.ok).toBe(false);
    expect(flat.missing).toHaveLength(1);
    expect(flat.message).toContain('还缺少:大写字母、数字、符号');
    expect(flat.message).toContain('补齐其中 2 类');
    const two = checkPassword('abcdefgh12');
    expect(two.message).toContain('还缺少:大写字母、符号,补齐其中 1 类');
  });

  it('refuses a password containing the username, whatever the case', () => {
    const check = checkPassword('xZhangSan-2026', 'zhangsan');
    expect(check.ok).toBe(false);
    expect(check.message).toContain('不能包含用户名');
    expect(checkPassword('xZhangSan-2026', '').ok).toBe(true);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(checkPassword('😀😀😀Ab1!', 'x').missing[0]).toContain('现有 7 个'); // 10 UTF-16 units
    expect(checkPassword('网格A1!网格A1!', 'x').ok).toBe(true);
  });
});

describe('the lockout', () => {
  const t0 = 1_780_000_000_000;
  const fail = (n: number, step: number, from: LockState = UNLOCKED): LockState => {
    let s = from;
    for (let i = 0; i < n; i++) s = afterFailure(s, t0 + i * step);
    return s;
  };

  it('locks for 15 minutes at the fifth failure within 15 minutes', () => {
    const four = fail(LOCKOUT_FAILURES - 1, 60_000);
    expect(four).toEqual({ failedCount: 4, firstFailedAt: t0, lockedUntil: null });
    expect(isLocked(four, t0 + 4 * 60_000)).toBe(false);
    const five = afterFailure(four, t0 + 4 * 60_000);
    expect(five.lockedUntil).toBe(t0 + 4 * 60_000 + LOCKOUT_MS);
    expect(isLocked(five, t0 + 4 * 60_000 + LOCKOUT_MS - 1)).toBe(true);
    expect(isLocked(five, t0 + 4 * 60_000 + LOCKOUT_MS)).toBe(false);
    expect(five.failedCount).toBe(0);
  });

  it('starts counting afresh when the first failure is older than the window', () => {
    const spread = fail(LOCKOUT_FAILURES, LOCKOUT_WINDOW_MS / 4);
    expect(spread.lockedUntil).toBeNull();
    expect(spread.failedCount).toBe(1);
    expect(spread.firstFailedAt).toBe(t0 + LOCKOUT_WINDOW_MS);
  });
});

describe('the scope a role needs', () => {
  it('asks a department operator for a department and a village operator for grids', () => {
    expect(scopeProblem('department', {})).toContain('所属部门');
    expect(scopeProblem('department', { departmentId: 'dept-rj' })).toBeNull();
    expect(scopeProblem('village', { grids: [] })).toContain('村（社区）');
    expect(scopeProblem('village', { grids: ['430624103001'] })).toBeNull();
    expect(scopeProblem('admin', { grids: ['430624103001'] })).toContain('管理员');
    expect(scopeProblem('dispatcher', {})).toBeNull();
  });
});
