// The web shell over the real data service (replica, people store, county link) and the
// county simulator on loopback: the sessions of issue 9 end to end. A socket without a
// session gets app.info only; a dispatcher logs in over the socket and acts, and the
// command reaches the county; a wall exchanges its device code once (a replay is
// refused) and is a viewer; the admin revokes the device and the wall is cut off.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET } from '../../core/api/channels';
import type { Caller } from '../../core/api/channels';
import type { ApiResponse } from '../../core/api/contract';
import type { DataService } from '../service/data-service';
import { openDataService } from '../service/data-service';
import type { CountySimulator } from '../../county/simulator/index';
import { startCountySimulator } from '../../county/simulator/index';
import type { WebServer } from './server';
import { startWebServer } from './server';

const BASE = Date.parse('2026-11-30T10:00:00+08:00');
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const PASSWORD = 'Grid-deck-2026';
/** The admin as an in-process caller: provisioning for the test, through the API's own methods. */
const ADMIN: Caller = { role: 'admin', user: { id: 'test-admin', name: '测试管理员', username: 'test-admin' }, seat: { kind: 'local', name: 'test' } };

let dir: string;
let sim: CountySimulator;
let data: DataService;
let server: WebServer;
const sockets: Socket[] = [];

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function admin(method: string, args: unknown): Promise<unknown> {
  const response = await data.service.handle(method, args, ADMIN);
  if (!response.ok) throw new Error(`${method}: ${JSON.stringify(response.error)}`);
  return response.result;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'griddeck-web-'));
  sim = await startCountySimulator({ port: 0, seed: 20241112, dbFile: join(dir, 'county.sqlite'), token: 'county-token', activity: false, clock: () => BASE });
  data = await openDataService({
    db: join(dir, 'replica.sqlite'),
    county: sim.url,
    countyToken: 'county-token',
    town: sim.towns[0] ?? '',
    clock: () => BASE,
    logger: quiet,
    link: { backoffMinMs: 20, backoffMaxMs: 300, transports: ['websocket'] },
  });
  expect(await data.initialSync(20_000)).toBe(true);
  server = await startWebServer({ service: data.service, port: 0, host: '127.0.0.1', rendererDir: join(dir, 'no-renderer') });
  await admin('accounts.create', { username: 'zhang.wei', name: '张伟', role: 'dispatcher', password: PASSWORD });
}, 60_000);

afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server?.close();
  await data?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function connect(auth: Record<string, string> = {}): Promise<Socket> {
  const socket = io(`${server.url}${SOCKET.namespace}`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

const invoke = (socket: Socket, method: string, args: unknown = {}) => socket.timeout(10_000).emitWithAck(SOCKET.invoke, method, args) as Promise<ApiResponse>;

async function loggedIn(): Promise<Socket> {
  const socket = await connect();
  const login = await invoke(socket, 'auth.login', { username: 'zhang.wei', password: PASSWORD });
  expect(login).toMatchObject({ ok: true, result: { user: { username: 'zhang.wei', role: 'dispatcher' } } });
  return socket;
}

describe('web shell over the data service', () => {
  it('answers a socket without a session unauthorized, except app.info and auth.login', async () => {
    const socket = await connect();
    expect(await invoke(socket, 'app.info')).toMatchObject({ ok: true, result: { mode: 'web' } });
    expect(await invoke(socket, 'grids.tree')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await invoke(socket, 'event.accept', { id: 'x' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await invoke(socket, 'auth.login', { username: 'zhang.wei', password: 'wrong-password' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const guess = await connect({ token: 'not-a-session' });
    expect(await invoke(guess, 'events.list')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('a dispatcher logs in over the socket and acts; the command reaches the county; logout unbinds', async () => {
    const id = sim.createEvent(data.town);
    await until(() => data.replica.getEvent(id) !== null, 'the event in the replica');
    const socket = await loggedIn();
    const pushes: string[] = [];
    socket.on(SOCKET.push, (topic: string) => pushes.push(topic));
    expect(await invoke(socket, 'event.accept', { id })).toMatchObject({ ok: true, result: { eventId: id, event: { status: 'accepted' } } });
    await until(() => data.replica.queueLength() === 0, 'settled');
    expect(sim.applied(data.replica.replicaId).at(-1)).toEqual({ n: expect.any(Number), name: 'event.accept', status: 'applied' });
    await until(() => pushes.includes('entities.changed'), 'pushes reached the browser');
    expect(await invoke(socket, 'auth.logout')).toMatchObject({ ok: true });
    expect(await invoke(socket, 'events.get', { id })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(socket.connected).toBe(true);
  }, 60_000);

  it('a wall exchanges its device code once; the code replayed is refused; the wall is a viewer', async () => {
    const issued = (await admin('devices.issue', { name: '一号大屏' })) as { code: string; path: string };
    expect(issued.path).toBe(`/wall#device=${issued.code}`);
    const wall = await connect({ view: 'wall' });
    expect(await invoke(wall, 'auth.device', { code: issued.code })).toMatchObject({ ok: true, result: { user: { role: 'viewer' } } });
    expect(await invoke(wall, 'grids.tree')).toMatchObject({ ok: true });
    expect(await invoke(wall, 'event.accept', { id: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The URL's code, replayed after the exchange (a browser history, a log), opens nothing.
    const replay = await connect();
    expect(await invoke(replay, 'auth.device', { code: issued.code })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await invoke(replay, 'grids.tree')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('the admin revokes a device and the screen using it is cut off within seconds', async () => {
    const issued = (await admin('devices.issue', { name: '会商屏' })) as { code: string; device: { id: string } };
    const wall = await connect({ view: 'wall' });
    const exchanged = await invoke(wall, 'auth.device', { code: issued.code });
    const token = (exchanged as { result: { token: string } }).result.token;
    // A reload of the same screen presents the session in its handshake.
    const reloaded = await connect({ token, view: 'wall' });
    expect(await invoke(reloaded, 'grids.tree')).toMatchObject({ ok: true });
    const ended: unknown[] = [];
    for (const s of [wall, reloaded]) s.on(SOCKET.push, (topic: string, payload: unknown) => topic === 'auth.ended' && ended.push(payload));
    const at = Date.now();
    await admin('devices.revoke', { id: issued.device.id });
    await until(() => !wall.connected && !reloaded.connected, 'the screen disconnected', 5000);
    expect(Date.now() - at).toBeLessThan(2000);
    expect(ended).toHaveLength(2);
    expect(ended[0]).toMatchObject({ reason: 'revoked' });
    const again = await connect({ token, view: 'wall' });
    expect(await invoke(again, 'grids.tree')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('the shared view: the console shares, the wall follows the push and may not share', async () => {
    const console_ = await loggedIn();
    const issued = (await admin('devices.issue', { name: '二号大屏' })) as { code: string };
    const wall = await connect({ view: 'wall' });
    await invoke(wall, 'auth.device', { code: issued.code });
    const shared: unknown[] = [];
    wall.on(SOCKET.push, (topic: string, payload: unknown) => topic === 'view.shared' && shared.push(payload));
    expect(await invoke(wall, 'view.share', { view: { camera: { lon: 1, lat: 1, zoom: 3 } } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const view = { camera: { lon: 112.9, lat: 28.6, zoom: 15, bearing: 0, pitch: 0 } };
    expect(await invoke(console_, 'view.share', { view })).toMatchObject({ ok: true, result: { view } });
    await until(() => shared.length === 1, 'the shared view pushed to the wall');
    expect(await invoke(wall, 'view.shared')).toMatchObject({ ok: true, result: { view } });
    await invoke(console_, 'view.share', { view: null });
    await until(() => shared.length === 2, 'the end of sharing pushed');
  });
});
