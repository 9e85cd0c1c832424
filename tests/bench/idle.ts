// `npm run bench -- --only idle`
//
// What a screen left open costs when nothing happens but the grid workers' positions
// (issue 14: a center keeps the console and the wall open day and night, often on a
// PC without a graphics driver). The web shell on its embedded demo (the county
// simulator, workers moving, events arriving at the demo's default rate: a town's,
// about one an hour, docs/domain.md "The demo's volume"); headless Debian
// Chromium on SwiftShader, as such a PC draws WebGL; one screen at a time, logged in
// as its role, left alone after it has loaded; the CPU time of the whole browser
// (every Chromium process: renderer, GPU, network) over the window, as a share of one
// core. Baseline, in the same run and the same browser: an empty page left alone as
// long (what Chromium costs by itself). The target is absolute (under 5 % of one core)
// and judged on the screen's own cost, the browser's baseline taken off.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { io } from 'socket.io-client';
import type { BenchReport, Check, Row } from './lib/report';
import { ROOT, scratchDir } from './lib/util';
import { freePort } from '../../node-common/net';

/** A screen's own idle cost may be at most this share of one core (issue 14). */
export const IDLE_TARGET = { maxCoreShare: 0.05 };

const CLOCK_TICKS = 100; // USER_HZ on Linux

export interface IdleOptions {
  /** Seconds each screen is watched once it has loaded. */
  seconds: number;
  /** Seconds a screen is given to load and settle before the window starts. */
  settle: number;
  log?: (line: string) => void;
}

interface Screen {
  name: string;
  role: 'dispatcher' | 'viewer' | null;
  path: string;
}

const SCREENS: readonly Screen[] = [
  { name: 'an empty page (the browser alone)', role: null, path: 'about:blank' },
  { name: 'the console (dispatcher), map and queue', role: 'dispatcher', path: '/' },
  { name: 'the wall (viewer)', role: 'viewer', path: '/wall' },
];


/**
 * The CPU time (s) of the descendants of `root` (not `root` itself), from /proc, leaving
 * out the subtrees of `exclude` (the web shell, also a child of this process).
 */
export function treeCpuSeconds(root: number, exclude: readonly number[] = []): number {
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: fields count from after it.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      cpu.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended while the table was read.
    }
  }
  const inTree = (pid: number): boolean => {
    if (pid === root) return false;
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = parents.get(p) ?? 0, hops++) {
      if (exclude.includes(p)) return false;
      if (p === root) return true;
    }
    return false;
  };
  let ticks = 0;
  for (const [pid, t] of cpu) if (inTree(pid)) ticks += t;
  return ticks / CLOCK_TICKS;
}

interface Server {
  url: string;
  accounts: Map<string, string>;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startServer(dir: string, log: (line: string) => void): Promise<Server> {
  const port = await freePort();
  const child = spawn('npx', ['--no-install', 'tsx', 'electron/web/cli.ts', '--port', String(port), '--db', `${dir}/replica.sqlite`], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const accounts = new Map<string, string>();
  let url = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the web shell did not start within 180 s')), 180_000);
    child.once('exit', (code) => reject(new Error(`the web shell exited (${code})`)));
    child.stderr?.on('data', () => undefined);
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n').slice(0, -1)) {
        const listening = /GridDeck listening on (\S+)/.exec(line);
        if (listening) url = listening[1] as string;
        const account = /^demo account (\S+) \((\w+)\): (\S+)/.exec(line);
        if (account) accounts.set(account[2] as string, `${account[1]}\n${account[3]}`);
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
      if (url && accounts.has('viewer')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  log(`web shell on ${url}`);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, accounts, child, stop };
}

export async function sessionOf(server: Server, role: string): Promise<string> {
  const [username, password] = (server.accounts.get(role) ?? '').split('\n');
  const socket = io(`${server.url}/api`, { transports: ['websocket'] });
  try {
    const res = (await socket.timeout(20_000).emitWithAck('invoke', 'auth.login', { username, password })) as { ok: boolean; result?: { token: string } };
    if (!res.ok || !res.result) throw new Error(`could not log in as ${role}`);
    return res.result.token;
  } finally {
    socket.close();
  }
}

/**
 * Counts the page's animation-frame callbacks (window.__griddeckAnimationFrames): each
 * one makes the renderer run a frame's lifecycle, the cost of a page that asks for
 * frames with nothing to draw. A string, so the bundler's helpers stay out of it.
 */
const COUNT_ANIMATION_FRAMES = `(() => {
  const raf = window.requestAnimationFrame.bind(window);
  window.__griddeckAnimationFrames = 0;
  window.requestAnimationFrame = (callback) => raf((t) => { window.__griddeckAnimationFrames++; callback(t); });
})();`;

interface Watched {
  share: number;
  loaded: boolean;
  /** deck.gl frames drawn, layer rebuilds, base map frames and animation frames, per second. */
  framesPerSecond: number;
  rendersPerSecond: number;
  basemapPerSecond: number;
  animationFramesPerSecond: number;
  /** deck.gl's canvas multisampled (null: no map, or a build without the flag). */
  msaa: boolean | null;
}

/** Opens the screen, lets it settle, and returns the browser's CPU share of one core over the window. */
async function watch(browser: Browser, server: Server, screen: Screen, o: IdleOptions): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await page.addInitScript(COUNT_ANIMATION_FRAMES);
  let loaded = true;
  if (screen.role) {
    const token = await sessionOf(server, screen.role);
    await page.addInitScript((t) => sessionStorage.setItem('griddeck.session', t), token);
    await page.goto(`${server.url}${screen.path}`);
    loaded = await page
      .locator('canvas')
      .first()
      .waitFor({ timeout: 60_000 })
      .then(() => true, () => false);
  } else await page.goto(screen.path);
  await page.waitForTimeout(o.settle * 1000);
  // Chromium runs as a child of this process, beside the web shell (left out).
  const browserCpu = () => treeCpuSeconds(process.pid, server.child.pid ? [server.child.pid] : []);
  const frames = () => page.evaluate(() => {
    const w = window as { __griddeckMap?: { stats: { frames: number; renders: number; basemapFrames?: number; msaa?: boolean | null } }; __griddeckAnimationFrames?: number };
    const stats = w.__griddeckMap?.stats;
    return { frames: stats?.frames ?? 0, renders: stats?.renders ?? 0, basemap: stats?.basemapFrames ?? 0, animation: w.__griddeckAnimationFrames ?? 0, msaa: stats?.msaa ?? null };
  });
  const f0 = await frames();
  const t0 = performance.now();
  const c0 = browserCpu();
  await page.waitForTimeout(o.seconds * 1000);
  const seconds = (performance.now() - t0) / 1000;
  const share = (browserCpu() - c0) / seconds;
  const f1 = await frames();
  await context.close();
  const rate = (k: 'frames' | 'renders' | 'basemap' | 'animation'): number => (f1[k] - f0[k]) / seconds;
  return { share, loaded, framesPerSecond: rate('frames'), rendersPerSecond: rate('renders'), basemapPerSecond: rate('basemap'), animationFramesPerSecond: rate('animation'), msaa: f1.msaa };
}

const pct = (share: number): string => `${(share * 100).toFixed(1)} %`;

/** For `npm run bench`: each screen's idle CPU against the browser alone, in one run. */
export async function runIdle(o: IdleOptions): Promise<{ report: BenchReport }> {
  const log = o.log ?? (() => undefined);
  const scratch = scratchDir('idle');
  const server = await startServer(scratch.dir, log);
  const launch = { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--no-first-run'] };
  const browser = await chromium.launch(launch);
  try {
    const measured: Array<{ screen: Screen } & Watched> = [];
    for (const screen of SCREENS) {
      log(screen.name);
      measured.push({ screen, ...(await watch(browser, server, screen, o)) });
    }
    const base = measured[0]!.share;
    const rows: Row[] = measured.map((m) => ({
      name: m.screen.name,
      value: pct(m.share),
      baseline: pct(base),
      ratio: base > 0 ? `${(m.share / base).toFixed(2)}×` : '—',
      note: m.screen.role
        ? `the screen's own: ${pct(Math.max(0, m.share - base))} of one core; map ${m.framesPerSecond.toFixed(2)} frames/s, ${m.rendersPerSecond.toFixed(2)} layer builds/s, base map ${m.basemapPerSecond.toFixed(2)} frames/s${m.msaa === null ? '' : m.msaa ? ', deck.gl with MSAA' : ', deck.gl without MSAA (software WebGL)'}; page ${m.animationFramesPerSecond.toFixed(1)} animation frames/s`
        : `Chromium with nothing to draw; ${m.animationFramesPerSecond.toFixed(1)} animation frames/s`,
    }));
    const checks: Check[] = measured.slice(1).map((m) => ({
      name: `${m.screen.name}: CPU when only positions move, the browser's own cost taken off`,
      measured: `${pct(Math.max(0, m.share - base))} of one core`,
      target: `< ${pct(IDLE_TARGET.maxCoreShare)}`,
      pass: m.share - base < IDLE_TARGET.maxCoreShare,
    }));
    return {
      report: {
        name: 'idle',
        title: 'the cost of a screen left open, only the workers moving',
        setup: `${o.seconds} s per screen after ${o.settle} s to settle; 1920×1080; headless Chromium on SwiftShader; the embedded demo county at a town's volume`,
        rows,
        checks,
        verified: measured.slice(1).map((m) => `${m.loaded ? 'ok' : 'NOT LOADED'} ${m.screen.name}: its map drew`),
      },
    };
  } finally {
    await browser.close();
    await server.stop();
    scratch.cleanup();
  }
}
