// better-sqlite3 for Electron's own Node (another ABI than the Node that runs npm and
// the tests). The copy in node_modules stays built for Node, which the web shell, the
// tests and the benchmarks load; Electron's data service loads a second build of the
// same version, kept under .griddeck/native/, through better-sqlite3's `nativeBinding`
// option (GRIDDECK_SQLITE_BINDING). Built once per Electron version: the prebuilt binary
// for Electron when one can be downloaded (prebuild-install, as better-sqlite3's own
// install does), else compiled against Electron's headers (node-gyp).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const BINARY = path.join('build', 'Release', 'better_sqlite3.node');

/** Where the Electron build of better-sqlite3 lives for this Electron version, platform and arch. */
export function bindingPath(root, electronVersion, platform = process.platform, arch = process.arch) {
  const sqliteVersion = JSON.parse(readFileSync(path.join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')).version;
  return path.join(root, '.griddeck', 'native', `better-sqlite3-${sqliteVersion}-electron-${electronVersion}-${platform}-${arch}`, 'better_sqlite3.node');
}

const defaultRun = (command, args, cwd) => {
  const r = spawnSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 10 * 60_000 });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
};

/**
 * `{ binding }`: the path of better-sqlite3 built for this Electron, building it when
 * missing; `{ reason }` when it cannot be had (no route to the prebuilt binaries and no
 * compiler or headers), in a few words. `run` is for tests.
 */
export function ensureElectronSqlite(root, electronVersion, run = defaultRun) {
  const target = bindingPath(root, electronVersion);
  if (existsSync(target)) return { binding: target };
  const source = path.join(root, 'node_modules', 'better-sqlite3');
  const work = path.join(path.dirname(target), 'work');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // A copy without the Node build, so nothing of node_modules is touched.
  cpSync(source, work, { recursive: true, filter: (from) => !from.startsWith(path.join(source, 'build')) });
  const node = process.execPath;
  const tries = [
    ['prebuild-install', path.join(root, 'node_modules', 'prebuild-install', 'bin.js'), ['--runtime', 'electron', '--target', electronVersion, '--arch', process.arch]],
    ['node-gyp', path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'), ['rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers']],
  ];
  const failures = [];
  for (const [name, script, args] of tries) {
    if (!existsSync(script)) {
      failures.push(`${name} missing`);
      continue;
    }
    const r = run(node, [script, ...args], work);
    if (r.ok && existsSync(path.join(work, BINARY))) {
      cpSync(path.join(work, BINARY), target);
      rmSync(work, { recursive: true, force: true });
      return { binding: target };
    }
    failures.push(`${name}: ${(r.output.split('\n').filter(Boolean).pop() ?? 'failed').slice(0, 120)}`);
  }
  rmSync(work, { recursive: true, force: true });
  return { reason: `better-sqlite3 could not be built for Electron ${electronVersion} (${failures.join('; ')})` };
}
