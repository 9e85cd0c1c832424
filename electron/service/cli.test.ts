// The standalone data service (electron/service/cli.ts) as a plain Node process.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startCountySimulator } from '../simulator/index';

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

describe('the standalone data service (electron/service/cli.ts)', () => {
  it('prints its ready line, syncs from --county and closes cleanly on SIGTERM', async () => {
    const dir = temp();
    const sim = await startCountySimulator({ port: 0, seed: 20241112, dbFile: join(dir, 'county.sqlite'), token: 'tok', activity: false });
    try {
      const service = run('electron/service/cli.ts', ['--db', join(dir, 'replica.sqlite'), '--county', sim.url, '--town', '430624103', '--county-token', 'tok']);
      const [, replica] = await service.line(/^GridDeck data service ready: town 430624103, replica ([0-9a-f-]{36}), county http:\/\/127\.0\.0\.1:\d+, db .+$/m);
      await service.line(/^link: online/m);
      service.proc.kill('SIGTERM');
      expect(await exited(service.proc)).toBe(0);
      expect(service.output()).toContain('GridDeck data service stopped (SIGTERM)');
      expect(sim.snapshot('430624103').grids.length).toBeGreaterThan(0);
      expect(replica).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await sim.close();
    }
  }, 60_000);
});
