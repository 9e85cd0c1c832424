// The web shell's gate, over real sockets on loopback, with a session service in
// memory (test-sessions.ts): the attacks of issue 9 (a rebinding Host, a foreign
// Origin, a connection without a session, a viewer calling a command), the session's
// binding to the socket (login, logout, a session that ends), the rate limits and the
// connection cap, and the HTTP side (CSP, static files). The same rules over the real
// data service: api.e2e.test.ts.
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SOCKET } from '../../core/api/channels';
import type { ApiResponse } from '../../core/api/contract';
import type { WebServer, WebServerOptions } from './server';
import { startWebServer } from './server';
import { contentSecurityPolicyFor } from './http';
import type { FakeSessions } from '../service/test-sessions';
import { fakeSessions } from '../service/test-sessions';

const ACCOUNTS = [
  { username: 'dispatcher', password: 'pw-dispatcher', role: 'dispatcher' as const },
  { username: 'wall', password: 'pw-wall', role: 'viewer' as const },
];

let dir: string;
let rendererDir: string;
const servers: WebServer[] = [];
const sockets: Socket[] = [];

async function serve(options: Partial<WebServerOptions> = {}): Promise<{ server: WebServer; service: FakeSessions }> {
  const service = fakeSessions(ACCOUNTS);
  const server = await startWebServer({ service, port: 0, host: '127.0.0.1', rendererDir, ...options });
  servers.push(server);
  return { server, service };
}

function connect(server: WebServer, auth: Record<string, unknown> = {}, extraHeaders?: Record<string, string>): Socket {
  const socket = io(`${server.url}${SOCKET.namespace}`, { auth, transports: ['websocket'], reconnection: false, forceNew: true, ...(extraHeaders ? { extraHeaders } : {}) });
  sockets.push(socket);
  return socket;
}

const connected = (socket: Socket): Promise<void> =>
  new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });

const invoke = (socket: Socket, method: unknown, args?: unknown): Promise<ApiResponse> => socket.timeout(5000).emitWithAck(SOCKET.invoke, method, args) as Promise<ApiResponse>;

/** A raw HTTP GET with the headers a browser (or an attacker's page) would send. */
function get(server: WebServer, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'griddeck-web-shell-'));
  rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>GridDeck</title>');
  writeFileSync(join(rendererDir, 'assets', 'worker.mjs'), 'export {};');
});

afterEach(() => {
  sockets.splice(0).forEach((s) => s.close());
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('the attacks of issue 9', () => {
  it('refuses a DNS-rebinding Host on HTTP (421) and on the Socket.IO handshake (403)', async () => {
    const { server } = await serve();
    const page = await get(server, '/', { Host: `evil.example:${server.port}` });
    expect(page.status).toBe(421);
    expect(page.body).toContain('主机名不符');
    expect(page.body).not.toContain('GridDeck');
    const handshake = await get(server, '/socket.io/?EIO=4&transport=polling', { Host: `evil.example:${server.port}` });
    expect(handshake.status).toBe(403);
    expect(handshake.body).toContain('主机名不符');
    const socket = connect(server, {}, { Host: `evil.example:${server.port}` });
    await expect(connected(socket)).rejects.toBeDefined();
    // The names it serves pass.
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`]) expect((await get(server, '/', { Host: host })).status).toBe(200);
    expect((await get(server, '/', { Host: `127.0.0.1:${server.port + 1}` })).status).toBe(421);
  });

  it('serves the configured LAN names, and no other', async () => {
    const { server } = await serve({ lanNames: ['wall.gupei.local'] });
    expect((await get(server, '/', { Host: `wall.gupei.local:${server.port}` })).status).toBe(200);
    expect((await get(server, '/', { Host: `wall.gupei.local.evil.example:${server.port}` })).status).toBe(421);
  });

  it('refuses a page from another origin (cross-site WebSocket), admits its own', async () => {
    const { server } = await serve();
    await expect(connected(connect(server, {}, { Origin: 'http://evil.example' }))).rejects.toMatchObject({ message: 'websocket error' });
    const polling = await get(server, '/socket.io/?EIO=4&transport=polling', { Host: `127.0.0.1:${server.port}`, Origin: 'http://evil.example' });
    expect(polling.status).toBe(403);
    expect(polling.body).toContain('来源页面不属于本服务');
    // Same host, another scheme or port: another origin.
    for (const origin of [`https://127.0.0.1:${server.port}`, `http://127.0.0.1:${server.port + 1}`, 'null']) {
      expect((await get(server, '/socket.io/?EIO=4&transport=polling', { Host: `127.0.0.1:${server.port}`, Origin: origin })).status).toBe(403);
    }
    const own = connect(server, {}, { Origin: `http://localhost:${server.port}` });
    await connected(own);
  });

  it('answers a connection without a session unauthorized, except the public methods', async () => {
    const { server, service } = await serve();
    const socket = connect(server);
    await connected(socket);
    expect(await invoke(socket, 'app.info')).toMatchObject({ ok: true, result: { mode: 'web' } });
    expect(await invoke(socket, 'events.list', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await invoke(socket, 'event.accept', { id: 'x' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    // Loopback earns nothing: the seat is the remote address, with no token.
    expect(service.calls.at(-1)?.context).toEqual({ seat: { kind: 'remote', address: '127.0.0.1' } });
    // And it receives no push.
    expect(service.subscribers).toBe(0);
    // A token that names no session is no better.
    const guess = connect(server, { token: 'guess' });
    await connected(guess);
    expect(await invoke(guess, 'grids.tree')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('a viewer (a wall page, whatever its session) calling a command is forbidden', async () => {
    const { server, service } = await serve();
    const login = await invoke(await opened(connect(server)), 'auth.login', { username: 'dispatcher', password: 'pw-dispatcher' });
    const token = login.ok ? (login.result as { token: string }).token : '';
    const wall = connect(server, { token, view: 'wall' });
    await connected(wall);
    expect(await invoke(wall, 'event.accept', { id: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(service.calls.at(-1)?.context).toEqual({ token, seat: { kind: 'remote', address: '127.0.0.1' }, view: 'wall' });
    expect(await invoke(wall, 'events.list', {})).toMatchObject({ ok: true, result: { role: 'viewer' } });
  });
});

async function opened(socket: Socket): Promise<Socket> {
  await connected(socket);
  return socket;
}

describe('sessions on a socket', () => {
  it('binds the session a login opens, and pushes as it may see them', async () => {
    const { server, service } = await serve();
    const socket = await opened(connect(server));
    const pushes: string[] = [];
    socket.on(SOCKET.push, (topic: string) => pushes.push(topic));
    expect(await invoke(socket, 'auth.login', { username: 'dispatcher', password: 'wrong' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const login = await invoke(socket, 'auth.login', { username: 'dispatcher', password: 'pw-dispatcher' });
    expect(login).toMatchObject({ ok: true, result: { user: { role: 'dispatcher' } } });
    const token = (login as { result: { token: string } }).result.token;
    // The next call carries the session without a new handshake.
    expect(await invoke(socket, 'event.accept', { id: 'x' })).toMatchObject({ ok: true, result: { role: 'dispatcher' } });
    expect(service.calls.at(-1)?.context.token).toBe(token);
    service.push('link.status', { state: 'online', since: '2026-11-30T02:00:00.000Z', queueLength: 0, lastSyncAt: null, catchingUp: false });
    await until(() => pushes.includes('link.status'), 'a push after login');
  });

  it('a device code is exchanged once over the socket; replayed, it is refused', async () => {
    const { server, service } = await serve();
    const code = service.issueDevice('一号大屏');
    const wall = await opened(connect(server, { view: 'wall' }));
    expect(await invoke(wall, 'auth.device', { code })).toMatchObject({ ok: true, result: { user: { role: 'viewer' } } });
    expect(await invoke(wall, 'workers.list')).toMatchObject({ ok: true });
    const replay = await opened(connect(server));
    expect(await invoke(replay, 'auth.device', { code })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('unbinds on logout: the socket stays, without a session and without pushes', async () => {
    const { server, service } = await serve();
    const socket = await opened(connect(server));
    const ended: unknown[] = [];
    socket.on(SOCKET.push, (topic: string, payload: unknown) => topic === 'auth.ended' && ended.push(payload));
    await invoke(socket, 'auth.login', { username: 'dispatcher', password: 'pw-dispatcher' });
    expect(service.subscribers).toBe(1);
    expect(await invoke(socket, 'auth.logout', {})).toEqual({ ok: true, result: { loggedOut: true } });
    expect(await invoke(socket, 'events.list', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(service.subscribers).toBe(0);
    await new Promise((r) => setTimeout(r, 400));
    expect(socket.connected).toBe(true);
    expect(ended).toEqual([]);
    // And may log in again.
    expect(await invoke(socket, 'auth.login', { username: 'wall', password: 'pw-wall' })).toMatchObject({ ok: true });
    expect(await invoke(socket, 'events.list', {})).toMatchObject({ ok: true, result: { role: 'viewer' } });
  });

  it('cuts off the screens of a session that ends (a revoked device) within a second, after telling them', async () => {
    const { server, service } = await serve();
    const code = service.issueDevice('会商屏');
    const first = await opened(connect(server, { view: 'wall' }));
    const device = await invoke(first, 'auth.device', { code });
    const token = (device as { result: { token: string } }).result.token;
    // A second screen with the same session (its handshake presents the token), and a bystander.
    const second = await opened(connect(server, { token, view: 'wall' }));
    const bystander = await opened(connect(server));
    await invoke(bystander, 'auth.login', { username: 'dispatcher', password: 'pw-dispatcher' });
    const told: unknown[] = [];
    for (const s of [first, second]) s.on(SOCKET.push, (topic: string, payload: unknown) => topic === 'auth.ended' && told.push(payload));
    const at = Date.now();
    service.end(service.sessionOf(token)!.id, 'revoked');
    await until(() => !first.connected && !second.connected, 'both screens disconnected', 1000);
    expect(Date.now() - at).toBeLessThan(1000);
    expect(told).toEqual([
      { reason: 'revoked', message: '会话已结束,请重新登录' },
      { reason: 'revoked', message: '会话已结束,请重新登录' },
    ]);
    expect(bystander.connected).toBe(true);
    expect(await invoke(bystander, 'events.list', {})).toMatchObject({ ok: true });
  });
});

describe('limits', () => {
  it('answers calls over the rate "too many" (unavailable) and keeps the socket', async () => {
    const { server } = await serve({ limits: { callsPerSecond: 1, callBurst: 5 } });
    const socket = await opened(connect(server));
    const answers = await Promise.all(Array.from({ length: 8 }, () => invoke(socket, 'app.info')));
    expect(answers.filter((a) => a.ok)).toHaveLength(5);
    expect(answers.filter((a) => !a.ok)).toEqual(Array.from({ length: 3 }, () => ({ ok: false, error: { code: 'unavailable', message: '请求过于频繁,请稍后再试' } })));
    expect(socket.connected).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await invoke(socket, 'app.info')).ok).toBe(true);
  });

  it('slows failed login attempts per address, across sockets (locked); successful ones do not count', async () => {
    const { server } = await serve({ limits: { loginsPerMinute: 3 } });
    const a = await opened(connect(server));
    const b = await opened(connect(server));
    for (let i = 0; i < 5; i++) expect(await invoke(a, 'auth.login', { username: 'wall', password: 'pw-wall' })).toMatchObject({ ok: true });
    for (let i = 0; i < 3; i++) expect(await invoke(i % 2 ? a : b, 'auth.login', { username: 'dispatcher', password: `guess-${i}` })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    // The right password too: the address is slowed, whatever it tries.
    expect(await invoke(a, 'auth.login', { username: 'dispatcher', password: 'pw-dispatcher' })).toEqual({ ok: false, error: { code: 'locked', message: '登录尝试过于频繁,请一分钟后再试' } });
    expect(await invoke(b, 'auth.device', { code: 'xxxxxxxxxxxx' })).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect((await invoke(a, 'app.info')).ok).toBe(true);
  });

  it('caps the connections of one address', async () => {
    const { server } = await serve({ maxConnectionsPerAddress: 2 });
    const a = await opened(connect(server));
    await opened(connect(server));
    const third = connect(server);
    await expect(connected(third)).rejects.toBeDefined();
    const polling = await get(server, '/socket.io/?EIO=4&transport=polling', { Host: `127.0.0.1:${server.port}` });
    expect(polling.status).toBe(403);
    expect(polling.body).toContain('连接数过多');
    a.close();
    await until(() => true, 'noop');
    await new Promise((r) => setTimeout(r, 100));
    await opened(connect(server));
  });
});

describe('HTTP', () => {
  it('serves the renderer with the strict CSP', async () => {
    const { server } = await serve();
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>GridDeck</title>');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(csp).toContain("worker-src 'self' blob:");
    expect((await fetch(`${server.url}/wall`)).status).toBe(200);
  });

  it('serves .mjs as text/javascript, unknown paths as 404, other methods 405', async () => {
    const { server } = await serve();
    const mjs = await fetch(`${server.url}/assets/worker.mjs`);
    expect(mjs.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${server.url}/nope.js`)).status).toBe(404);
    expect(await fetch(`${server.url}/`, { method: 'POST' }).then((r) => r.status)).toBe(405);
  });

  it('logs no request URL: a token in a query string stays out of the logs', async () => {
    const { server } = await serve();
    const lines: unknown[] = [];
    const spies = (['log', 'info', 'warn', 'error'] as const).map((level) => vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args)));
    try {
      await get(server, '/?token=secret-in-url', { Host: `127.0.0.1:${server.port}` });
      await get(server, '/missing?token=secret-in-url', { Host: `127.0.0.1:${server.port}` });
      await get(server, '/?token=secret-in-url', { Host: 'evil.example' });
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
    expect(JSON.stringify(lines)).not.toContain('secret-in-url');
  });

  it('contentSecurityPolicyFor leaves out a Host header that is not a plain host, and says wss under TLS', () => {
    expect(contentSecurityPolicyFor('wall.local:4173')).toContain("connect-src 'self' ws://wall.local:4173;");
    expect(contentSecurityPolicyFor('wall.local:4173', true)).toContain("connect-src 'self' wss://wall.local:4173;");
    expect(contentSecurityPolicyFor("x; script-src 'unsafe-inline'")).toContain("connect-src 'self';");
  });

  it('refuses to serve a LAN address without a certificate', async () => {
    await expect(startWebServer({ service: fakeSessions([]), port: 0, host: '0.0.0.0', rendererDir })).rejects.toThrow(/needs HTTPS/);
  });
});
