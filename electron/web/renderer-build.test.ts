// `npm run serve` builds the renderer first when out/renderer is missing or older than
// its sources (a new user on a fresh clone got a page asking them to run a build).
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { electronViteBin, ensureRenderer, newestSource, rendererStaleness } from './renderer-build';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const T = Date.parse('2026-12-01T08:00:00Z') / 1000;

/** A repository in miniature: renderer/, core/, the config and (optionally) a build at `builtAt`. */
function repo(builtAt: number | null): string {
  const root = mkdtempSync(join(tmpdir(), 'griddeck-renderer-build-'));
  dirs.push(root);
  const file = (path: string, at: number): void => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), 'x');
    utimesSync(join(root, path), at, at);
  };
  file('renderer/src/main.tsx', T);
  file('renderer/index.html', T);
  file('core/api/contract.ts', T);
  file('electron.vite.config.ts', T);
  if (builtAt !== null) file('out/renderer/index.html', builtAt);
  return root;
}

const touch = (root: string, path: string, at: number): void => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), 'y');
  utimesSync(join(root, path), at, at);
};

function ensure(root: string, result: string | null = null): { lines: string[]; builds: number; built: boolean } {
  const lines: string[] = [];
  let builds = 0;
  const built = ensureRenderer({
    root,
    outDir: join(root, 'out', 'renderer'),
    say: (line) => lines.push(line),
    build: () => {
      builds++;
      return result;
    },
  });
  return { lines, builds, built };
}

describe('the renderer build before serving', () => {
  it('builds when out/renderer has no index.html, saying so in one line', () => {
    const r = ensure(repo(null));
    expect(r).toMatchObject({ builds: 1, built: true });
    expect(r.lines).toEqual(['no built renderer: building it first (electron-vite build, about a minute)…']);
  });

  it('builds when a renderer or core file, or the build config, is newer than the build', () => {
    for (const path of ['renderer/src/console/Queue.tsx', 'core/events/transition.ts', 'electron.vite.config.ts']) {
      const root = repo(T + 10);
      touch(root, path, T + 20);
      const r = ensure(root);
      expect(r.builds, path).toBe(1);
      expect(r.lines).toEqual([`the renderer is older than ${path}: building it first (electron-vite build, about a minute)…`]);
    }
  });

  it('does nothing when the build is newer than every source; tests and docs do not count', () => {
    const root = repo(T + 10);
    touch(root, 'renderer/src/console/Queue.test.tsx', T + 20);
    touch(root, 'core/events/transition.test.ts', T + 20);
    touch(root, 'core/README.md', T + 20);
    touch(root, 'county/simulator/world.ts', T + 20);
    expect(ensure(root)).toEqual({ lines: [], builds: 0, built: false });
  });

  it('says when the build fails, and lets the shell go on', () => {
    const r = ensure(repo(null), 'exit code 1: error during build');
    expect(r.built).toBe(false);
    expect(r.lines[1]).toBe('the renderer build failed: exit code 1: error during build');
  });

  it('newestSource and rendererStaleness, directly', () => {
    const root = repo(T + 10);
    expect(newestSource([join(root, 'nope')])).toBeNull();
    expect(newestSource([join(root, 'core')])).toMatchObject({ file: join(root, 'core/api/contract.ts') });
    expect(rendererStaleness(join(root, 'out/renderer'), [join(root, 'renderer')])).toBeNull();
    expect(rendererStaleness(join(root, 'out/elsewhere'), [join(root, 'renderer')])).toEqual({ reason: 'missing' });
  });
});

describe('electronViteBin', () => {
  it("finds electron-vite's script in this repository, and says null where it is not installed", () => {
    const bin = electronViteBin(fileURLToPath(new URL('../../', import.meta.url)));
    expect(bin).toMatch(/electron-vite\.js$/);
    expect(existsSync(bin ?? '')).toBe(true);
    expect(electronViteBin(repo(null))).toBeNull();
  });
});
