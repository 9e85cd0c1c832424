// Install steps shared by `npm start` and `npm test`. Plain Node, no dependencies:
// these run on a fresh clone before node_modules exists.
import { existsSync, statSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Run a command in the repository root, inheriting stdio; exit the process on failure. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\n✗ ${[cmd, ...args].join(' ')} failed (${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
  return r;
}

/**
 * Commands side by side (`jobs`: { title, cmd, args }), each one's output held and printed
 * whole when it ends, so two logs never interleave. Exits like `run` when any fails, after
 * all have ended. On these two-core machines the type-check, the lint and the build are
 * each single-threaded: together they take the time of the longest, not of the sum.
 */
export async function runSideBySide(jobs) {
  const started = Date.now();
  const ended = await Promise.all(jobs.map((job) => new Promise((resolve) => {
    const proc = spawn(job.cmd, job.args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (c) => (out += c));
    proc.stderr.on('data', (c) => (out += c));
    proc.on('error', (e) => resolve({ job, code: 1, out: `${out}${e.message}\n` }));
    proc.on('close', (code, signal) => {
      const r = { job, code: code ?? 1, signal, out };
      console.log(`\n── ${job.title}: ${r.code === 0 ? 'ok' : 'FAILED'} after ${((Date.now() - started) / 1000).toFixed(0)} s`);
      if (out.trim() !== '') process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
      resolve(r);
    });
  })));
  const failed = ended.filter((r) => r.code !== 0);
  for (const r of failed) console.error(`\n✗ ${[r.job.cmd, ...r.job.args].join(' ')} failed (${r.signal ?? r.code})`);
  if (failed.length > 0) process.exit(failed[0].code || 1);
}

/** `npm ci` when node_modules is missing or older than the lockfile. */
export function ensureNodeModules() {
  const lock = path.join(root, 'package-lock.json');
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('▶ installing npm packages (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Debian packages a test needs, installed with apt-get when one is missing (as root;
 * otherwise the command to run is printed). `needs`: { pkg, present() }.
 * Returns whether every package is present afterwards.
 */
export function ensureDebian(needs) {
  const missing = needs.filter((n) => !n.present());
  if (missing.length === 0) return true;
  const pkgs = missing.map((n) => n.pkg);
  if (process.getuid?.() !== 0) {
    console.error(`✗ missing Debian packages; install them with: sudo apt-get install -y ${pkgs.join(' ')}`);
    return false;
  }
  console.log(`▶ installing ${pkgs.join(', ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-q'], { env });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], { env });
  return needs.every((n) => n.present());
}

const onPath = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

/**
 * Debian's Chromium and CJK fonts for the browser tests and the web shell
 * (Playwright's own browser download cannot work on these machines), and poppler's
 * pdftoppm/pdftotext, with which the tests read back the PDFs GridDeck files.
 */
export function ensureChromium() {
  return ensureDebian([
    { pkg: 'chromium', present: () => existsSync(CHROMIUM) },
    { pkg: 'fonts-noto-cjk', present: () => spawnSync('sh', ['-c', 'fc-list 2>/dev/null | grep -qi "Noto Sans CJK"']).status === 0 },
    { pkg: 'poppler-utils', present: () => onPath('pdftoppm') && onPath('pdftotext') },
  ]);
}

/**
 * PostgreSQL 15 and Redis 7 from Debian's packages, for the county hub's tests and drill
 * (tests/hub/servers.ts starts them on free loopback ports in temporary folders). The
 * servers are only started by the tests, never as system services.
 */
export function ensureHubServers() {
  return ensureDebian([
    { pkg: 'postgresql-15', present: () => existsSync('/usr/lib/postgresql/15/bin/initdb') && existsSync('/usr/lib/postgresql/15/bin/pg_ctl') },
    { pkg: 'redis-server', present: () => existsSync('/usr/bin/redis-server') },
  ]);
}
