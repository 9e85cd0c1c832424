// The demo's accounts: one per role, passwords made once and kept beside the replica
// (mode 0600), the same at every start, put back when changed in the app.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_ROLES } from '../../../core/model';
import { checkPassword } from '../../../core/people/policy';
import { DEMO_ACCOUNTS_FILE, demoAccountLines, demoPassword, ensureDemoAccounts } from './demo-accounts';
import { peopleFixture, type PeopleFixture } from './test-people';

let f: PeopleFixture;
beforeEach(async () => {
  f = await peopleFixture();
});
afterEach(() => f.close());

const SCOPES = { departmentId: 'dept-rj', village: '430624103001' };

describe('the demo accounts', () => {
  it('makes one account per role with a policy-compliant password, kept in demo-accounts.json (0600)', async () => {
    const file = join(f.dir, DEMO_ACCOUNTS_FILE);
    const accounts = await ensureDemoAccounts(f.people, file, SCOPES);
    expect(accounts.map((a) => [a.username, a.role])).toEqual(ACCOUNT_ROLES.map((r) => [r, r]));
    for (const a of accounts) expect(checkPassword(a.password, a.username)).toMatchObject({ ok: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ accounts });
    expect(demoAccountLines(accounts)[0]).toBe(`demo account admin (admin): ${accounts[0]?.password}`);

    for (const a of accounts) {
      const login = await f.call('auth.login', { username: a.username, password: a.password }, {});
      expect(login).toMatchObject({ ok: true, result: { user: { role: a.role, mustChangePassword: false } } });
    }
    const department = await f.login('department', accounts.find((a) => a.role === 'department')?.password);
    expect(f.service.resolve({ token: department, seat: { kind: 'local', name: 'test' } })).toMatchObject({ role: 'department', departmentId: 'dept-rj' });
    const village = await f.login('village', accounts.find((a) => a.role === 'village')?.password);
    expect(f.service.resolve({ token: village, seat: { kind: 'local', name: 'test' } })).toMatchObject({ role: 'village', grids: ['430624103001'] });
  });

  it('keeps the passwords across starts, and puts back one changed in the app', async () => {
    const file = join(f.dir, DEMO_ACCOUNTS_FILE);
    const first = await ensureDemoAccounts(f.people, file, SCOPES);
    const leader = first.find((a) => a.role === 'leader');
    const token = await f.login('leader', leader?.password);
    expect(await f.call('auth.password', { current: leader?.password, next: 'Changed-by-me-1' }, { token })).toMatchObject({ ok: true });
    const second = await ensureDemoAccounts(f.people, file, SCOPES);
    expect(second).toEqual(first);
    expect(await f.call('auth.login', { username: 'leader', password: leader?.password }, {})).toMatchObject({ ok: true });
  });

  it('leaves out a scoped role until its scope is known', async () => {
    const accounts = await ensureDemoAccounts(f.people, join(f.dir, DEMO_ACCOUNTS_FILE), {});
    expect(accounts.map((a) => a.role)).toEqual(['admin', 'dispatcher', 'leader', 'secretary', 'viewer']);
  });

  it('makes readable passwords', () => {
    expect(demoPassword('admin')).toMatch(/^[a-zA-Z2-9]{4}-[a-zA-Z2-9]{4}-[a-zA-Z2-9]{4}$/);
  });
});
