// scripts/lib/electron-sqlite.mjs: better-sqlite3 built for Electron beside the Node build.
// The real download or compile cannot run here (no route to the hosts); the runner is
// injected, and what it does to the work folder stands for prebuild-install or node-gyp.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bindingPath, ensureElectronSqlite } from './lib/electron-sqlite.mjs';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function fakeRoot(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'griddeck-esqlite-'));
  roots.push(root);
  const pkg = path.join(root, 'node_modules', 'better-sqlite3');
  mkdirSync(path.join(pkg, 'build', 'Release'), { recursive: true });
  mkdirSync(path.join(pkg, 'src'), { recursive: true });
  writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.8.0' }));
  writeFileSync(path.join(pkg, 'src', 'better_sqlite3.cpp'), '// source');
  writeFileSync(path.join(pkg, 'build', 'Release', 'better_sqlite3.node'), 'NODE-ABI BUILD');
  for (const tool of [['prebuild-install', 'bin.js'], ['node-gyp', path.join('bin', 'node-gyp.js')]] as const) {
    mkdirSync(path.dirname(path.join(root, 'node_modules', tool[0], tool[1])), { recursive: true });
    writeFileSync(path.join(root, 'node_modules', tool[0], tool[1]), '');
  }
  return root;
}

const produce = (cwd: string, content: string): void => {
  mkdirSync(path.join(cwd, 'build', 'Release'), { recursive: true });
  writeFileSync(path.join(cwd, 'build', 'Release', 'better_sqlite3.node'), content);
};

describe('better-sqlite3 for Electron', () => {
  it('takes the prebuilt binary, keeps it per version, and leaves node_modules alone', () => {
    const root = fakeRoot();
    const calls: string[] = [];
    const run = (_node: string, args: string[], cwd: string) => {
      calls.push(path.basename(args[0]!));
      // The work folder is a copy of the package without its Node build.
      expect(existsSync(path.join(cwd, 'src', 'better_sqlite3.cpp'))).toBe(true);
      expect(existsSync(path.join(cwd, 'build'))).toBe(false);
      expect(args).toEqual(expect.arrayContaining(['--runtime', 'electron', '--target', '45.5.0']));
      produce(cwd, 'ELECTRON-ABI BUILD');
      return { ok: true, output: '' };
    };
    const got = ensureElectronSqlite(root, '45.5.0', run);
    expect(got).toEqual({ binding: bindingPath(root, '45.5.0') });
    expect(got.binding).toContain(`better-sqlite3-12.8.0-electron-45.5.0-${process.platform}-${process.arch}`);
    expect(readFileSync(got.binding!, 'utf8')).toBe('ELECTRON-ABI BUILD');
    expect(readFileSync(path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), 'utf8')).toBe('NODE-ABI BUILD');
    expect(calls).toEqual(['bin.js']);
    // Once built, nothing runs again.
    expect(ensureElectronSqlite(root, '45.5.0', () => ({ ok: false, output: 'must not run' }))).toEqual(got);
  });

  it('compiles against Electron’s headers when no prebuilt binary can be downloaded', () => {
    const root = fakeRoot();
    const calls: string[] = [];
    const got = ensureElectronSqlite(root, '45.5.0', (_node, args, cwd) => {
      calls.push(path.basename(args[0]!));
      if (args[0]!.endsWith('bin.js')) return { ok: false, output: 'prebuild-install warn install No prebuilt binaries found' };
      expect(args).toEqual(expect.arrayContaining(['rebuild', '--runtime=electron', '--target=45.5.0']));
      produce(cwd, 'COMPILED');
      return { ok: true, output: '' };
    });
    expect(calls).toEqual(['bin.js', 'node-gyp.js']);
    expect(readFileSync(got.binding!, 'utf8')).toBe('COMPILED');
  });

  it('says why in a few words when neither works, and leaves no half-built file', () => {
    const root = fakeRoot();
    const got = ensureElectronSqlite(root, '45.5.0', (_node, args) => ({ ok: false, output: args[0]!.endsWith('bin.js') ? 'getaddrinfo ENOTFOUND github.com' : 'gyp ERR! stack Error: 404 response downloading headers' }));
    expect(got.binding).toBeUndefined();
    expect(got.reason).toMatch(/^better-sqlite3 could not be built for Electron 45\.5\.0 \(prebuild-install: getaddrinfo ENOTFOUND github\.com; node-gyp: gyp ERR!.*404/);
    expect(existsSync(bindingPath(root, '45.5.0'))).toBe(false);
    expect(existsSync(path.join(path.dirname(bindingPath(root, '45.5.0')), 'work'))).toBe(false);
  });
});
