// Shared plumbing of the benchmarks: paths, child processes with a typed IPC
// channel, timing and formatting. Nothing here measures anything by itself.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LinkLogger } from '../../../electron/service/link/county-link';

export const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
export const BENCH_DIR = path.resolve(import.meta.dirname, '..');
/** Built data sets that take long to make (the 1M replica, the catch-up county) live here between runs. */
export const DEFAULT_CACHE_DIR = path.join(ROOT, '.griddeck', 'bench');

export const silentLogger: LinkLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A logger that keeps the warnings and errors, so a benchmark can say why it did not finish. */
export function collectingLogger(): LinkLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: () => undefined, warn: (m) => void lines.push(m), error: (m) => void lines.push(m) };
}

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Removes cached files of `kind` built by another version of their builder (`<kind>-v<N>-…`). */
export function dropOtherVersions(dir: string, kind: string, version: number): void {
  for (const name of readdirSync(dir)) {
    const m = /^([a-z-]+)-v(\d+)-/.exec(name);
    if (m && m[1] === kind && Number(m[2]) !== version) rmSync(path.join(dir, name), { force: true });
  }
}

/** A scratch directory for one run, removed by `cleanup`. */
export function scratchDir(label: string): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `griddeck-bench-${label}-`));
  return { dir, file: (name) => path.join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const nowMs = (): number => performance.now();

/** CPU time (user + system) of this process, ms. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds; throws with `what` after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs: number, stepMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(stepMs);
  }
}

// ---------------------------------------------------------------- child processes

export interface Child<In, Out> {
  process: ChildProcess;
  send(message: In): void;
  /** The next message matching `accept` (messages that arrived earlier and were not taken are kept). */
  next<T extends Out>(accept: (m: Out) => m is T, what: string, timeoutMs: number): Promise<T>;
  /** Ends the child: a polite message first when given, SIGKILL after the grace time. */
  stop(graceMs?: number): Promise<void>;
  stderr(): string;
}

/**
 * Forks one of the bench's TypeScript files under tsx with an IPC channel. The child
 * is another process so that its CPU (a county, a measured service) is not this one's.
 */
export function forkTs<In, Out>(file: string, args: string[], options: { execArgv?: string[]; stop?: In } = {}): Child<In, Out> {
  const child = fork(file, args, {
    cwd: ROOT,
    execArgv: [...(options.execArgv ?? []), '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString('utf8')).slice(-20_000);
  });
  const inbox: Out[] = [];
  const waiters = new Set<() => void>();
  child.on('message', (m) => {
    inbox.push(m as Out);
    for (const w of [...waiters]) w();
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    for (const w of [...waiters]) w();
    resolve();
  }));

  return {
    process: child,
    send: (message) => {
      if (!exited && child.connected) child.send(message as object);
    },
    next: (accept, what, timeoutMs) =>
      new Promise((resolve, reject) => {
        const look = (): boolean => {
          const i = inbox.findIndex(accept);
          if (i >= 0) {
            const [m] = inbox.splice(i, 1);
            done();
            resolve(m as never);
            return true;
          }
          if (exited) {
            done();
            reject(new Error(`child ${path.basename(file)} exited while waiting for ${what}\n${err.slice(-4000)}`));
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`child ${path.basename(file)}: timed out after ${timeoutMs} ms waiting for ${what}\n${err.slice(-4000)}`));
        }, timeoutMs);
        const waiter = (): void => void look();
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        if (!look()) waiters.add(waiter);
      }),
    stop: async (graceMs = 5000) => {
      if (exited) return;
      if (options.stop !== undefined && child.connected) child.send(options.stop as object);
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
    stderr: () => err,
  };
}

/** In a child: the typed side of the channel. */
export function parentChannel<In, Out>(): { send(message: Out): void; on(listener: (message: In) => void): void } {
  if (!process.send) throw new Error('this script runs as a child of tests/bench/run.ts (it needs an IPC channel)');
  return {
    send: (message) => void process.send?.(message as object),
    on: (listener) => void process.on('message', (m) => listener(m as In)),
  };
}

/** Reads `--name value` pairs of a child's argv. */
export function argValue(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) {
    if (fallback === undefined) throw new Error(`missing --${name}`);
    return fallback;
  }
  return v;
}

// ---------------------------------------------------------------- formatting

export function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n);
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function fmtMb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return String(r);
  return r >= 10 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
}
