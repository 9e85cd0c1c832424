// Install steps shared by `npm start` and `npm test`. Plain Node, no dependencies:
// these run on a fresh clone before node_modules exists.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
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
 * Debian's Chromium and CJK fonts for the browser tests and the web shell
 * (Playwright's own browser download cannot work on these machines).
 */
export function ensureChromium() {
  const haveFonts = spawnSync('sh', ['-c', 'fc-list 2>/dev/null | grep -qi "Noto Sans CJK"']).status === 0;
  if (existsSync(CHROMIUM) && haveFonts) return true;
  if (process.getuid?.() !== 0) {
    console.error(`✗ ${CHROMIUM} or fonts-noto-cjk is missing; install them with: sudo apt-get install -y chromium fonts-noto-cjk`);
    return false;
  }
  console.log('▶ installing Debian chromium and fonts-noto-cjk (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-q'], { env });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium', 'fonts-noto-cjk'], { env });
  return existsSync(CHROMIUM);
}
