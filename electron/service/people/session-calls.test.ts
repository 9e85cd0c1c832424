// The transports' entry (ApiService.call / resolve / onSessionEnded) over a real replica:
// a token names the person, everything but the public methods needs one, the wall view
// narrows to a viewer, and an ended session is pushed to its own subscribers only.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../../core/api/channels';
import { MINUTE, createArgs, GRID_A } from '../replica/test-fixtures';
import { CONSOLE, GOOD_PASSWORD, REMOTE, peopleFixture, type PeopleFixture } from './test-people';
import { verifyAudit } from './audit';
import { createReplicaService } from '../replica-service';

let f: PeopleFixture;
beforeEach(async () => {
  f = await peopleFixture();
});
afterEach(() => f.close());

const auditRows = (kind: string) => f.people.db.prepare<{ actor_id: string | null; seat: string; action: string; target: string | null; detail: string }>('SELECT * FROM audit_log WHERE kind = ? ORDER BY seq').all(kind);

describe('call: the session behind a token', () => {
  it('logs in, resolves the token to the person, and signs the calls with them', async () => {
    const account = await f.account({ username: 'zhangsan', name: '张三', role: 'dispatcher' });
    const login = await f.call('auth.login', { username: 'ZhangSan', password: GOOD_PASSWORD }, { seat: REMOTE });
    expect(login).toMatchObject({ ok: true, result: { user: { id: account.id, username: 'zhangsan', name: '张三', role: 'dispatcher' }, idleTimeoutMs: 12 * 3_600_000 } });
    const token = (login as { result: { token: string } }).result.token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The token itself is nowhere in the file: only its hash.
    expect(f.people.db.prepare("SELECT COUNT(*) AS c FROM sessions WHERE token_hash = ? OR token_hash = ?").get(token, token)).toEqual({ c: 0 });

    const caller = f.service.resolve({ token, seat: REMOTE }) as Caller;
    expect(caller).toMatchObject({ role: 'dispatcher', user: { id: account.id, name: '张三', username: 'zhangsan' }, seat: REMOTE });
    expect(caller.sessionId).toMatch(/^s-/);
    expect(await f.call('auth.me', {}, { token })).toMatchObject({ ok: true, result: { id: account.id, role: 'dispatcher' } });
    expect(await f.call('events.list', {}, { token })).toMatchObject({ ok: true });
    expect(auditRows('login')).toEqual([expect.objectContaining({ actor_id: account.id, seat: 'remote:192.168.1.20', action: 'auth.login' })]);
  });

  it('answers unauthorized without a valid session, except the public methods', async () => {
    for (const context of [{}, { token: 'not-a-token-of-this-service' }]) {
      expect(await f.call('events.list', {}, context)).toEqual({ ok: false, error: { code: 'unauthorized', message: '请先登录' } });
      expect(await f.call('accounts.list', {}, context)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      expect(await f.call('no.such.method', {}, context)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      expect(await f.call('app.info', {}, context)).toMatchObject({ ok: true, result: { needsSetup: true } });
    }
    expect(f.service.resolve({ seat: CONSOLE })).toBeNull();
    // A malformed context (a transport's bug) is no session either, and nothing throws.
    expect(await f.service.call('events.list', {}, null as never)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await f.service.call('app.info', {}, { seat: { kind: 'window', window: 'other' } } as never)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('runs the Electron wall window as a viewer without login, and narrows any session to a viewer on the wall view', async () => {
    const wall = { seat: { kind: 'window', window: 'wall' } as const, view: 'wall' as const };
    expect(f.service.resolve(wall)).toEqual({ role: 'viewer', seat: wall.seat });
    expect(await f.call('stats.overview', {}, wall)).toMatchObject({ ok: true });
    expect(await f.call('event.accept', { id: 'x' }, wall)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The console window with the wall view but no token: no session.
    expect(await f.call('stats.overview', {}, { view: 'wall' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });

    await f.account({ username: 'lisi', role: 'dispatcher' });
    const token = await f.login('lisi');
    expect(f.service.resolve({ token, seat: REMOTE, view: 'wall' })).toMatchObject({ role: 'viewer', user: { username: 'lisi' } });
    expect(await f.call('event.accept', { id: 'x' }, { token, view: 'wall' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('records a command with the person and the seat in the outbox transaction', async () => {
    const account = await f.account({ username: 'wangwu', name: '王五', role: 'dispatcher' });
    const token = await f.login('wangwu', GOOD_PASSWORD, REMOTE);
    const created = await f.call('event.create', createArgs({ id: 'ev-audit', grid: GRID_A }), { token, seat: REMOTE });
    expect(created).toMatchObject({ ok: true });
    const n = (created as { result: { n: number } }).result.n;
    const outboxActor = f.people.db.prepare<{ actor: string }>('SELECT actor FROM outbox WHERE n = ?').get(n)?.actor;
    expect(JSON.parse(outboxActor ?? '{}')).toEqual({ id: account.id, role: 'dispatcher', name: '王五' });
    expect(auditRows('command')).toEqual([
      expect.objectContaining({ actor_id: account.id, seat: 'remote:192.168.1.20', action: 'event.create', target: 'ev-audit', detail: `指令 ${f.replica.replicaId}:${n}` }),
    ]);
    // A command the workflow refuses is not queued, and not recorded as done.
    expect(await f.call('event.close', { id: 'ev-audit' }, { token })).toMatchObject({ ok: false });
    expect(auditRows('command')).toHaveLength(1);
    expect(verifyAudit(f.people.db)).toMatchObject({ ok: true });
  });

  it("pushes auth.ended to the ended session's subscribers only, and tells the transports", async () => {
    await f.account({ username: 'zhaoliu', role: 'dispatcher' });
    const mine = await f.login('zhaoliu');
    const other = await f.login('zhaoliu');
    const myCaller = f.service.resolve({ token: mine, seat: CONSOLE }) as Caller;
    const otherCaller = f.service.resolve({ token: other, seat: CONSOLE }) as Caller;
    const seen: { mine: unknown[]; other: unknown[]; anonymous: unknown[]; transport: unknown[] } = { mine: [], other: [], anonymous: [], transport: [] };
    f.service.subscribe((topic, payload) => topic === 'auth.ended' && seen.mine.push(payload), myCaller);
    f.service.subscribe((topic, payload) => topic === 'auth.ended' && seen.other.push(payload), otherCaller);
    f.service.subscribe((topic, payload) => topic === 'auth.ended' && seen.anonymous.push(payload));
    f.service.onSessionEnded((id, ended) => seen.transport.push([id, ended.reason]));

    expect(await f.call('auth.logout', {}, { token: mine })).toEqual({ ok: true, result: { loggedOut: true } });
    expect(seen.mine).toEqual([{ reason: 'logout', message: '已退出登录' }]);
    expect(seen.other).toEqual([]);
    expect(seen.anonymous).toEqual([]);
    expect(seen.transport).toEqual([[myCaller.sessionId, 'logout']]);
    expect(await f.call('events.list', {}, { token: mine })).toEqual({ ok: false, error: { code: 'unauthorized', message: '登录已失效,请重新登录' } });
    expect(await f.call('events.list', {}, { token: other })).toMatchObject({ ok: true });
    expect(auditRows('logout')).toHaveLength(1);
  });

  it('expires a session idle past the setting, and records it', async () => {
    await f.account({ username: 'sunqi', role: 'leader' });
    const token = await f.login('sunqi');
    const ended: string[] = [];
    f.service.onSessionEnded((_id, e) => ended.push(e.reason));
    f.clock.now += 11 * 60 * MINUTE;
    expect(await f.call('events.list', {}, { token })).toMatchObject({ ok: true }); // touched: idle starts again
    f.clock.now += 11 * 60 * MINUTE;
    expect(await f.call('events.list', {}, { token })).toMatchObject({ ok: true });
    f.clock.now += 12 * 60 * MINUTE + MINUTE;
    expect(await f.call('events.list', {}, { token })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(ended).toEqual(['expired']);
    expect(auditRows('session-expired')).toHaveLength(1);
  });

  it("lists the demo's accounts in app.info on the demo only, to callers without a session too", async () => {
    const accounts = [{ username: 'admin', role: 'admin' as const, password: 'abcd-EFGH-2345' }];
    for (const demo of [true, false]) {
      const service = createReplicaService({ replica: f.replica, people: f.people, demo, demoAccounts: () => accounts, clock: () => f.clock.now });
      try {
        const info = await service.call('app.info', {}, { seat: REMOTE });
        expect(info).toMatchObject({ ok: true, result: { demo, needsSetup: true } });
        expect((info as { result: { demoAccounts?: unknown } }).result.demoAccounts).toEqual(demo ? accounts : undefined);
      } finally {
        await service.close();
      }
    }
  });

  it('notes a session\'s use at most once a minute', async () => {
    await f.account({ username: 'busy', role: 'dispatcher' });
    const token = await f.login('busy');
    const lastSeen = () => f.people.db.prepare<{ last_seen_at: number }>('SELECT last_seen_at FROM sessions').get()?.last_seen_at;
    const start = f.clock.now;
    for (let i = 0; i < 5; i++) {
      f.clock.now += 10_000;
      expect(await f.call('link.status', {}, { token })).toMatchObject({ ok: true });
    }
    expect(lastSeen()).toBe(start);
    f.clock.now += 10_000;
    await f.call('link.status', {}, { token });
    expect(lastSeen()).toBe(start + 60_000);
  });
});
