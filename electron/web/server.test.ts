// The web shell over the real data service (a replica in a temporary folder, synced
// from the county simulator on loopback), on a real loopback port, called the way a
// browser page calls it: socket.io-client on namespace /api.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET } from '../../core/api/channels';
import type { ApiResponse } from '../../core/api/contract';
import { createClient } from '../../core/api/client';
import type { CountySimulator } from '../../county/simulator/index';
import { startCountySimulator } from '../../county/simulator/index';
import type { DataService } from '../service/data-service';
import { openDataService } from '../service/data-service';
import { parseCli } from './cli-options';
import type { Tokens, WebServer } from './server';
import { authorize, callerOf, contentSecurityPolicyFor, narrowRole, originAllowed, startWebServer } from './server';

const tokens: Tokens = { full: 'full-token-0000', readOnly: 'read-only-token-1' };
const BASE = Date.parse('2026-11-30T10:00:00+08:00');
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

let server: WebServer;
let dir: string;
let sim: CountySimulator;
let data: DataService;
let rendererDir: string;
const sockets: Socket[] = [];

function connect(auth: Record<string, unknown> = {}, extraHeaders?: Record<string, string>): Socket {
  const socket = io(`${server.url}${SOCKET.namespace}`, {
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders,
  });
  sockets.push(socket);
  return socket;
}

const connected = (socket: Socket): Promise<void> =>
  new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const invoke = (socket: Socket, method: unknown, args?: unknown): Promise<ApiResponse> =>
  socket.timeout(5000).emitWithAck(SOCKET.invoke, method, args) as Promise<ApiResponse>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'griddeck-web-shell-'));
  rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>GridDeck</title>');
  writeFileSync(join(rendererDir, 'assets', 'worker.mjs'), 'export {};');
  sim = await startCountySimulator({ port: 0, seed: 20241112, dbFile: join(dir, 'county.sqlite'), token: 'county-token', activity: false, clock: () => BASE });
  data = await openDataService({
    db: join(dir, 'replica.sqlite'),
    county: sim.url,
    countyToken: 'county-token',
    town: sim.towns[0] ?? '',
    clock: () => BASE,
    logger: quiet,
    mode: 'web',
    link: { backoffMinMs: 20, backoffMaxMs: 300, transports: ['websocket'] },
  });
  expect(await data.initialSync(20_000)).toBe(true);
  server = await startWebServer({ service: data.service, port: 0, host: '127.0.0.1', rendererDir, tokens });
}, 60_000);

afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server?.close();
  await data?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('web shell over Socket.IO /api', () => {
  it('answers grids.list to a loopback client without a token', async () => {
    const socket = connect();
    await connected(socket);
    const response = await invoke(socket, 'grids.list', { level: 1 });
    expect(response).toMatchObject({ ok: true, result: [{ code: '430624103', name: '古培镇' }] });
  });

  it('works through the typed client, results validated', async () => {
    const socket = connect();
    await connected(socket);
    const client = createClient((method, args) => invoke(socket, method, args));
    const tree = await client.call('grids.tree');
    expect(tree?.name).toBe('古培镇');
    expect(tree?.children).toHaveLength(8);
    const info = await client.call('app.info');
    expect(info.mode).toBe('web');
  });

  it('answers a bad method and bad args with errors, and keeps the connection', async () => {
    const socket = connect();
    await connected(socket);
    expect(await invoke(socket, 'grids.drop', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await invoke(socket, { evil: true }, {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    const bad = await invoke(socket, 'events.list', { paging: { offset: 0, limit: 501 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(socket.connected).toBe(true);
    expect((await invoke(socket, 'link.status', {})).ok).toBe(true);
  });

  it('accepts a method without args and an ack as second argument', async () => {
    const socket = connect();
    await connected(socket);
    const response = (await socket.timeout(5000).emitWithAck(SOCKET.invoke, 'departments.list')) as ApiResponse;
    expect(response.ok).toBe(true);
  });

  it('refuses a wrong token even on loopback, with the unauthorized code', async () => {
    const socket = connect({ token: 'guess' });
    const error = await connected(socket).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: '令牌无效', data: { code: 'unauthorized' } });
  });

  it('admits the read-only token for queries; the service refuses it commands, a full token may', async () => {
    const socket = connect({ token: tokens.readOnly });
    await connected(socket);
    expect((await invoke(socket, 'grids.tree', {})).ok).toBe(true);
    const id = sim.createEvent(data.town);
    expect(await invoke(socket, 'event.accept', { id })).toEqual({ ok: false, error: { code: 'forbidden', message: '大屏无权执行“受理”' } });
    // Refused before the arguments are looked at: a viewer learns nothing of their shape.
    expect(await invoke(socket, 'event.accept', { bogus: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await invoke(socket, 'view.share', { view: null })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(data.replica.queueLength()).toBe(0);

    const full = connect({ token: tokens.full });
    await connected(full);
    await until(() => data.replica.getEvent(id) !== null, 'the event in the replica');
    expect(await invoke(full, 'event.accept', { id })).toMatchObject({ ok: true, result: { eventId: id, event: { status: 'accepted' } } });
  });

  it('the wall asks for less than its token gives: read-only on the operator\'s own machine too', async () => {
    const socket = connect({ view: 'wall' });
    await connected(socket);
    expect(await invoke(socket, 'link.reconnect', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await invoke(socket, 'link.status', {})).ok).toBe(true);
  });

  it('refuses a page from another origin (cross-site WebSocket)', async () => {
    const socket = connect({}, { Origin: 'http://evil.example' });
    await expect(connected(socket)).rejects.toBeDefined();
  });
});

describe('web shell over HTTP', () => {
  it('serves the renderer with the strict CSP', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>GridDeck</title>');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(csp).toContain("worker-src 'self' blob:");
  });

  it('serves .mjs as text/javascript and unknown paths as 404', async () => {
    const mjs = await fetch(`${server.url}/assets/worker.mjs`);
    expect(mjs.headers.get('content-type')).toMatch(/^text\/javascript/);
    const missing = await fetch(`${server.url}/nope.js`);
    expect(missing.status).toBe(404);
    expect(await fetch(`${server.url}/`, { method: 'POST' }).then((r) => r.status)).toBe(405);
  });
});

describe('authorize', () => {
  it('lets loopback in without a token, with full rights', () => {
    expect(authorize('127.0.0.1', undefined, tokens)).toEqual({ ok: true, role: 'full' });
    expect(authorize('::1', undefined, tokens)).toEqual({ ok: true, role: 'full' });
    expect(authorize('::ffff:127.0.0.1', '', tokens)).toEqual({ ok: true, role: 'full' });
  });

  it('asks any other address for a token', () => {
    expect(authorize('192.168.1.20', undefined, tokens)).toEqual({ ok: false, reason: '非本机访问需要令牌' });
    expect(authorize('::ffff:10.0.0.5', undefined, tokens).ok).toBe(false);
    expect(authorize(undefined, undefined, tokens).ok).toBe(false);
  });

  it('gives each token its role, wherever it comes from', () => {
    expect(authorize('192.168.1.20', tokens.full, tokens)).toEqual({ ok: true, role: 'full' });
    expect(authorize('192.168.1.20', tokens.readOnly, tokens)).toEqual({ ok: true, role: 'readOnly' });
    expect(authorize('127.0.0.1', tokens.readOnly, tokens)).toEqual({ ok: true, role: 'readOnly' });
  });

  it('refuses wrong and non-string tokens', () => {
    expect(authorize('192.168.1.20', 'full-token-000', tokens)).toEqual({ ok: false, reason: '令牌无效' });
    expect(authorize('127.0.0.1', 12345, tokens)).toEqual({ ok: false, reason: '令牌无效' });
  });
});

describe('the caller a token names', () => {
  it('maps a full token to a dispatcher and a read-only one to a viewer; the wall is a viewer whatever its token', () => {
    expect(callerOf('full')).toEqual({ role: 'dispatcher' });
    expect(callerOf('readOnly')).toEqual({ role: 'viewer' });
    expect(callerOf(narrowRole('full', 'wall'))).toEqual({ role: 'viewer' });
    expect(callerOf(narrowRole('readOnly', 'console'))).toEqual({ role: 'viewer' });
  });
});

describe('helpers', () => {
  it('contentSecurityPolicyFor leaves out a Host header that is not a plain host', () => {
    expect(contentSecurityPolicyFor('wall.local:4173')).toContain("connect-src 'self' ws://wall.local:4173;");
    expect(contentSecurityPolicyFor("x; script-src 'unsafe-inline'")).toContain("connect-src 'self';");
  });

  it('originAllowed admits same-origin pages and clients without an Origin', () => {
    expect(originAllowed(undefined, '127.0.0.1:4173')).toBe(true);
    expect(originAllowed('http://127.0.0.1:4173', '127.0.0.1:4173')).toBe(true);
    expect(originAllowed('http://127.0.0.1:5173', '127.0.0.1:4173')).toBe(false);
  });

  it('parseCli reads port, host, county, db and town and refuses the rest', () => {
    expect(
      parseCli(['--port', '0', '--host', '0.0.0.0', '--county', 'http://127.0.0.1:4300', '--town', '430624103', '--db', '/tmp/r.sqlite']),
    ).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      county: 'http://127.0.0.1:4300',
      town: '430624103',
      db: '/tmp/r.sqlite',
    });
    expect(parseCli([])).toMatchObject({ port: 4173, db: '.griddeck/replica.sqlite' });
    expect(parseCli([]).county).toBeUndefined();
    expect(parseCli(['--county-token', 't1']).countyToken).toBe('t1');
    expect(parseCli([], { GRIDDECK_COUNTY_TOKEN: 'from-env' }).countyToken).toBe('from-env');
    expect(() => parseCli(['--port', '70000'])).toThrow(/bad --port/);
    expect(() => parseCli(['--port'])).toThrow(/needs a value/);
    expect(() => parseCli(['--verbose'])).toThrow(/unknown option/);
    expect(() => parseCli(['--dataset', '/tmp/t.json'])).toThrow(/unknown option/);
    expect(() => parseCli(['--town', '4306'])).toThrow(/bad --town/);
    expect(() => parseCli(['--county', 'ftp://x'])).toThrow(/bad --county/);
    expect(() => parseCli(['--county', 'http://127.0.0.1:4300'])).toThrow(/needs --town/);
    expect(parseCli(['--duty', 'day']).duty).toBe('day');
    expect(() => parseCli(['--duty', 'night'])).toThrow(/bad --duty/);
    expect(() => parseCli(['--county', 'http://127.0.0.1:4300', '--town', '430624103', '--duty', 'day'])).toThrow(/no meaning with --county/);
  });
});
