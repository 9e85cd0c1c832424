// A web shell of a spec's own (tests/e2e/meeting.spec.ts): its own port and replica (with
// its embedded county), started in the background while the spec works on the run's shell,
// then killed (SIGKILL, as a crash or a power cut would end it) and started again on the
// same replica, as the operator's process supervisor (systemd, a service wrapper) does. The
// web shell runs the data service in its own process, so this is the data service's
// restart as the screens on the LAN see it. Its pages log in with their own helpers below
// (tests/e2e/login.ts serves the run's shell and keeps its accounts and sessions).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import { parseDemoAccounts, signedIn, type Role } from './login';
import { freePort } from '../../node-common/net';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** A first start makes the demo town and syncs it (about 15 s on a loaded two-core machine); a restart takes less. */
const START_TIMEOUT_MS = 180_000;


type Answer = { ok: boolean; result?: unknown; error?: { code: string; message: string } };

/** A logged-in API client of the shell (it reconnects by itself, its session kept, after a restart). */
export interface ShellApi {
  call<T>(method: string, args?: unknown): Promise<T>;
  close(): void;
}

export class OwnShell {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'griddeck-own-shell-'));
  private proc: ChildProcess | null = null;
  private output: string[] = [];
  private constructor(readonly port: number) {}

  /** `port`: a fixed one (E2E_MEETING_PORT), else one the kernel gives. */
  static async create(port?: number): Promise<OwnShell> {
    return new OwnShell(port ?? (await freePort()));
  }

  get baseURL(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the shell on this replica; resolves once it prints its "listening" line. */
  start(): Promise<void> {
    if (this.proc) throw new Error('the own shell is running');
    const db = path.join(this.dir, 'replica.sqlite');
    // Patrols by day only: the shell's county stays quiet beside the run's at night (it plays no part here).
    const proc = spawn(process.execPath, ['--import', 'tsx', 'electron/web/cli.ts', '--port', String(this.port), '--db', db, '--duty', 'day'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    // A worker that ends without dispose() (a crash, a timeout) leaves no shell behind.
    const orphan = (): void => void proc.kill('SIGKILL');
    process.once('exit', orphan);
    proc.once('exit', () => process.off('exit', orphan));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the own shell did not start in ${START_TIMEOUT_MS} ms:\n${this.log()}`)), START_TIMEOUT_MS);
      const spawned = Date.now();
      const read = (chunk: Buffer): void => {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.output.push(`+${Date.now() - spawned} ms ${line}`);
        this.output = this.output.slice(-40);
        if (this.output.some((l) => l.includes(' GridDeck listening on'))) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout!.on('data', read);
      proc.stderr!.on('data', read);
      proc.once('exit', (code, signal) => {
        if (this.proc === proc) this.proc = null;
        clearTimeout(timer);
        reject(new Error(`the own shell exited (${signal ?? code}) before it listened:\n${this.log()}`));
      });
    });
  }

  /** Kills the shell's process outright (no clean stop: nothing checkpointed, no socket closed politely). */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    this.proc = null;
    this.output = [];
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await exited;
  }

  /** Ends the shell and removes its replica. */
  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The shell's last lines, each with its time since the spawn (the demo accounts' passwords left out). */
  log(): string {
    return this.output.filter((l) => !l.includes(' demo account ')).join('\n');
  }

  /** A new session of the role's demo account (its password in demo-accounts.json beside this replica). */
  async token(role: Role): Promise<string> {
    const who = parseDemoAccounts(JSON.parse(readFileSync(path.join(this.dir, 'demo-accounts.json'), 'utf8'))).find((a) => a.role === role);
    if (!who) throw new Error(`no demo account for ${role} on the own shell`);
    const socket = io(`${this.baseURL}/api`, { transports: ['websocket'] });
    try {
      const res = (await socket.timeout(20_000).emitWithAck('invoke', 'auth.login', { username: who.username, password: who.password })) as Answer;
      if (!res.ok) throw new Error(`auth.login ${who.username}: ${JSON.stringify(res.error)}`);
      return (res.result as { token: string }).token;
    } finally {
      socket.close();
    }
  }

  /** A logged-in API client of this shell. */
  async api(role: Role): Promise<ShellApi> {
    const socket: Socket = io(`${this.baseURL}/api`, { transports: ['websocket'], auth: { token: await this.token(role) } });
    return {
      async call<T>(method: string, args: unknown = {}): Promise<T> {
        const res = (await socket.timeout(20_000).emitWithAck('invoke', method, args)) as Answer;
        if (!res.ok) throw new Error(`${method}: ${JSON.stringify(res.error)}`);
        return res.result as T;
      },
      close: () => socket.close(),
    };
  }

  /** Opens `pathname` on this shell logged in as the role (the token in the tab's storage, as the login screen leaves it). */
  async login(page: Page, role: Role, pathname = '/'): Promise<void> {
    const token = await this.token(role);
    await page.addInitScript(([value]) => {
      if (!sessionStorage.getItem('griddeck.session')) sessionStorage.setItem('griddeck.session', value as string);
    }, [token]);
    await page.goto(`${this.baseURL}${pathname}`);
    await expect(signedIn(page)).toBeVisible({ timeout: 60_000 });
  }
}
