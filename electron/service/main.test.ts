// The process entry, run the way the main process runs it (minus Electron):
// a forked Node child that answers { id, method, args, context } with { id, response },
// and keeps the windows' push subscriptions ({ subscribe, context } / { unsubscribe }).
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startCountySimulator } from '../../county/simulator/index';

const ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url));

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill();
  child = undefined;
});

function startWith(args: string[], env: Record<string, string> = {}): ChildProcess {
  child = fork(ENTRY, args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, ...env },
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  stdout = () => out;
  return child;
}

/** What the last started service printed on stdout. */
let stdout = (): string => '';

const exited = (proc: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => (proc.exitCode !== null ? resolve(proc.exitCode) : proc.once('exit', (code) => resolve(code))));

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Answer = { id: number; response: { ok: boolean; result?: Record<string, unknown>; error?: { code: string; message: string } } };

/** The wall window: a viewer without a login. */
const WALL = { seat: { kind: 'window', window: 'wall' }, view: 'wall' };

function request(proc: ChildProcess, id: number, method: string, args: unknown, context: unknown = WALL): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // The first answer waits for the service to open (the bundled county first simulates a week): slow on a loaded
    // machine (over 30 s once with the test command's two vitest workers beside other jobs).
    const timer = setTimeout(() => reject(new Error(`no answer to ${method}`)), 90_000);
    const onMessage = (message: unknown): void => {
      if ((message as { id?: unknown }).id !== id) return;
      clearTimeout(timer);
      proc.off('message', onMessage);
      resolve(message);
    };
    proc.on('message', onMessage);
    proc.send(context === null ? { id, method, args } : { id, method, args, context });
  });
}

describe('electron/service/main.ts with a replica', () => {
  it('runs the replica service against the county given by --county (token from the environment), and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'griddeck-main-'));
    const sim = await startCountySimulator({ port: 0, seed: 20241112, dbFile: join(dir, 'county.sqlite'), token: 'env-token', activity: false });
    try {
      const proc = startWith(['--db', join(dir, 'replica.sqlite'), '--county', sim.url, '--town', '430624103', '--mode', 'electron'], {
        GRIDDECK_COUNTY_TOKEN: 'env-token',
      });
      let id = 0;
      await until(async () => {
        const answer = (await request(proc, ++id, 'link.status', {})) as Answer;
        return answer.response.result?.state === 'online' && answer.response.result.lastSyncAt !== null;
      }, 'online and synced');
      const info = (await request(proc, ++id, 'app.info', {})) as Answer;
      expect(info.response).toMatchObject({ ok: true, result: { mode: 'electron', demo: false, town: { code: '430624103', name: '古培镇' } } });
      proc.kill('SIGTERM');
      expect(await exited(proc)).toBe(0);
    } finally {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('starts the bundled county simulator in its own process when no county is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'griddeck-main-'));
    try {
      const proc = startWith(['--db', join(dir, 'replica.sqlite'), '--mode', 'electron', '--app-version', '1.2.3']);
      // Not requests: ignored, and the process answers the next real one.
      proc.send('garbage');
      proc.send({ id: 'x', method: 'app.info' });
      let id = 0;
      await until(async () => {
        const answer = (await request(proc, ++id, 'grids.tree', {})) as Answer;
        return answer.response.ok && answer.response.result !== null;
      }, 'the demo town synced');
      const info = (await request(proc, 100, 'app.info', {})) as Answer;
      expect(info).toMatchObject({ id: 100, response: { ok: true, result: { mode: 'electron', version: '1.2.3', demo: true, town: { code: '430624103', name: '古培镇' } } } });
      expect(await request(proc, 101, 'grids.list', { level: 9 })).toMatchObject({ id: 101, response: { ok: false, error: { code: 'invalid' } } });
      // The role gate is the service's: the wall window (a viewer) may not act.
      expect(await request(proc, 102, 'link.reconnect', {})).toMatchObject({ id: 102, response: { ok: false, error: { code: 'forbidden' } } });
      // The console window without a login is no one; a request without a context neither.
      expect(await request(proc, 103, 'grids.tree', {}, { seat: { kind: 'window', window: 'console' } })).toMatchObject({ id: 103, response: { ok: false, error: { code: 'unauthorized' } } });
      expect(await request(proc, 104, 'grids.tree', {}, null)).toMatchObject({ id: 104, response: { ok: false, error: { code: 'unauthorized' } } });
      // The wall window's subscription: the patrol's positions, addressed to it.
      const pushed = new Promise<unknown>((resolve) => proc.on('message', (m: { subscription?: string }) => m.subscription === 'wall-1' && resolve(m)));
      proc.send({ subscribe: 'wall-1', context: WALL });
      expect(await pushed).toMatchObject({ subscription: 'wall-1', push: { topic: expect.any(String) } });
      // The console window: a demo account (printed as `npm start` shows them) logs in, its page's token opens the window's pushes.
      const [, username, password] = /^demo account (\S+) \(dispatcher\): (\S+)$/m.exec(stdout()) ?? [];
      const CONSOLE = { seat: { kind: 'window', window: 'console' } };
      const login = (await request(proc, 105, 'auth.login', { username, password }, CONSOLE)) as Answer;
      expect(login.response).toMatchObject({ ok: true, result: { user: { role: 'dispatcher' } } });
      const token = (login.response.result as { token: string }).token;
      const pending = (await request(proc, 106, 'commands.rejected', {}, { token, ...CONSOLE })) as Answer;
      expect(pending.response, JSON.stringify(pending.response.error)).toMatchObject({ ok: true });
      const consolePush = new Promise<unknown>((resolve) => proc.on('message', (m: { subscription?: string }) => m.subscription === 'console-1' && resolve(m)));
      proc.send({ subscribe: 'console-1', context: { token, ...CONSOLE } });
      expect(await consolePush).toMatchObject({ subscription: 'console-1' });
      proc.kill('SIGTERM');
      expect(await exited(proc)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);

  it('without --db it stays up and says so in every answer', async () => {
    const proc = startWith(['--mode', 'electron']);
    const answer = (await request(proc, 1, 'grids.tree', {})) as Answer;
    expect(answer.response).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(answer.response.error?.message).toContain('--db');
  }, 20_000);

  it('reports bad arguments through every answer instead of exiting', async () => {
    const proc = startWith(['--db', '/tmp/x.sqlite', '--town', '12']);
    const answer = (await request(proc, 1, 'link.status', {})) as Answer;
    expect(answer.response).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(answer.response.error?.message).toContain('--town');
  }, 20_000);
});

