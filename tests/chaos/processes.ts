// The two processes of a chaos run and the replica file between them: the county
// simulator in this process (restartable on the same port and file, following the run's
// manual clock), the data service as a child process (so it can be SIGKILLed mid-write,
// its stdout watched for the cursors it commits), and a read of the replica's cursor
// straight from the file.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { SOCKET } from '../../core/api/channels';
import type { ApiResponse } from '../../core/api/contract';
import { startCountySimulator, type CountySimulator } from '../../county/simulator/index';
import type { CursorWatch } from './checks';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The dispatcher the driver logs in as (service-process.ts makes it), and the in-process admin who makes it. */
export const CHAOS_ACCOUNT = { username: 'chaos.dispatcher', password: 'Grid-deck-2026' } as const;
export const CHAOS_ADMIN = { role: 'admin', user: { id: 'chaos-admin', name: '混沌测试管理员', username: 'chaos-admin' }, seat: { kind: 'local', name: 'chaos' } } as const;
const CHILD = 'tests/chaos/service-process.ts';
/** Monday 09:00 in Shanghai: the grid workers are on duty for the whole run. */
export const BASE = Date.parse('2026-11-30T09:00:00+08:00');

export interface RawDatabase {
  prepare(sql: string): { get(...p: unknown[]): unknown; all(...p: unknown[]): unknown[] };
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): void;
}
export const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3') as new (file: string, options?: { readonly?: boolean; fileMustExist?: boolean }) => RawDatabase;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A run that cannot go on, or an invariant broken: its message is the run's reason. */
export class RunFailure extends Error {}

// ---------------------------------------------------------------- the county, in this process

export class County {
  sim: CountySimulator | null = null;
  port = 0;
  /** The manual clock both sides follow: moved only by ticks. */
  now = BASE;
  paused = false;
  chaos: { duplicate: number; delayMs: [number, number]; reorderPositions: boolean; dropAcks: number } = {
    duplicate: 0,
    delayMs: [0, 0],
    reorderPositions: false,
    dropAcks: 0,
  };

  constructor(
    private readonly seed: number,
    private readonly dbFile: string,
    private readonly batchSize: number,
    private readonly ackTimeoutMs: number,
  ) {}

  get up(): boolean {
    return this.sim !== null;
  }

  /** The one town it serves (the demo town of the seed), known from the first start. */
  town = '';

  async start(): Promise<CountySimulator> {
    if (this.sim) return this.sim;
    // The same port every time: the service was told this URL once. It is drawn below
    // the kernel's ephemeral range (32768+ here), so that while the county is down no
    // outgoing connection or `listen(0)` can take it; the draw is not the seed's (runs
    // of the same seed may run side by side) and decides nothing else.
    const first = this.port === 0;
    for (let attempt = 0; ; attempt++) {
      if (first) this.port = 20_000 + Math.floor(Math.random() * 12_000);
      try {
        this.sim = await startCountySimulator({
          port: this.port,
          seed: this.seed,
          dbFile: this.dbFile,
          activity: false,
          clock: () => this.now,
          batchSize: this.batchSize,
          ackTimeoutMs: this.ackTimeoutMs,
        });
        break;
      } catch (error) {
        if (attempt >= 50 || !/EADDRINUSE/.test(String(error))) throw error;
        if (!first) await sleep(200);
      }
    }
    this.port = Number(new URL(this.sim.url).port);
    this.town = this.sim.towns[0] ?? '';
    this.now = Math.max(this.now, this.sim.now());
    this.paused = false;
    this.sim.chaos.set(this.chaos);
    return this.sim;
  }

  async stop(): Promise<void> {
    const sim = this.sim;
    this.sim = null;
    this.paused = false;
    await sim?.close();
  }
}

// ---------------------------------------------------------------- the data service, a child process

export class Service {
  proc: ChildProcess | null = null;
  socket: Socket | null = null;
  exited: Promise<void> = Promise.resolve();
  /** Set when the current process was armed to kill itself mid-write. */
  armed: string | null = null;
  /** How the current process ended, and whether the driver ended it. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  endedByDriver = false;
  private gone = true;
  private closed: Promise<void> = Promise.resolve();
  stderr = '';

  constructor(
    private readonly db: string,
    private readonly watch: CursorWatch,
    private readonly log: (line: string) => void,
  ) {}

  get up(): boolean {
    return !this.gone;
  }

  /**
   * Starts the service; false when it died before it listened (an armed kill can fire
   * during the first sync). `killAfterMs`: SIGKILL it that long after the spawn, whatever
   * it is doing then (opening the file, running the migrations, the first sync).
   */
  async start(county: County, killIn: string | null, killAfterMs: number | null = null): Promise<boolean> {
    const listened = this.launch(county, killIn, killAfterMs);
    const timer = setTimeout(() => listened.give(null), 60_000);
    const at = await listened.url;
    clearTimeout(timer);
    if (at === null) {
      if (!this.gone) throw new RunFailure(`the service did not start in 60 s: ${this.stderr.trim().split('\n').pop() ?? ''}`);
      await this.closed;
      return false;
    }
    return this.connectApi(at);
  }

  /** Spawns the child and follows it: its stdout (the URL it listens on, its cursors), stderr and exit. */
  private launch(county: County, killIn: string | null, killAfterMs: number | null): { url: Promise<string | null>; give: (url: string | null) => void } {
    const args = ['--import', 'tsx', CHILD, '--county', `http://127.0.0.1:${county.port}`, '--town', county.town, '--db', this.db, '--clock', String(county.now)];
    if (killIn) args.push('--kill-in', killIn);
    const proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
    this.proc = proc;
    this.armed = killIn;
    this.exit = null;
    this.endedByDriver = false;
    this.gone = false;
    this.stderr = '';
    if (killAfterMs !== null) {
      setTimeout(() => {
        if (this.proc !== proc || this.gone) return;
        this.endedByDriver = true;
        proc.kill('SIGKILL');
      }, killAfterMs).unref();
    }
    const pid = proc.pid ?? 0;
    let listening: (url: string | null) => void = () => undefined;
    const url = new Promise<string | null>((resolve) => (listening = resolve));
    this.readOutput(proc, pid, (at) => listening(at));
    proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    // 'close': the process is gone and its stdout fully read (every cursor it reported is observed).
    this.closed = new Promise((resolve) => proc.once('close', () => resolve()));
    this.exited = new Promise((resolve) =>
      proc.once('exit', (code, signal) => {
        this.exit = { code, signal };
        this.gone = true;
        this.socket?.close();
        this.socket = null;
        listening(null);
        this.log(`  service ${pid} exited (${signal ?? `code ${code}`})`);
        resolve();
      }),
    );
    return { url, give: (at) => listening(at) };
  }

  /** The child's stdout, line by line: "GridDeck listening on <url>", and "cursor <c>[ reset]" for the watch. */
  private readOutput(proc: ChildProcess, pid: number, listening: (url: string) => void): void {
    let buffered = '';
    proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const listen = /^GridDeck listening on (\S+)$/.exec(line);
        if (listen) listening(listen[1] as string);
        const cursor = /^cursor (\S+)( reset)?$/.exec(line);
        if (cursor) this.watch.observe(cursor[1] as string, `service ${pid}`, cursor[2] !== undefined);
      }
    });
  }

  /** Connects to the app API the service listens on; false when it died meanwhile. */
  private async connectApi(at: string): Promise<boolean> {
    const socket = io(`${at}${SOCKET.namespace}`, { transports: ['websocket'], reconnection: false, forceNew: true });
    const connected = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('connect_error', () => resolve(false));
      void this.exited.then(() => resolve(false));
    });
    if (!connected || this.gone) {
      socket.close();
      await this.closed;
      if (!this.gone) throw new RunFailure('the service listens but its API does not connect');
      return false;
    }
    // Every browser logs in (electron/web/api.ts binds the session to the socket). The
    // bound is generous: a service just restarted after a kill mid-write checks and backs
    // up its replica first; what the run proves is that it is answered, not how fast.
    const login = (await socket
      .timeout(60_000)
      .emitWithAck(SOCKET.invoke, 'auth.login', CHAOS_ACCOUNT)
      .catch(() => null)) as ApiResponse | null;
    if (!login?.ok) {
      socket.close();
      // A service armed to die mid-write may die during the login: its socket closes (the
      // login rejected: "socket has been disconnected") before its process's exit is seen.
      // Seed 5151 did. A death within 5 s of the failed login is that, not a refusal.
      if (login === null) await Promise.race([this.exited, sleep(5_000)]);
      if (this.gone) return false;
      throw new RunFailure(`the chaos dispatcher cannot log in: ${JSON.stringify(login)}`);
    }
    this.socket = socket;
    return true;
  }

  /** SIGKILL; resolves when the process is gone and all it printed has been read. */
  async kill(): Promise<void> {
    if (this.proc && !this.gone) {
      this.endedByDriver = true;
      this.proc.kill('SIGKILL');
    }
    await this.exited;
    await this.closed;
  }

  /** SIGTERM, as the shells stop it: resolves with the exit code (null: it had to be killed). */
  async stop(): Promise<number | null> {
    const proc = this.proc;
    if (!proc || this.gone) return 0;
    this.endedByDriver = true;
    proc.kill('SIGTERM');
    const code = await Promise.race([this.exited.then(() => proc.exitCode), sleep(15_000).then(() => null)]);
    if (code === null) await this.kill();
    await this.closed;
    return code;
  }

  /** One API call; null when the service is gone or did not answer. */
  async invoke(method: string, args: unknown, timeoutMs = 10_000): Promise<ApiResponse | null> {
    const socket = this.socket;
    if (!socket || this.gone) return null;
    const call = socket.timeout(timeoutMs).emitWithAck(SOCKET.invoke, method, args) as Promise<ApiResponse>;
    return Promise.race([call.catch(() => null), this.exited.then(() => null)]);
  }

  async query<T>(method: string, args: unknown): Promise<T | null> {
    const r = await this.invoke(method, args);
    return r && r.ok ? (r.result as T) : null;
  }
}

// ---------------------------------------------------------------- reading the replica file

export function readCursor(file: string): string | null {
  let db: RawDatabase | null = null;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT cursor FROM meta WHERE id = 1').get() as { cursor: string | null } | undefined;
    return row?.cursor ?? null;
  } catch {
    return null; // not created yet, or the migrations have not run yet
  } finally {
    db?.close();
  }
}
