// The web shell's command line as `npm run serve` runs it: with no --county it starts
// the bundled county simulator and the replica, prints its one line, serves the API
// with the synced demo town, and stops cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { SOCKET } from '../../core/api/channels';
import type { ApiResponse } from '../../core/api/contract';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const procs: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function run(script: string, args: string[]): { proc: ChildProcess; output: () => string; line: (re: RegExp) => Promise<RegExpMatchArray> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(proc);
  let out = '';
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  proc.stderr?.resume();
  return {
    proc,
    output: () => out,
    line: (re) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line ${re} in:\n${out}`)), 45_000);
        const check = (): void => {
          const match = re.exec(out);
          if (match) {
            clearTimeout(timer);
            proc.stdout?.off('data', check);
            resolve(match);
          }
        };
        proc.stdout?.on('data', check);
        proc.once('exit', () => reject(new Error(`exited before ${re}:\n${out}`)));
        check();
      }),
  };
}

const exited = (proc: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => (proc.exitCode !== null ? resolve(proc.exitCode) : proc.once('exit', (code) => resolve(code))));

function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'griddeck-cli-'));
  dirs.push(dir);
  return dir;
}

describe('npm run serve', () => {
  it('runs the full demo without --county: simulator, replica, API; stops on SIGTERM', async () => {
    const dir = temp();
    const db = join(dir, 'data', 'replica.sqlite');
    const shell = run('electron/web/cli.ts', ['--port', '0', '--db', db, '--renderer', join(dir, 'none')]);
    const [, url] = await shell.line(/^GridDeck listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
    expect(shell.output()).toMatch(/county: the bundled county simulator at http:\/\/127\.0\.0\.1:\d+/);
    expect(existsSync(join(dir, 'data', 'county.sqlite'))).toBe(true);

    const socket = io(`${url}${SOCKET.namespace}`, { transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      const invoke = (method: string, args: unknown = {}) => socket.timeout(10_000).emitWithAck(SOCKET.invoke, method, args) as Promise<ApiResponse>;
      // The shell opens after the first full sync: the town is there at once.
      expect(await invoke('grids.tree')).toMatchObject({ ok: true, result: { code: '430624103', name: '古培镇' } });
      expect(await invoke('app.info')).toMatchObject({ ok: true, result: { mode: 'web', demo: true } });
      expect(await invoke('link.status')).toMatchObject({ ok: true, result: { state: 'online' } });
    } finally {
      socket.close();
    }
    shell.proc.kill('SIGTERM');
    expect(await exited(shell.proc)).toBe(0);
    expect(shell.output()).toContain('GridDeck stopped (SIGTERM)');
  }, 60_000);

  it('refuses --county without --town', async () => {
    const shell = run('electron/web/cli.ts', ['--county', 'http://127.0.0.1:9']);
    expect(await exited(shell.proc)).toBe(2);
  }, 30_000);
});
