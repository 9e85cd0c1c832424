// Test helper for the command-line tests (electron/service/cli.test.ts, electron/web/cli.test.ts):
// runs a script of this repo as a plain Node process (through tsx), waits for lines of its
// output, and after each test kills what is still running and removes the temporary folders.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A running command line. */
export interface CliRun {
  proc: ChildProcess;
  /** Everything it printed on stdout so far. */
  output: () => string;
  /** The first match of `re` in its stdout, waiting up to 45 s; rejects if it exits first. */
  line: (re: RegExp) => Promise<RegExpMatchArray>;
}

/** Resolves with the exit code once the process has exited. */
export const exited = (proc: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => (proc.exitCode !== null ? resolve(proc.exitCode) : proc.once('exit', (code) => resolve(code))));

/**
 * Call once at the top of a test file: registers the afterEach clean-up and returns
 * `run` (start a script, path relative to the repo root) and `temp` (a fresh folder).
 */
export function useCli(): { run: (script: string, args: string[]) => CliRun; temp: () => string } {
  const procs: ChildProcess[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const run = (script: string, args: string[]): CliRun => {
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
  };

  const temp = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'griddeck-cli-'));
    dirs.push(dir);
    return dir;
  };

  return { run, temp };
}
