// Residents' personal data through the web shell: a wall's device session (the wall, a
// meeting screen) and a dispatcher's page that asks for the wall's view never receive a
// name, phone, ID or door number through /api, in answers or pushes. Real data service,
// real county simulator, loopback only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET } from '../../core/api/channels';
import type { Caller } from '../../core/api/channels';
import type { ApiResponse } from '../../core/api/contract';
import type { GridEvent } from '../../core/model';
import type { DataService } from '../service/data-service';
import { openDataService } from '../service/data-service';
import type { CountySimulator } from '../../county/simulator/index';
import { startCountySimulator } from '../../county/simulator/index';
import type { WebServer } from './server';
import { startWebServer } from './server';

const BASE = Date.parse('2026-11-30T10:00:00+08:00');
const PASSWORD = 'Grid-deck-2026';
const ADMIN: Caller = { role: 'admin', user: { id: 'test-admin', name: '测试管理员', username: 'test-admin' }, seat: { kind: 'local', name: 'test' } };
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const PHONE = '13912345678';
const ID_NUMBER = '430624199001011234';
const NAME = '欧阳娜娜';
/** Anything that would be a resident's unmasked data in an answer. */
const UNMASKED = new RegExp(`1[3-9]\\d{9}|\\d{17}[\\dXx]|${NAME}|幸福路88号`);

let dir: string;
let sim: CountySimulator;
let data: DataService;
let server: WebServer;
const sockets: Socket[] = [];

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function connect(auth: Record<string, string>): Promise<Socket> {
  const socket = io(`${server.url}${SOCKET.namespace}`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

const invoke = (socket: Socket, method: string, args: unknown = {}) => socket.timeout(10_000).emitWithAck(SOCKET.invoke, method, args) as Promise<ApiResponse>;

let eventId = '';
let dispatcherToken = '';
let deviceCode = '';

/** Logged in over its socket (the answer's token bound to it). */
async function dispatcher(): Promise<Socket> {
  const socket = await connect({});
  const login = await invoke(socket, 'auth.login', { username: 'li.na', password: PASSWORD });
  if (!login.ok) throw new Error(JSON.stringify(login));
  dispatcherToken = (login.result as { token: string }).token;
  return socket;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'griddeck-privacy-'));
  sim = await startCountySimulator({ port: 0, seed: 20241112, dbFile: join(dir, 'county.sqlite'), activity: false, clock: () => BASE });
  data = await openDataService({
    db: join(dir, 'replica.sqlite'),
    county: sim.url,
    town: sim.towns[0] ?? '',
    clock: () => BASE,
    logger: quiet,
    link: { backoffMinMs: 20, backoffMaxMs: 300, transports: ['websocket'] },
  });
  expect(await data.initialSync(20_000)).toBe(true);
  server = await startWebServer({ service: data.service, port: 0, host: '127.0.0.1', rendererDir: join(dir, 'no-renderer') });
  const created_ = await data.service.handle('accounts.create', { username: 'li.na', name: '李娜', role: 'dispatcher', password: PASSWORD }, ADMIN);
  if (!created_.ok) throw new Error(JSON.stringify(created_));
  const issued = await data.service.handle('devices.issue', { name: '一号大屏' }, ADMIN);
  if (!issued.ok) throw new Error(JSON.stringify(issued));
  deviceCode = (issued.result as { code: string }).code;

  // A hotline report with the caller's full personal data, as a dispatcher files it.
  const grid = data.replica.grids(3)[0]!;
  const desk = await dispatcher();
  eventId = '7d3c1a52-9f0e-4b61-8a2d-3e4f5a6b7c8d';
  const created = await invoke(desk, 'event.create', {
    id: eventId,
    code: 'GP20261130-9001',
    title: `${NAME}来电反映噪音扰民`,
    description: `来电人${NAME},电话${PHONE},身份证${ID_NUMBER}`,
    category: '0101',
    urgency: 'urgent',
    source: 'hotline',
    location: { lon: 112.9, lat: 28.6, address: '古培镇幸福路88号2栋301' },
    grid: grid.code,
    reporter: { name: NAME, phone: PHONE, idNumber: ID_NUMBER },
  });
  if (!created.ok) throw new Error(JSON.stringify(created));
  await until(() => data.replica.getEvent(eventId) !== null, 'the event in the replica');
}, 60_000);

afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server?.close();
  await data?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('personal data through the web shell', () => {
  it('a dispatcher\'s session sees the reporter as the service shows it to a dispatcher', async () => {
    const desk = await dispatcher();
    const got = await invoke(desk, 'events.get', { id: eventId });
    const direct = await data.service.handle('events.get', { id: eventId }, { role: 'dispatcher' });
    expect(got.ok && direct.ok).toBe(true);
    expect(got.ok && (got.result as GridEvent).reporter).toEqual(direct.ok && (direct.result as GridEvent).reporter);
  });

  it('a wall\'s device session, and a dispatcher\'s session opening the wall, never receive it', async () => {
    const device = await connect({ view: 'wall' });
    expect(await invoke(device, 'auth.device', { code: deviceCode })).toMatchObject({ ok: true, result: { user: { role: 'viewer' } } });
    await dispatcher();
    const wallOfDispatcher = await connect({ token: dispatcherToken, view: 'wall' });
    for (const socket of [device, wallOfDispatcher]) {
      const answers = await Promise.all([
        invoke(socket, 'events.get', { id: eventId }),
        invoke(socket, 'events.list', { paging: { limit: 500 } }),
        invoke(socket, 'events.list', { text: '噪音' }),
        invoke(socket, 'stats.overview'),
        invoke(socket, 'workers.list'),
      ]);
      // The logs and the rejected commands carry the dispatchers' notes: not a viewer's.
      expect(await invoke(socket, 'link.log')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await invoke(socket, 'commands.rejected')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      for (const answer of answers) {
        expect(answer.ok).toBe(true);
        expect(JSON.stringify(answer).match(UNMASKED)?.[0], JSON.stringify(answer).slice(0, 4000)).toBeUndefined();
      }
      const event = answers[0]!.ok ? (answers[0]!.result as GridEvent) : null;
      expect(event?.reporter).toEqual({ name: '欧阳**', phone: '139****5678', idNumber: '430624********1234' });
      expect(event?.location.address).toBe('古培镇幸福路**号*栋***');
      // And it cannot act.
      expect(await invoke(socket, 'event.accept', { id: eventId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });
});
