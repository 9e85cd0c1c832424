// `npm run serve` on a fresh clone, or after a pull, would serve no page or yesterday's:
// the web shell serves the built renderer (out/renderer), which only `npm run build`
// (electron-vite) makes. So before it serves the default build folder, the shell checks
// it against its sources (renderer/ and the core/ it bundles) and builds it first when
// it is missing or older. A folder given with --renderer is served as it is.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Why the built renderer must be built again, or null when it is current. */
export type Staleness = { reason: 'missing' } | { reason: 'older'; newer: string } | null;

/** Files whose change does not change the bundle: tests and what lies beside the code. */
const IGNORED = /(\.test\.tsx?|\.md)$/;

/** The newest file of `paths` (files, and folders walked; tests ignored), or null when there is none. */
export function newestSource(paths: readonly string[]): { file: string; mtimeMs: number } | null {
  let newest: { file: string; mtimeMs: number } | null = null;
  const consider = (file: string, mtimeMs: number): void => {
    if (!newest || mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  };
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !IGNORED.test(entry.name)) consider(path, statSync(path).mtimeMs);
    }
  };
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) walk(path);
    else consider(path, stat.mtimeMs);
  }
  return newest;
}

/** Is `outDir/index.html` missing, or older than any source file? */
export function rendererStaleness(outDir: string, sources: readonly string[]): Staleness {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return { reason: 'missing' };
  const built = statSync(index).mtimeMs;
  const newest = newestSource(sources);
  return newest && newest.mtimeMs > built ? { reason: 'older', newer: newest.file } : null;
}

/** The source folders and files of the renderer's bundle, under the repository's root. */
export function rendererSources(root: string): string[] {
  return [join(root, 'renderer'), join(root, 'core'), join(root, 'electron.vite.config.ts')];
}

export interface EnsureRendererOptions {
  root: string;
  outDir: string;
  /** One line for the operator (stdout). */
  say(line: string): void;
  /** Builds; returns null on success, else the reason. Default: `electron-vite build` in root. */
  build?: () => string | null;
}

/**
 * Builds the renderer first when it is missing or older than its sources, saying so in
 * one line. A failed build is said too; the shell then serves what there is (the API
 * answers anyway). Returns true when it built.
 */
export function ensureRenderer(options: EnsureRendererOptions): boolean {
  const stale = rendererStaleness(options.outDir, rendererSources(options.root));
  if (!stale) return false;
  const why = stale.reason === 'missing' ? 'no built renderer' : `the renderer is older than ${relative(options.root, stale.newer)}`;
  options.say(`${why}: building it first (electron-vite build, about a minute)…`);
  const failure = (options.build ?? (() => electronViteBuild(options.root)))();
  if (failure) options.say(`the renderer build failed: ${failure}`);
  return failure === null;
}

function relative(root: string, file: string): string {
  return file.startsWith(root) ? file.slice(root.length).replace(/^[/\\]/, '') : file;
}

/** electron-vite's command-line script, found from its package.json as npm does (the package exports no bin path); null when not installed. */
export function electronViteBin(root: string): string | null {
  try {
    const manifest = createRequire(join(root, 'package.json')).resolve('electron-vite/package.json');
    const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: Record<string, string> }).bin?.['electron-vite'];
    return bin ? join(dirname(manifest), bin) : null;
  } catch {
    return null;
  }
}

/** `electron-vite build` in root, its output kept out of the shell's own lines; the last lines of it on failure. */
export function electronViteBuild(root: string): string | null {
  const bin = electronViteBin(root);
  if (!bin) return 'electron-vite is not installed (npm ci)';
  const run = spawnSync(process.execPath, [bin, 'build'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (run.status === 0) return null;
  const tail = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(-5).join(' | ');
  return run.error ? run.error.message : `exit code ${run.status}${tail ? `: ${tail}` : ''}`;
}
