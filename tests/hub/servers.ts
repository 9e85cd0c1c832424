// Real PostgreSQL 15 and Redis 7 servers for the hub's tests and drill, from Debian's
// packages (scripts/lib/setup.mjs installs them): each on a free loopback port, in its
// own temporary folder, stopped and removed after. PostgreSQL refuses to run as root, so
// as root the cluster belongs to Debian's `postgres` user.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '../../node-common/net';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export { freePort };
export const PG_BIN = '/usr/lib/postgresql/15/bin';
export const REDIS_SERVER = '/usr/bin/redis-server';

export const havePostgres = (): boolean => existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_ctl'));
export const haveRedis = (): boolean => existsSync(REDIS_SERVER);


const asRoot = process.getuid?.() === 0;

function owner(): { uid: number; gid: number } | null {
  if (!asRoot) return null;
  const id = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

function pgRun(args: string[]): void {
  const [cmd, ...rest] = args;
  const r = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', cmd!, ...rest], { encoding: 'utf8' }) : spawnSync(cmd!, rest, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr || r.stdout}`);
}

export interface PostgresServer {
  url: string;
  port: number;
  /** A new empty database on this server (for a second hub that must not share the first one's); its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stop it (fast shutdown) and remove its folder. */
  stop(): Promise<void>;
}

/** initdb in a temporary folder and pg_ctl start on a free port (trust auth on loopback, no fsync: a test server). */
export async function startPostgres(): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-pg-'));
  const o = owner();
  if (o) chownSync(dir, o.uid, o.gid);
  const data = join(dir, 'data');
  const port = await freePort();
  pgRun([join(PG_BIN, 'initdb'), '-D', data, '-U', 'hub', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  pgRun([join(PG_BIN, 'pg_ctl'), '-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  return {
    url: `postgres://hub@127.0.0.1:${port}/postgres`,
    port,
    createDatabase: async (name) => {
      if (!/^[a-z][a-z0-9_]{0,40}$/.test(name)) throw new RangeError(`bad database name ${name}`);
      const client = new pg.Client({ connectionString: `postgres://hub@127.0.0.1:${port}/postgres` });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://hub@127.0.0.1:${port}/${name}`;
    },
    stop: async () => {
      try {
        pgRun([join(PG_BIN, 'pg_ctl'), '-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface RedisServer {
  url: string;
  port: number;
  /** Stop the server (the drill's "Redis restarted"); start() brings it back on the same port. */
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** redis-server on a free port, without persistence, in a temporary folder. */
export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hub-redis-'));
  const port = await freePort();
  let proc: ChildProcess | null = null;
  const start = async (): Promise<void> => {
    const p = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc = p;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out.slice(-500)}`)), 20_000);
      p.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (/Ready to accept connections/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      p.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}): ${out.slice(-500)}`));
      });
    });
  };
  const kill = async (): Promise<void> => {
    const p = proc;
    proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    start,
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One `npm run hub` process, on a port that stays its own across restarts. */
export class HubProcess {
  proc: ChildProcess | null = null;
  url = '';
  constructor(
    readonly index: number,
    readonly port: number,
    private readonly args: string[],
    private readonly log: (line: string) => void,
  ) {}

  async start(): Promise<void> {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'county/hub/cli.ts', '--port', String(this.port), ...this.args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    let err = '';
    proc.stderr?.setEncoding('utf8').on('data', (c: string) => {
      err = (err + c).slice(-4000);
      if (process.env.DRILL_VERBOSE === '1') process.stderr.write(c);
    });
    this.url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`hub ${this.index} did not start in 60 s: ${err.slice(-800)}`)), 60_000);
      proc.stdout?.setEncoding('utf8').on('data', (c: string) => {
        out += c;
        const m = /^county hub on (\S+) serving towns: /m.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`hub ${this.index} exited (${code}): ${err.slice(-800)}`));
      });
    });
    this.log(`  hub ${this.index} up on ${this.url} (pid ${proc.pid})`);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill(signal);
    });
  }
}

