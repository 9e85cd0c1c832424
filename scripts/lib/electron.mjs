// Where the Electron binary is, found without `require('electron')`: requiring the
// package starts a download when the binary is missing, which cannot work here.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { root } from './setup.mjs';

const electronDir = path.join(root, 'node_modules', 'electron');

/** The executable's path inside dist/, as electron's install.js names it. */
function platformPath() {
  switch (process.platform) {
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

/** `{ binary }` when Electron can run here, else `{ reason }` in a few words. */
export function findElectron() {
  if (!existsSync(path.join(electronDir, 'package.json'))) return { reason: 'the electron package is not installed' };
  const pathTxt = path.join(electronDir, 'path.txt');
  const rel = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : platformPath();
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? path.join(override, rel) : path.join(electronDir, 'dist', rel);
  if (existsSync(binary)) return { binary };
  return { reason: override ? `nothing at ELECTRON_OVERRIDE_DIST_PATH/${rel}` : 'no binary in node_modules/electron/dist' };
}
