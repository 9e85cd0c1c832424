// `npm start`: install if needed, build, then run the desktop app in Electron;
// where no Electron binary can be had (no route to its release host), say so in
// one line and run the same app as the web shell, in Chromium when there is one.
//
//   npm start                 Electron, or the web shell as a fallback
//   npm start -- --web        the web shell even where Electron exists
//   npm start -- --port 5000  the web shell's port (default 4173)
//   npm start -- --wall       passed to Electron: the wall window on the primary display
//   npm start -- --county URL --town CODE
//                             a real county platform (token in GRIDDECK_COUNTY_TOKEN); without
//                             them the data service runs the bundled county simulator (the demo:
//                             live events and patrolling grid workers of 古培镇)
//   npm start -- --demo-load heavy
//                             the demo at a city's volume (12 events an hour instead of a town's 1;
//                             docs/domain.md "The demo's volume"); also GRIDDECK_DEMO_LOAD=heavy
//   npm start -- --db FILE    the web shell's replica file (default .griddeck/replica.sqlite;
//                             Electron keeps its replica in its userData folder)
//
// Plain Node, no dependencies: it runs on a fresh clone before node_modules exists.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureNodeModules, root, run } from './lib/setup.mjs';
import { findElectron } from './lib/electron.mjs';
import { bindingPath, ensureElectronSqlite } from './lib/electron-sqlite.mjs';

const WEB_PORT_DEFAULT = 4173;
const INSTALL_TIMEOUT_MS = 60_000;
const isWindows = process.platform === 'win32';

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const options = { port: WEB_PORT_DEFAULT, web: false, electronArgs: [], webArgs: ['--db', path.join(root, '.griddeck', 'replica.sqlite')] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--county' || arg === '--town' || arg === '--db') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) {
        console.error(`✗ ${arg} needs a value`);
        process.exit(2);
      }
      if (arg === '--db') options.webArgs[1] = path.resolve(value);
      else {
        options.webArgs.push(arg, value);
        options.electronArgs.push(`${arg}=${value}`);
      }
    } else if (arg === '--port') {
      const port = Number(argv[++i]);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        console.error(`✗ --port needs a port number (got ${argv[i]})`);
        process.exit(2);
      }
      options.port = port;
    } else if (arg === '--demo-load') {
      const value = argv[++i];
      if (value !== 'town' && value !== 'heavy') {
        console.error(`✗ --demo-load needs town or heavy (got ${value})`);
        process.exit(2);
      }
      // Both the web shell and Electron's data service read it from their environment.
      process.env.GRIDDECK_DEMO_LOAD = value;
    } else if (arg === '--web') {
      options.web = true;
    } else {
      options.electronArgs.push(arg);
    }
  }
  return options;
}

// ---------------------------------------------------------------- Electron binary
// findElectron: scripts/lib/electron.mjs
const electronDir = path.join(root, 'node_modules', 'electron');

/** One short phrase out of the installer's output. */
function installFailure(result) {
  if (result.error?.code === 'ETIMEDOUT') return `download timed out after ${INSTALL_TIMEOUT_MS / 1000} s`;
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  const dns = /getaddrinfo (ENOTFOUND|EAI_AGAIN) ([\w.-]+)/.exec(output);
  if (dns) return `cannot resolve ${dns[2]}`;
  const net = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|CERT_\w+)\b/.exec(output);
  if (net) return `download failed: ${net[1]}`;
  const error = /^\w*Error: (.+)$/m.exec(output);
  if (error) return `download failed: ${error[1].slice(0, 80)}`;
  return `installer exited with ${result.status ?? result.signal}`;
}

/** Tries electron's own installer once, bounded, its output captured. */
function tryInstallElectron() {
  const installer = path.join(electronDir, 'install.js');
  if (!existsSync(installer)) return { reason: 'the electron package has no installer' };
  const result = spawnSync(process.execPath, [installer], {
    cwd: root,
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
    killSignal: 'SIGKILL',
  });
  const found = findElectron();
  return found.binary ? found : { reason: installFailure(result) };
}

// ---------------------------------------------------------------- child processes

const children = new Set();
let stopping = false;

function track(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  const deadline = setTimeout(() => {
    for (const child of children) child.kill('SIGKILL');
    process.exit(code);
  }, 4000);
  deadline.unref();
  const check = setInterval(() => {
    if (children.size === 0) {
      clearInterval(check);
      process.exit(code);
    }
  }, 50);
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

function runElectron(binary, args, env) {
  const extra = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  if (extra.length) console.log('(running as root: Electron needs --no-sandbox)');
  const child = track(spawn(binary, [...extra, '.', ...args], { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }));
  child.on('exit', (code, signal) => stopAll(code ?? (signal ? 1 : 0)));
}

// ---------------------------------------------------------------- web shell + Chromium

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

function findChromium() {
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    const found = onPath(name);
    if (found) return found;
  }
  return null;
}

const hasDisplay = () => process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

function openChromium(chromium, url) {
  const args = [
    `--app=${url}`,
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // Its own profile: never attach to (and never disturb) the user's running browser.
    `--user-data-dir=${path.join(tmpdir(), 'griddeck-chromium')}`,
  ];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const child = track(spawn(chromium, args, { stdio: 'ignore' }));
  child.on('error', (error) => console.error(`✗ could not start ${chromium}: ${error.message}; open ${url} in a browser.`));
  // Closing the window ends the session, as closing the Electron window would.
  child.on('exit', () => stopAll(0));
}

function runWebShell(port, webArgs) {
  // The full demo: the data service with its replica and, unless --county is given, the bundled county simulator.
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', 'electron/web/cli.ts', '--port', String(port), '--host', '127.0.0.1', ...webArgs], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  let opened = false;
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (opened) return;
    buffer += chunk;
    const match = /GridDeck listening on (\S+)/.exec(buffer);
    if (!match) return;
    opened = true;
    const url = match[1];
    const chromium = findChromium();
    if (chromium && hasDisplay()) openChromium(chromium, url);
    else console.log(`Open ${url} in a browser (${chromium ? 'no display here' : 'no Chromium found'}). Ctrl-C stops.`);
  });
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`✗ the web shell stopped (${code ?? signal})`);
    stopAll(code ?? 0);
  });
}

// ---------------------------------------------------------------- main

const options = parseArgs(process.argv.slice(2));

ensureNodeModules();
console.log('▶ building (electron-vite build)');
run(isWindows ? 'npx.cmd' : 'npx', ['--no-install', 'electron-vite', 'build'], { shell: isWindows });

if (options.web) {
  runWebShell(options.port, options.webArgs);
} else {
  let electron = findElectron();
  if (!electron.binary && existsSync(electronDir)) electron = tryInstallElectron();
  // Electron's data service needs better-sqlite3 built for Electron's Node (lib/electron-sqlite.mjs).
  let sqlite = null;
  if (electron.binary && hasDisplay()) {
    const version = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
    if (!existsSync(bindingPath(root, version))) console.log(`▶ building the SQLite module for Electron ${version} (once)`);
    sqlite = ensureElectronSqlite(root, version);
  }
  if (electron.binary && hasDisplay() && sqlite?.binding) {
    runElectron(electron.binary, options.electronArgs, { GRIDDECK_SQLITE_BINDING: sqlite.binding });
  } else if (electron.binary && hasDisplay()) {
    console.log(`${sqlite?.reason ?? 'better-sqlite3 could not be built for Electron'}; starting the web shell instead.`);
    runWebShell(options.port, options.webArgs);
  } else {
    console.log(
      electron.binary
        ? 'Electron cannot open a window here (DISPLAY and WAYLAND_DISPLAY are unset); starting the web shell instead.'
        : `Electron binary not available here (${electron.reason}); starting the web shell in Chromium instead.`,
    );
    runWebShell(options.port, options.webArgs);
  }
}
