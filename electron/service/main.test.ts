// The process entry, run the way the main process runs it (minus Electron):
// a forked Node child that answers { id, method, args } with { id, response }.
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
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, ...env },
  });
  return child;
}

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

function request(proc: ChildProcess, id: number, method: string, args: unknown, context?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // The first answer waits for the service to open (the bundled county first simulates a week): slow on a loaded machine.
    const timer = setTimeout(() => reject(new Error(`no answer to ${method}`)), 30_000);
    const onMessage = (message: unknown): void => {
      if ((message as { id?: unknown }).id !== id) return;
      clearTimeout(timer);
      proc.off('message', onMessage);
      resolve(message);
    };
    proc.on('message', onMessage);
    proc.send(context ? { id, method, args, context } : { id, method, args });
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
      expect(await request(proc, 102, 'link.reconnect', {}, { seat: { kind: 'window', window: 'wall' }, view: 'wall' })).toMatchObject({ id: 102, response: { ok: false, error: { code: 'forbidden' } } });
      proc.kill('SIGTERM');
      expect(await exited(proc)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

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

