// npm run dist: the installable packages (electron-builder.yml). On Linux: deb and
// AppImage (x64, and arm64 when Electron's arm64 build can be downloaded); on Windows:
// the NSIS installer. electron-builder needs Electron's own binary for each target; when
// this machine cannot have it (no binary installed, none in the cache, no network), this
// says why in one line and builds nothing, instead of failing deep inside a download.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { findElectron } from './lib/electron.mjs';
import { root } from './lib/setup.mjs';

const version = JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const platform = process.platform === 'win32' ? 'win32' : 'linux';
const zip = (arch) => `electron-v${version}-${platform}-${arch}.zip`;

function cacheDir() {
  if (process.env.ELECTRON_CACHE) return process.env.ELECTRON_CACHE;
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA ?? homedir(), 'electron', 'Cache');
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'electron');
}

/** Whether Electron's download site answers for this zip (a HEAD request, bounded). */
async function downloadable(arch) {
  const mirror = (process.env.ELECTRON_MIRROR ?? 'https://github.com/electron/electron/releases/download/').replace(/\/*$/, '/');
  const url = `${mirror}v${version}/${zip(arch)}`;
  try {
    const response = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(8_000) });
    return response.ok ? { ok: true } : { ok: false, why: `${new URL(url).host} answered ${response.status}` };
  } catch (error) {
    return { ok: false, why: `${new URL(url).host} is unreachable (${error?.cause?.code ?? error?.name ?? error})` };
  }
}

/** The archs whose Electron binary can be had, with how; or the one-line reason none can. */
async function available() {
  const host = process.arch === 'arm64' ? 'arm64' : 'x64';
  const archs = platform === 'win32' ? ['x64'] : ['x64', 'arm64'];
  const found = [];
  let why = '';
  for (const arch of archs) {
    if (existsSync(path.join(cacheDir(), zip(arch)))) found.push(arch);
    else {
      const net = await downloadable(arch);
      if (net.ok) found.push(arch);
      else why = net.why;
    }
  }
  if (found.length > 0) return { archs: found };
  const local = findElectron();
  if (local.binary && archs.includes(host)) return { archs: [host], electronDist: path.dirname(local.binary) };
  return { reason: `the Electron ${version} binary cannot be had here: ${local.reason ?? 'no local build'}, no ${zip('x64')} in ${cacheDir()}, and ${why}` };
}

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const can = await available();
if (can.reason) {
  console.log(`npm run dist: no ${platform === 'win32' ? 'Windows installer' : 'Linux packages'} built: ${can.reason}.`);
  process.exit(0);
}
const bin = (name) => path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
run(bin('electron-vite'), ['build']);
run(bin('electron-builder'), [
  platform === 'win32' ? '--win' : '--linux',
  ...can.archs.map((a) => `--${a}`),
  ...(can.electronDist ? [`-c.electronDist=${can.electronDist}`] : []),
]);
