// The HTTP control endpoint (for chaos tests in another process) and the command line.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { parseCountyCli } from './cli-options';
import { refuseControl } from './control';
import { startCountySimulator, type CountySimulator } from './index';
import { TestTown, tempDir } from './test-client';

const TOWN = '430624103';
const T0 = Date.parse('2026-11-30T09:00:00+08:00');
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('HTTP control endpoint', () => {
  const tmp = tempDir();
  let sim: CountySimulator;
  beforeAll(async () => {
    sim = await startCountySimulator({ port: 0, seed: 51, dbFile: tmp.file('ctl.sqlite'), clock: () => T0, activity: false });
  }, 30_000);
  afterAll(async () => {
    await sim.close();
    tmp.remove();
  });

  it('creates events, applies commands, ticks and shows the snapshot and the settled commands', async () => {
    const created = await post(sim.url, { action: 'create-event', town: TOWN, overrides: { category: '0301' } });
    expect(created.status).toBe(200);
    const id = created.json.id as string;
    expect(sim.snapshot(TOWN).events.map((e) => [e.id, e.category, e.status])).toEqual([[id, '0301', 'reported']]);

    const applied = await post(sim.url, { action: 'apply', town: TOWN, name: 'event.accept', args: { id }, actor: { id: 'd', role: 'dispatcher' } });
    expect(applied.json).toEqual({ ok: true });
    const refused = await post(sim.url, { action: 'apply', town: TOWN, name: 'event.accept', args: { id }, actor: { id: 'd', role: 'dispatcher' } });
    expect(refused.json).toMatchObject({ ok: false, code: 'invalid-transition' });

    const before = sim.now();
    expect((await post(sim.url, { action: 'tick', ms: 60_000 })).json).toEqual({ ok: true, now: before + 60_000 });

    const snap = (await (await fetch(`${sim.url}/snapshot?town=${TOWN}`)).json()) as { events: { id: string; status: string }[]; grids: unknown[] };
    expect(snap.events.find((e) => e.id === id)?.status).toBe('accepted');
    expect(snap.grids.length).toBe(sim.snapshot(TOWN).grids.length);
    expect((await fetch(`${sim.url}/snapshot?town=999999999`)).status).toBe(404);

    const town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
    await town.mutate(town.command(1, 'event.comment', { id, note: '跟进' }));
    const list = await (await fetch(`${sim.url}/applied?replica=${town.auth.replica}`)).json();
    expect(list).toEqual([{ n: 1, name: 'event.comment', status: 'applied' }]);
    town.close();
  }, 30_000);

  it('drives the chaos controls', async () => {
    const town = await TestTown.connect(sim.url, { town: TOWN });
    await town.synced();
    expect((await post(sim.url, { action: 'drop' })).json).toEqual({ ok: true });
    await town.until(() => town.disconnects === 1, 'dropped');
    expect((await post(sim.url, { action: 'refuse', code: 'unauthorized' })).json).toEqual({ ok: true });
    await expect(TestTown.connect(sim.url, { town: TOWN })).rejects.toThrow(/^unauthorized$/);
    expect((await post(sim.url, { action: 'pause' })).json).toEqual({ ok: true });
    expect(((await (await fetch(`${sim.url}/status`)).json()) as { paused: boolean }).paused).toBe(true);
    expect((await post(sim.url, { action: 'resume' })).json).toEqual({ ok: true });
    expect((await post(sim.url, { action: 'reset-next' })).json).toEqual({ ok: true });
    const reset = await TestTown.connect(sim.url, { town: TOWN, cursor: town.cursor });
    await reset.synced();
    expect(reset.batches[0]).toMatchObject({ from: null, reset: true });
    expect(((await (await fetch(`${sim.url}/status`)).json()) as { head: string }).head).toBe(reset.cursor);
    reset.close();
    expect((await post(sim.url, { action: 'set', duplicate: 0, delayMs: [0, 0], reorderPositions: false, dropAcks: 0 })).json).toEqual({ ok: true });
  }, 30_000);

  it('answers bad requests with 400 or 404', async () => {
    expect((await post(sim.url, '{not json')).status).toBe(400);
    expect((await post(sim.url, { action: 'explode' })).status).toBe(400);
    expect((await post(sim.url, { action: 'refuse', code: 'maybe' })).status).toBe(400);
    expect((await post(sim.url, { action: 'tick', ms: -5 })).status).toBe(400);
    expect((await post(sim.url, { action: 'apply', town: TOWN, name: 'event.accept', args: {}, actor: { role: 'god' } })).status).toBe(400);
    expect((await post(sim.url, { action: 'create-event', town: 'nowhere' })).status).toBe(400);
    expect((await fetch(`${sim.url}/applied`)).status).toBe(400);
    expect((await fetch(`${sim.url}/nothing`)).status).toBe(404);
  });
});

/** A raw request with the headers given (fetch sets Host itself). */
function raw(url: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the control endpoint lets no one else in', () => {
  const tmp = tempDir();
  let sim: CountySimulator;
  const paused = async (): Promise<unknown> => (await raw(sim.url, 'GET', '/status', { Host: new URL(sim.url).host, Authorization: 'Bearer control-token' })).json.paused;
  beforeAll(async () => {
    sim = await startCountySimulator({ port: 0, seed: 52, dbFile: tmp.file('gate.sqlite'), clock: () => T0, activity: false, token: 'link-token', controlToken: 'control-token' });
  }, 30_000);
  afterAll(async () => {
    await sim.close();
    tmp.remove();
  });

  it('takes its token, on GET and POST alike, compared whole', async () => {
    const host = new URL(sim.url).host;
    const auth = { Host: host, Authorization: 'Bearer control-token' };
    expect((await raw(sim.url, 'GET', '/status', { Host: host })).status).toBe(401);
    expect((await raw(sim.url, 'GET', '/status', { Host: host, Authorization: 'Bearer control-toke' })).status).toBe(401);
    expect((await raw(sim.url, 'GET', '/status', { Host: host, Authorization: 'Bearer link-token' })).status).toBe(401);
    expect((await raw(sim.url, 'POST', '/control', { Host: host, 'Content-Type': 'application/json' }, JSON.stringify({ action: 'pause' }))).status).toBe(401);
    expect(await paused()).toBe(false);
    expect((await raw(sim.url, 'GET', '/status', auth)).json).toMatchObject({ ok: true, paused: false });
    expect((await raw(sim.url, 'POST', '/control', { ...auth, 'Content-Type': 'application/json; charset=utf-8' }, JSON.stringify({ action: 'pause' }))).json).toEqual({ ok: true });
    expect(await paused()).toBe(true);
    await raw(sim.url, 'POST', '/control', { ...auth, 'Content-Type': 'application/json' }, JSON.stringify({ action: 'resume' }));
  });

  it('takes JSON only (415), and only under its own loopback Host (421)', async () => {
    const host = new URL(sim.url).host;
    const auth = { Host: host, Authorization: 'Bearer control-token' };
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp']) {
      expect((await raw(sim.url, 'POST', '/control', { ...auth, 'Content-Type': type }, JSON.stringify({ action: 'pause' }))).status, type).toBe(415);
    }
    expect((await raw(sim.url, 'POST', '/control', auth, JSON.stringify({ action: 'pause' }))).status).toBe(415);
    expect(await paused()).toBe(false);
    expect((await raw(sim.url, 'GET', '/status', { ...auth, Host: `evil.example:${new URL(sim.url).port}` })).status).toBe(421);
    expect((await raw(sim.url, 'GET', '/status', { ...auth, Host: 'localhost:1' })).status).toBe(421);
    expect((await raw(sim.url, 'GET', '/status', { ...auth, Host: `localhost:${new URL(sim.url).port}` })).status).toBe(200);
  });

  it('refuseControl: the rules on their own', () => {
    const gate = { port: 4300, token: 't0k3n' };
    const ok = { host: '127.0.0.1:4300', authorization: 'Bearer t0k3n', 'content-type': 'application/json' };
    expect(refuseControl('POST', ok, gate)).toBeNull();
    expect(refuseControl('GET', { host: '[::1]:4300', authorization: 'bearer t0k3n' }, gate)).toBeNull();
    expect(refuseControl('GET', { ...ok, authorization: 't0k3n' }, gate)?.status).toBe(401);
    expect(refuseControl('GET', { ...ok, authorization: undefined }, gate)?.status).toBe(401);
    expect(refuseControl('POST', { ...ok, 'content-type': undefined }, gate)?.status).toBe(415);
    expect(refuseControl('GET', { ...ok, host: undefined }, gate)?.status).toBe(421);
    // Without a control token (a test's simulator): loopback Host and JSON still.
    expect(refuseControl('POST', { host: 'localhost:4300', 'content-type': 'application/json' }, { port: 4300 })).toBeNull();
    expect(refuseControl('POST', { host: 'localhost:4300', 'content-type': 'text/plain' }, { port: 4300 })?.status).toBe(415);
  });
});

describe('command line', () => {
  it('parses its options', () => {
    expect(parseCountyCli(['--port', '0', '--seed', '7', '--db', '/tmp/x.sqlite'])).toEqual({ port: 0, seed: 7, db: '/tmp/x.sqlite' });
    expect(parseCountyCli(['--port', '4000', '--seed', '7', '--token', 't', '--db', 'f', '--towns', '2', '--grids-per-town', '10', '--rate', '30', '--speedup', '60'])).toEqual({
      port: 4000,
      seed: 7,
      token: 't',
      db: 'f',
      scale: { towns: 2, gridsPerTown: 10 },
      rate: 30,
      speedup: 60,
    });
    expect(() => parseCountyCli(['--seed', '1'])).toThrow(/--port is required/);
    expect(() => parseCountyCli(['--port', '1'])).toThrow(/--seed is required/);
    expect(() => parseCountyCli(['--port', '1', '--seed', '1', '--towns', '3'])).toThrow(/go together/);
    expect(() => parseCountyCli(['--port', 'x', '--seed', '1'])).toThrow(/bad --port/);
    expect(() => parseCountyCli(['--port', '1', '--seed', '1', '--rate', '0'])).toThrow(/bad --rate/);
    expect(() => parseCountyCli(['--port', '1', '--seed', '1', '--what'])).toThrow(/unknown option: --what/);
    expect(() => parseCountyCli(['--port', '1', '--seed'])).toThrow(/--seed needs a value/);
    expect(() => parseCountyCli(['--port', '1', '--seed', '1', 'extra'])).toThrow(/unexpected argument: extra/);
    expect(() => parseCountyCli(['--port', '1', '--seed', '1', '--duty', 'night'])).toThrow(/bad --duty: night/);
    expect(parseCountyCli(['--port', '1', '--seed', '1', '--duty', 'always']).duty).toBe('always');
    expect(parseCountyCli(['--port', '1', '--seed', '-5']).seed).toBe(-5);
    expect(parseCountyCli(['--port=7', '--seed=3'])).toMatchObject({ port: 7, seed: 3 });
  });

  it('starts alone, prints its one line, serves towns and stops on SIGTERM', async () => {
    const tmp = tempDir();
    const child = spawn(`${ROOT}node_modules/.bin/tsx`, ['county/simulator/cli.ts', '--port', '0', '--seed', '3', '--token', 'tk', '--db', tmp.file('cli.sqlite')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const first = out.split('\n');
          if (first.length > 1) resolve(first[0]!);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const m = /^county simulator on (http:\/\/127\.0\.0\.1:(\d+)) serving towns: (\d{9}(?:,\d{9})*)$/.exec(line);
      expect(m?.[3]).toBe(TOWN);
      const url = m![1]!;
      await expect(TestTown.connect(url, { town: TOWN, token: 'no' })).rejects.toThrow(/^unauthorized$/);
      // --token guards the control endpoint too.
      expect((await fetch(`${url}/status`)).status).toBe(401);
      expect((await fetch(`${url}/status`, { headers: { Authorization: 'Bearer tk' } })).status).toBe(200);
      const town = await TestTown.connect(url, { town: TOWN, token: 'tk' });
      await town.synced();
      town.close();
      const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      tmp.remove();
    }
  }, 60_000);
});
