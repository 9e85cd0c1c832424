// Residents' personal data through the web shell: a read-only token (the wall, a
// meeting screen) and a page that asks for the wall's view never receive a name,
// phone, ID or door number through /api; a full token does. Real data service,
// real county simulator, loopback only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET } from '../../core/api/channels';
import type { ApiResponse } from '../../core/api/contract';
import type { GridEvent } from '../../core/model';
import type { DataService } from '../service/data-service';
import { openDataService } from '../service/data-service';
import type { CountySimulator } from '../../county/simulator/index';
import { startCountySimulator } from '../../county/simulator/index';
import type { WebServer } from './server';
import { callerOf, narrowRole, startWebServer } from './server';

const BASE = Date.parse('2026-11-30T10:00:00+08:00');
const tokens = { full: 'full-token-privacy', readOnly: 'read-only-token-privacy' };
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
  server = await startWebServer({ service: data.service, port: 0, host: '127.0.0.1', rendererDir: join(dir, 'no-renderer'), tokens });

  // A hotline report with the caller's full personal data, as a dispatcher files it.
  const grid = data.replica.grids(3)[0]!;
  const dispatcher = await connect({ token: tokens.full });
  eventId = '7d3c1a52-9f0e-4b61-8a2d-3e4f5a6b7c8d';
  const created = await invoke(dispatcher, 'event.create', {
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
  it('a full token sees the reporter as filed', async () => {
    const dispatcher = await connect({ token: tokens.full });
    const got = await invoke(dispatcher, 'events.get', { id: eventId });
    expect(got.ok && (got.result as GridEvent).reporter).toEqual({ name: NAME, phone: PHONE, idNumber: ID_NUMBER });
  });

  it('a read-only token, and the wall on the operator’s own machine, never receive it', async () => {
    const readOnly = await connect({ token: tokens.readOnly });
    const wallOnLoopback = await connect({ view: 'wall' });
    for (const socket of [readOnly, wallOnLoopback]) {
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

  it('maps tokens to callers and lets a page narrow, never widen, its role', () => {
    expect(callerOf('full')).toEqual({ role: 'dispatcher' });
    expect(callerOf('readOnly')).toEqual({ role: 'viewer' });
    expect(narrowRole('full', 'wall')).toBe('readOnly');
    expect(narrowRole('readOnly', 'console')).toBe('readOnly');
    expect(narrowRole('full', undefined)).toBe('full');
  });
});
