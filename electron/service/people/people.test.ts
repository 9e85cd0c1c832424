// Accounts, logins, devices, settings, the first admin and the audited reveal, through
// the service's `call` as a transport makes it (a real replica, people/test-people.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCKOUT_MS } from '../../../core/people/policy';
import { MINUTE, createArgs, GRID_A } from '../replica/test-fixtures';
import { verifyAudit } from './audit';
import { openDatabase } from '../db/sqlite';
import { accountByUsername } from './accounts';
import { resetPassword } from './admin';
import { People } from './people';
import { ownConnection } from './store';
import { CONSOLE, FAST_SCRYPT, GOOD_PASSWORD, REMOTE, peopleFixture, type PeopleFixture } from './test-people';

let f: PeopleFixture;
beforeEach(async () => {
  f = await peopleFixture();
});
afterEach(() => f.close());

const audit = (kind: string) => f.people.db.prepare<{ actor_id: string | null; action: string; target: string | null; detail: string; seat: string }>('SELECT * FROM audit_log WHERE kind = ? ORDER BY seq').all(kind);
const login = (username: string, password: string) => f.call('auth.login', { username, password }, { seat: REMOTE });

describe('logging in', () => {
  it('locks an account after 5 failures within 15 minutes, for 15 minutes, even for the right password', async () => {
    await f.account({ username: 'target', role: 'dispatcher' });
    for (let i = 1; i <= 4; i++) {
      expect(await login('target', `Wrong-guess-${i}`)).toEqual({ ok: false, error: { code: 'unauthorized', message: '用户名或密码错误' } });
      f.clock.now += MINUTE;
    }
    const fifth = await login('target', 'Wrong-guess-5');
    expect(fifth).toMatchObject({ ok: false, error: { code: 'locked', message: expect.stringMatching(/账户已锁定至 2026-11-30 09:19/) as unknown } });
    // Locked: the right password is refused too, and says until when.
    expect(await login('target', GOOD_PASSWORD)).toMatchObject({ ok: false, error: { code: 'locked' } });
    f.clock.now += LOCKOUT_MS - 1000;
    expect(await login('target', GOOD_PASSWORD)).toMatchObject({ ok: false, error: { code: 'locked' } });
    f.clock.now += 1000;
    expect(await login('target', GOOD_PASSWORD)).toMatchObject({ ok: true });
    const failures = audit('login-failed');
    expect(failures).toHaveLength(7);
    expect(failures[4]?.detail).toMatch(/锁定至/);
    expect(failures[6]?.detail).toBe('账户已锁定');
    expect(verifyAudit(f.people.db)).toMatchObject({ ok: true });
  });

  it('counts concurrent guesses: a burst cannot outrun the lock', async () => {
    await f.account({ username: 'burst', role: 'dispatcher' });
    const answers = await Promise.all([...Array.from({ length: 8 }, (_, i) => login('burst', `Wrong-guess-${i}`)), login('burst', GOOD_PASSWORD)]);
    // Whatever the order, the right password never gets through once five failures locked it.
    const codes = answers.map((a) => (a.ok ? 'ok' : a.error.code));
    expect(codes.filter((c) => c === 'locked').length).toBeGreaterThanOrEqual(1);
    const lockedAt = codes.indexOf('locked');
    expect(codes.slice(lockedAt).includes('ok')).toBe(false);
  });

  it('answers the same for an unknown name and a wrong password, and records both', async () => {
    await f.account({ username: 'known', role: 'dispatcher' });
    expect(await login('nobody', GOOD_PASSWORD)).toEqual(await login('known', 'Wrong-pass-1'));
    expect(audit('login-failed').map((e) => [e.actor_id, e.detail])).toEqual([
      [null, '用户名不存在'],
      [expect.stringMatching(/^a-/), '密码错误(15 分钟内第 1 次)'],
    ]);
  });

  it('refuses a disabled account, and ends its sessions at once when an admin disables it', async () => {
    const account = await f.account({ username: 'leaver', role: 'dispatcher' });
    await f.account({ username: 'boss', role: 'admin' });
    const token = await f.login('leaver');
    const admin = await f.login('boss');
    const ended: string[] = [];
    f.service.onSessionEnded((_id, e) => ended.push(e.reason));
    expect(await f.call('accounts.update', { id: account.id, disabled: true }, { token: admin })).toMatchObject({ ok: true, result: { disabled: true } });
    expect(ended).toEqual(['disabled']);
    expect(await f.call('events.list', {}, { token })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await login('leaver', GOOD_PASSWORD)).toEqual({ ok: false, error: { code: 'unauthorized', message: '账户已停用,请联系管理员' } });
  });

  it('changes the own password under the policy and ends the other sessions', async () => {
    await f.account({ username: 'changer', role: 'leader' });
    const here = await f.login('changer');
    const there = await f.login('changer');
    expect(await f.call('auth.password', { current: GOOD_PASSWORD, next: 'short' }, { token: here })).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringContaining('至少 10 个字符') as unknown } });
    expect(await f.call('auth.password', { current: 'Wrong-pass-1', next: 'Brand-new-pass-1' }, { token: here })).toEqual({ ok: false, error: { code: 'invalid', message: '当前密码不正确' } });
    expect(audit('login-failed')[0]?.detail).toBe('当前密码不正确:密码错误(15 分钟内第 1 次)');
    expect(await f.call('auth.password', { current: GOOD_PASSWORD, next: 'Brand-new-pass-1' }, { token: here })).toEqual({ ok: true, result: { changed: true } });
    expect(await f.call('auth.me', {}, { token: here })).toMatchObject({ ok: true });
    expect(await f.call('auth.me', {}, { token: there })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await login('changer', 'Brand-new-pass-1')).toMatchObject({ ok: true });
  });
});

describe('the sweep', () => {
  it('ends idle sessions and announces sessions another process ended (the accounts CLI), once each', async () => {
    await f.account({ username: 'idle', role: 'dispatcher' });
    await f.account({ username: 'reset', role: 'dispatcher' });
    await f.login('idle');
    await f.login('reset');
    const ended: string[] = [];
    f.service.onSessionEnded((_id, e) => ended.push(e.reason));
    expect(f.people.sweep()).toBe(0);

    const other = await openDatabase(f.file);
    try {
      const cli = new People({ store: ownConnection(other.db), clock: () => f.clock.now, scrypt: FAST_SCRYPT });
      const row = accountByUsername(other.db, 'reset');
      await resetPassword(cli, row?.id ?? '', 'Fresh-by-cli-2026', { actorId: null, actorName: '命令行', role: 'admin', seat: 'cli' });
    } finally {
      await other.dataSource.destroy();
    }
    expect(ended).toEqual([]);
    f.clock.now += MINUTE;
    f.people.sweep();
    expect(ended).toEqual(['reset']);
    f.clock.now += 12 * 60 * MINUTE;
    expect(f.people.sweep()).toBe(1);
    expect(f.people.sweep()).toBe(0);
    expect(ended).toEqual(['reset', 'expired']);
    // Ended sessions are dropped after 90 days.
    const sessions = () => f.people.db.prepare<{ c: number }>('SELECT COUNT(*) AS c FROM sessions').get()?.c;
    expect(sessions()).toBe(2);
    f.clock.now += 91 * 24 * 60 * MINUTE;
    f.people.sweep();
    expect(sessions()).toBe(0);
  });
});

describe('the admin', () => {
  it('creates, lists, updates and resets accounts under the policy and the scope rules', async () => {
    await f.account({ username: 'boss', role: 'admin' });
    const token = await f.login('boss');
    const create = (args: Record<string, unknown>) => f.call('accounts.create', { name: '新用户', password: GOOD_PASSWORD, ...args }, { token });
    expect(await create({ username: 'dept1', role: 'department' })).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringContaining('所属部门') as unknown } });
    expect(await create({ username: 'dept1', role: 'department', departmentId: 'dept-nowhere' })).toMatchObject({ ok: false, error: { message: '没有编号为 dept-nowhere 的部门' } });
    expect(await create({ username: 'dept1', role: 'department', departmentId: 'dept-rj', password: 'dept1-Pass-2026' })).toMatchObject({ ok: false, error: { message: expect.stringContaining('不能包含用户名') as unknown } });
    const made = await create({ username: 'Dept1', role: 'department', departmentId: 'dept-rj' });
    expect(made).toMatchObject({ ok: true, result: { username: 'dept1', role: 'department', departmentId: 'dept-rj', mustChangePassword: true, disabled: false, lockedUntil: null } });
    expect(await create({ username: 'dept1', role: 'viewer' })).toMatchObject({ ok: false, error: { message: '用户名 dept1 已被使用' } });
    const id = (made as { result: { id: string } }).result.id;

    expect(await f.call('accounts.update', { id, role: 'village' }, { token })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await f.call('accounts.update', { id, role: 'village', departmentId: null, grids: ['430624103001'] }, { token })).toMatchObject({ ok: true, result: { role: 'village', grids: ['430624103001'] } });
    const listed = await f.call('accounts.list', {}, { token });
    expect(JSON.stringify(listed)).not.toMatch(/hash|salt|scrypt/);
    expect((listed as { result: unknown[] }).result).toHaveLength(2);

    const personal = await f.login('dept1');
    const resets: string[] = [];
    f.service.onSessionEnded((_id, e) => resets.push(e.reason));
    expect(await f.call('accounts.reset', { id, password: 'Fresh-start-2026' }, { token })).toMatchObject({ ok: true, result: { mustChangePassword: true } });
    expect(resets).toEqual(['reset']);
    expect(await f.call('auth.me', {}, { token: personal })).toMatchObject({ ok: false });
    expect(await login('dept1', 'Fresh-start-2026')).toMatchObject({ ok: true, result: { user: { mustChangePassword: true, role: 'village' } } });
    expect(audit('account').map((e) => e.action)).toEqual(['accounts.create', 'accounts.create', 'accounts.update', 'accounts.reset']);
  });

  it('keeps at least one active admin', async () => {
    const admin = await f.account({ username: 'onlyadmin', role: 'admin' });
    const token = await f.login('onlyadmin');
    expect(await f.call('accounts.update', { id: admin.id, disabled: true }, { token })).toMatchObject({ ok: false, error: { message: '至少要保留一个可用的管理员账户' } });
    expect(await f.call('accounts.update', { id: admin.id, role: 'dispatcher' }, { token })).toMatchObject({ ok: false });
  });

  it('issues a device code exchanged once for a viewer session, refuses a replay, and cuts the screen off on revoke', async () => {
    await f.account({ username: 'boss', role: 'admin' });
    const token = await f.login('boss');
    const issued = await f.call('devices.issue', { name: '会商室大屏' }, { token });
    expect(issued).toMatchObject({ ok: true, result: { device: { name: '会商室大屏', role: 'viewer', enrolledAt: null, revokedAt: null } } });
    const { code, path, device } = (issued as { result: { code: string; path: string; device: { id: string } } }).result;
    expect(path).toBe(`/wall#device=${code}`);

    const screen = await f.call('auth.device', { code }, { seat: REMOTE });
    expect(screen).toMatchObject({ ok: true, result: { user: { role: 'viewer', device: { id: device.id, name: '会商室大屏' } }, idleTimeoutMs: null } });
    const screenToken = (screen as { result: { token: string } }).result.token;
    expect(await f.call('auth.device', { code }, { seat: REMOTE })).toMatchObject({ ok: false, error: { code: 'unauthorized', message: expect.stringContaining('已使用过') as unknown } });
    expect(await f.call('auth.device', { code: 'x'.repeat(32) }, { seat: REMOTE })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });

    // A device session never idles out; it is a viewer.
    f.clock.now += 48 * 60 * MINUTE;
    expect(await f.call('stats.overview', {}, { token: screenToken })).toMatchObject({ ok: true });
    expect(await f.call('event.create', createArgs({ id: 'ev-screen', grid: GRID_A }), { token: screenToken })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const screenCaller = f.service.resolve({ token: screenToken, seat: REMOTE });
    const pushed: unknown[] = [];
    f.service.subscribe((topic, payload) => topic === 'auth.ended' && pushed.push(payload), screenCaller ?? undefined);
    const admin = await f.login('boss'); // the first session idled out meanwhile
    expect(await f.call('devices.revoke', { id: device.id }, { token: admin })).toMatchObject({ ok: true, result: { revokedAt: expect.any(String) as unknown } });
    expect(pushed).toEqual([{ reason: 'revoked', message: '此屏幕的设备令牌已被吊销' }]);
    expect(await f.call('stats.overview', {}, { token: screenToken })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(audit('device').map((e) => e.action)).toEqual(['devices.issue', 'devices.revoke']);
    expect(audit('login').find((e) => e.action === 'auth.device')?.seat).toBe(`remote:192.168.1.20 device:${device.id}`);
  });

  it('changes the idle timeout, which sessions then follow', async () => {
    await f.account({ username: 'boss', role: 'admin' });
    const token = await f.login('boss');
    expect(await f.call('settings.get', {}, { token })).toEqual({ ok: true, result: { sessionIdleHours: 12 } });
    expect(await f.call('settings.update', { sessionIdleHours: 0.1 }, { token })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await f.call('settings.update', { sessionIdleHours: 1 }, { token })).toEqual({ ok: true, result: { sessionIdleHours: 1 } });
    expect(audit('settings')[0]?.detail).toBe('sessionIdleHours: 12 → 1');
    f.clock.now += 61 * MINUTE;
    expect(await f.call('settings.get', {}, { token })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('reads the audit trail; other roles may not', async () => {
    await f.account({ username: 'boss', role: 'admin' });
    await f.account({ username: 'desk', role: 'dispatcher' });
    const token = await f.login('boss');
    const desk = await f.login('desk');
    const page = await f.call('audit.list', { kind: 'login' }, { token });
    expect(page).toMatchObject({ ok: true, result: { total: 2 } });
    expect(await f.call('audit.list', {}, { token: desk })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await f.call('accounts.create', { username: 'x1x', name: 'x', role: 'viewer', password: GOOD_PASSWORD }, { token: desk })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('the first run', () => {
  it('asks for the first admin while no account exists, and only then', async () => {
    expect(await f.call('app.info', {}, {})).toMatchObject({ ok: true, result: { needsSetup: true } });
    expect(await f.call('auth.setup', { username: 'root', name: '管理员', password: 'root' }, {})).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const setup = await f.call('auth.setup', { username: 'root', name: '管理员', password: GOOD_PASSWORD }, { seat: CONSOLE });
    expect(setup).toMatchObject({ ok: true, result: { user: { username: 'root', role: 'admin' } } });
    expect(await f.call('accounts.list', {}, { token: (setup as { result: { token: string } }).result.token })).toMatchObject({ ok: true });
    expect(await f.call('app.info', {}, {})).toMatchObject({ ok: true, result: { needsSetup: false } });
    expect(await f.call('auth.setup', { username: 'root2', name: '又一个', password: GOOD_PASSWORD }, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('personal.reveal', () => {
  it("shows the reporter's phone in full to a dispatcher, with the reason recorded; null when absent", async () => {
    await f.account({ username: 'desk', role: 'dispatcher' });
    const token = await f.login('desk');
    const created = await f.call('event.create', { ...createArgs({ id: 'ev-phone', grid: GRID_A }), reporter: { name: '张三', phone: '13812341234' } }, { token });
    expect(created).toMatchObject({ ok: true });
    expect(await f.call('personal.reveal', { eventId: 'ev-phone', field: 'phone', reason: '回访核实' }, { token })).toEqual({ ok: true, result: { value: '13812341234' } });
    expect(await f.call('personal.reveal', { eventId: 'ev-phone', field: 'idNumber', reason: '核对身份' }, { token })).toEqual({ ok: true, result: { value: null } });
    expect(await f.call('personal.reveal', { eventId: 'ev-none', field: 'phone', reason: '回访核实' }, { token })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await f.call('personal.reveal', { eventId: 'ev-phone', field: 'phone', reason: '' }, { token })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const reveals = audit('reveal');
    expect(reveals).toHaveLength(2);
    expect(reveals[0]).toMatchObject({ action: 'personal.reveal:phone', target: 'ev-phone', detail: expect.stringContaining('原因:回访核实') as unknown });
    expect(reveals[1]?.detail).toContain('(无此信息)');
  });
});
