// The web shell over the real data service (replica + county link) and the county
// simulator on loopback: the token rules of the LAN shell, now with a real command
// that reaches the county.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET } from '../../core/api/channels';
import type { ApiResponse } from '../../core/api/contract';
import type { DataService } from '../service/data-service';
import { openDataService } from '../service/data-service';
import type { CountySimulator } from '../../county/simulator/index';
import { startCountySimulator } from '../../county/simulator/index';
import type { WebServer } from './server';
import { startWebServer } from './server';

const BASE = Date.parse('2026-11-30T10:00:00+08:00');
const tokens = { full: 'full-token-e2e', readOnly: 'read-only-token-e2e' };
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

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
  server = await startWebServer({ service: data.service, port: 0, host: '127.0.0.1', rendererDir: join(dir, 'no-renderer'), tokens });
}, 60_000);

afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server?.close();
  await data?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function connect(token: string): Promise<Socket> {
  const socket = io(`${server.url}${SOCKET.namespace}`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

const invoke = (socket: Socket, method: string, args: unknown) => socket.timeout(10_000).emitWithAck(SOCKET.invoke, method, args) as Promise<ApiResponse>;

describe('web shell over the data service', () => {
  it('refuses a command to a read-only token (forbidden) and runs it for a full token', async () => {
    const id = sim.createEvent(data.town);
    await until(() => data.replica.getEvent(id) !== null, 'the event in the replica');

    const wall = await connect(tokens.readOnly);
    expect(await invoke(wall, 'event.accept', { id })).toEqual({ ok: false, error: { code: 'forbidden', message: '大屏无权执行“受理”' } });
    // The same refusal from the service itself: the gate is the service's, not the shell's.
    expect(await data.service.handle('event.accept', { id }, { role: 'viewer' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(data.replica.queueLength()).toBe(0);
    expect(await invoke(wall, 'link.reconnect', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await invoke(wall, 'events.get', { id })).toMatchObject({ ok: true, result: { id, status: 'reported' } });

    const console_ = await connect(tokens.full);
    const pushes: string[] = [];
    console_.on(SOCKET.push, (topic: string) => pushes.push(topic));
    const answer = await invoke(console_, 'event.accept', { id });
    expect(answer).toMatchObject({ ok: true, result: { n: 1, eventId: id, event: { status: 'accepted' } } });
    await until(() => data.replica.queueLength() === 0 && data.replica.state().lastN === 1, 'settled');
    expect(sim.applied(data.replica.replicaId)).toEqual([{ n: 1, name: 'event.accept', status: 'applied' }]);
    await until(() => pushes.includes('entities.changed') && pushes.includes('link.status'), 'pushes reached the browser');
    expect(await invoke(wall, 'events.get', { id })).toMatchObject({ ok: true, result: { status: 'accepted' } });

    // The shared view: the console shares, the wall (read-only) follows through the push and may not share.
    const shared: unknown[] = [];
    wall.on(SOCKET.push, (topic: string, payload: unknown) => topic === 'view.shared' && shared.push(payload));
    expect(await invoke(wall, 'view.share', { view: { camera: { lon: 1, lat: 1, zoom: 3 } } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const view = { camera: { lon: 112.9, lat: 28.6, zoom: 15, bearing: 0, pitch: 0 } };
    expect(await invoke(console_, 'view.share', { view })).toMatchObject({ ok: true, result: { view, by: '调度台' } });
    await until(() => shared.length === 1, 'the shared view pushed to the wall');
    expect(shared[0]).toMatchObject({ view, by: '调度台' });
    expect(await invoke(wall, 'view.shared', {})).toMatchObject({ ok: true, result: { view } });
    await invoke(console_, 'view.share', { view: null });
    await until(() => shared.length === 2, 'the end of sharing pushed');
    expect(shared[1]).toBeNull();
  }, 60_000);

  it('refuses a wrong token, and a command with invalid arguments', async () => {
    await expect(connect('not-a-token')).rejects.toThrow(/令牌无效/);
    const console_ = await connect(tokens.full);
    expect(await invoke(console_, 'event.accept', { id: '' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });
});
