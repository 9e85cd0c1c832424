import { describe, expect, it } from 'vitest';
import { AUDIT_KINDS } from '../../../core/api/people';
import { AUDIT_KIND_LABELS, EMPTY_ACCOUNT, EMPTY_AUDIT, accountCreateArgs, accountState, auditArgs, deviceLink } from './admin-model';

describe('accountCreateArgs', () => {
  const form = { ...EMPTY_ACCOUNT, username: 'WangWei', name: '王伟', password: 'Gd-2026-strong' };

  it('passes a complete dispatcher account, without a scope', () => {
    expect(accountCreateArgs(form)).toEqual({ ok: true, args: { username: 'WangWei', name: '王伟', role: 'dispatcher', password: 'Gd-2026-strong' } });
  });

  it('asks a department operator for the department, a village operator for the villages', () => {
    expect(accountCreateArgs({ ...form, role: 'department' })).toEqual({ ok: false, message: '承办部门账户需要指定所属部门。' });
    expect(accountCreateArgs({ ...form, role: 'department', departmentId: 'dept-rj', grids: ['430624103001'] })).toEqual({
      ok: true,
      args: { username: 'WangWei', name: '王伟', role: 'department', password: 'Gd-2026-strong', departmentId: 'dept-rj' },
    });
    expect(accountCreateArgs({ ...form, role: 'village' })).toEqual({ ok: false, message: '村（社区）工作站账户需要指定所辖村（社区）或网格。' });
    expect(accountCreateArgs({ ...form, role: 'village', grids: ['430624103001'] })).toMatchObject({ ok: true, args: { grids: ['430624103001'] } });
  });

  it("words the contract's refusals for the admin", () => {
    expect(accountCreateArgs({ ...form, username: 'ab' })).toEqual({ ok: false, message: '用户名至少 3 个字符' });
    expect(accountCreateArgs({ ...form, username: '王伟王伟' })).toEqual({ ok: false, message: '用户名只能包含字母、数字、点、下划线和连字符' });
    expect(accountCreateArgs({ ...form, name: ' ' })).toEqual({ ok: false, message: '请输入姓名' });
    expect(accountCreateArgs({ ...form, password: '' })).toEqual({ ok: false, message: '请输入密码' });
    expect(accountCreateArgs({ ...form, password: 'short' })).toMatchObject({ ok: false, message: expect.stringMatching(/^密码不符合要求/) });
  });
});

describe('accountState', () => {
  const now = Date.parse('2026-12-03T10:00:00+08:00');
  it('says disabled, locked until when, or normal', () => {
    expect(accountState({ disabled: true, lockedUntil: null, mustChangePassword: false }, now)).toBe('已停用');
    expect(accountState({ disabled: false, lockedUntil: '2026-12-03T10:15:00+08:00', mustChangePassword: false }, now)).toMatch(/^锁定至 .*10:15/);
    expect(accountState({ disabled: false, lockedUntil: '2026-12-03T09:15:00+08:00', mustChangePassword: false }, now)).toBe('正常');
    expect(accountState({ disabled: false, lockedUntil: null, mustChangePassword: true }, now)).toBe('正常（待本人修改密码）');
  });
});

describe('deviceLink', () => {
  it("puts the service's path on this page's origin, the code in the fragment", () => {
    expect(deviceLink('https://deck.lan:4300', '/wall#device=AbC123xyz')).toBe('https://deck.lan:4300/wall#device=AbC123xyz');
  });
});

describe('auditArgs', () => {
  it('sends only the filters given, newest first by page', () => {
    expect(auditArgs(EMPTY_AUDIT)).toEqual({ ok: true, args: { limit: 50 } });
    expect(auditArgs({ ...EMPTY_AUDIT, kind: 'reveal', actorId: 'u-1', from: '2026-12-01T08:00', to: '2026-12-03T18:30' }, 120)).toEqual({
      ok: true,
      args: { kind: 'reveal', actorId: 'u-1', from: '2026-12-01T08:00:00+08:00', to: '2026-12-03T18:30:00+08:00', before: 120, limit: 50 },
    });
  });

  it('refuses a time range that ends before it starts', () => {
    expect(auditArgs({ ...EMPTY_AUDIT, from: '2026-12-03T08:00', to: '2026-12-01T08:00' })).toEqual({ ok: false, message: '起始时间不能晚于结束时间。' });
  });

  it('labels every kind of entry', () => {
    expect(Object.keys(AUDIT_KIND_LABELS).sort()).toEqual([...AUDIT_KINDS].sort());
  });
});
