// Logging in, for every browser spec. The web shell's embedded demo makes one account per
// role (usernames = role keys) with passwords made at its first start, kept in
// `demo-accounts.json` beside the replica (this run's GRIDDECK_E2E_DIR, set by
// playwright.config.ts) and listed by app.info.demoAccounts on the demo. A page logs in
// through the login screen like a person; a spec's own Socket.IO client logs in with
// presents a session token in its handshake (`auth.token`).
import { expect, type Page } from '@playwright/test';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';

export const ROLES = ['admin', 'dispatcher', 'leader', 'secretary', 'department', 'village', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface DemoAccount {
  username: string;
  role: Role;
  password: string;
}

/** The web shell of this run, as playwright.config.ts starts it. */
export const BASE_URL = `http://127.0.0.1:${process.env.E2E_PORT ?? 4311}`;

const isRole = (r: unknown): r is Role => (ROLES as readonly unknown[]).includes(r);

/** The accounts in the file's shape: a list, `{ accounts: [...] }`, or `{ username: password }` with usernames = role keys. */
export function parseDemoAccounts(json: unknown): DemoAccount[] {
  const list = Array.isArray(json) ? json : Array.isArray((json as { accounts?: unknown })?.accounts) ? (json as { accounts: unknown[] }).accounts : null;
  if (list) {
    return list.flatMap((a) => {
      const x = a as Partial<DemoAccount> | null;
      return typeof x?.username === 'string' && typeof x.password === 'string' && isRole(x.role) ? [{ username: x.username, role: x.role, password: x.password }] : [];
    });
  }
  if (json && typeof json === 'object') {
    return Object.entries(json as Record<string, unknown>).flatMap(([username, password]) =>
      isRole(username) && typeof password === 'string' ? [{ username, role: username, password }] : [],
    );
  }
  return [];
}

let cached: DemoAccount[] | null = null;

/** The demo's accounts: from the replica's folder when the file is there, else from app.info. */
export async function demoAccounts(baseURL: string): Promise<DemoAccount[]> {
  if (cached) return cached;
  const dir = process.env.GRIDDECK_E2E_DIR;
  const file = dir ? path.join(dir, 'demo-accounts.json') : null;
  let accounts: DemoAccount[] = [];
  if (file && existsSync(file)) accounts = parseDemoAccounts(JSON.parse(readFileSync(file, 'utf8')));
  if (accounts.length === 0) {
    const socket = io(`${baseURL}/api`, { transports: ['websocket'] });
    try {
      const res = (await socket.timeout(15_000).emitWithAck('invoke', 'app.info', {})) as { ok: boolean; result?: { demoAccounts?: unknown } };
      accounts = parseDemoAccounts(res.result?.demoAccounts ?? []);
    } finally {
      socket.close();
    }
  }
  if (accounts.length === 0) throw new Error('no demo accounts: neither demo-accounts.json beside the replica nor app.info.demoAccounts');
  cached = accounts;
  return accounts;
}

export async function account(baseURL: string, role: Role): Promise<DemoAccount> {
  const found = (await demoAccounts(baseURL)).find((a) => a.role === role);
  if (!found) throw new Error(`no demo account for the role ${role}`);
  return found;
}

/** The login form on screen (the page may be the wall's, which says first that it is not enrolled). */
export const loginForm = (page: Page) => page.getByRole('form', { name: '登录' });

// The web shell lets an address try credentials about ten times a minute (electron/web/api.ts):
// the specs log in once per role and reuse the session (kept beside the replica for this run),
// except where logging in is what a test is about (loginWithForm).
const SESSIONS_FILE = (): string | null => (process.env.GRIDDECK_E2E_DIR ? path.join(process.env.GRIDDECK_E2E_DIR, 'e2e-sessions.json') : null);

function readSessions(): Partial<Record<Role, string>> {
  const file = SESSIONS_FILE();
  try {
    return file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<Role, string>>) : {};
  } catch {
    return {};
  }
}

function keepSession(role: Role, token: string | null): void {
  const file = SESSIONS_FILE();
  if (!file) return;
  const all = readSessions();
  if (token) all[role] = token;
  else delete all[role];
  writeFileSync(file, JSON.stringify(all));
}

type Answer = { ok: boolean; result?: unknown; error?: { code: string; message: string } };

/** A new session of the role's demo account (auth.login over a short-lived socket). */
async function newSession(baseURL: string, role: Role): Promise<string> {
  const who = await account(baseURL, role);
  const socket = io(`${baseURL}/api`, { transports: ['websocket'] });
  try {
    const res = (await socket.timeout(20_000).emitWithAck('invoke', 'auth.login', { username: who.username, password: who.password })) as Answer;
    if (!res.ok) throw new Error(`auth.login ${who.username}: ${JSON.stringify(res.error)}`);
    const token = (res.result as { token: string }).token;
    keepSession(role, token);
    return token;
  } finally {
    socket.close();
  }
}

/** The role's session token: the one kept for this run while it is valid, else a new one. */
export async function sessionToken(baseURL: string, role: Role): Promise<string> {
  const kept = readSessions()[role];
  if (kept) {
    const probe = await connect(baseURL, kept).catch(() => null);
    if (probe) {
      const me = (await probe.timeout(20_000).emitWithAck('invoke', 'auth.me', {})) as Answer;
      probe.close();
      if (me.ok) return kept;
    }
    keepSession(role, null);
  }
  return newSession(baseURL, role);
}

/** A socket presenting the token in its handshake (refused: rejects). */
function connect(baseURL: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(`${baseURL}/api`, { transports: ['websocket'], auth: { token } });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e) => {
      socket.close();
      reject(e);
    });
  });
}

/**
 * Opens `pathname` logged in as the role: its session token is put in the tab's storage
 * before the page's first script, as the login screen leaves it. Later page.goto()s keep it.
 */
export async function login(page: Page, role: Role, pathname = '/'): Promise<void> {
  const token = await sessionToken(BASE_URL, role);
  await page.addInitScript(
    ([key, value]) => {
      // Once per tab: a logout in the test stays a logout.
      if (sessionStorage.getItem('e2e.session-set')) return;
      sessionStorage.setItem(key as string, value as string);
      sessionStorage.setItem('e2e.session-set', '1');
    },
    ['griddeck.session', token],
  );
  await page.goto(pathname);
  await expect(signedIn(page)).toBeVisible({ timeout: 60_000 });
}

/** What a logged-in screen shows: who is logged in in its header, or the wall's title (the wall has no header). */
export const signedIn = (page: Page) => page.getByTestId('current-user').or(page.getByRole('heading', { level: 1, name: /网格化指挥调度中心/ }));

/** Opens `pathname` and logs in through the login screen as a person does; resolves once the form is gone. */
export async function loginWithForm(page: Page, role: Role, pathname = '/'): Promise<DemoAccount> {
  const who = await account(BASE_URL, role);
  await page.goto(pathname);
  await fillLogin(page, who.username, who.password);
  await expect(signedIn(page)).toBeVisible({ timeout: 60_000 });
  return who;
}

export async function fillLogin(page: Page, username: string, password: string): Promise<void> {
  const form = loginForm(page);
  await expect(form).toBeVisible({ timeout: 40_000 });
  await form.getByLabel('用户名').fill(username);
  await form.getByLabel('密码').fill(password);
  await form.getByRole('button', { name: '登录' }).click();
}

export interface ApiSocket {
  socket: Socket;
  token: string;
  call<T>(method: string, args?: unknown): Promise<T>;
  /** The raw answer, refusals included. */
  invoke(method: string, args?: unknown): Promise<Answer>;
  close(): void;
}

/** A Socket.IO client of the app API logged in as the role: its session token in the handshake (`auth.token`). */
export async function apiSocket(baseURL: string, role: Role): Promise<ApiSocket> {
  const token = await sessionToken(baseURL, role);
  const socket = await connect(baseURL, token);
  const invoke = async (method: string, args: unknown = {}) => (await socket.timeout(20_000).emitWithAck('invoke', method, args)) as Answer;
  return {
    socket,
    token,
    invoke,
    async call<T>(method: string, args: unknown = {}): Promise<T> {
      const r = await invoke(method, args);
      if (!r.ok) throw new Error(`${method}: ${JSON.stringify(r.error)}`);
      return r.result as T;
    },
    close: () => socket.close(),
  };
}

/** app.info as a logged-in role answers it (without a session it leaves out the demo county's control URL). */
export async function appInfo<T = Record<string, unknown>>(baseURL: string, role: Role = 'dispatcher'): Promise<T> {
  const api = await apiSocket(baseURL, role);
  try {
    return await api.call<T>('app.info');
  } finally {
    api.close();
  }
}
