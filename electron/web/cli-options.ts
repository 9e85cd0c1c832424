// Arguments of the web shell's command line (cli.ts), parsed without side effects.
import { fileURLToPath } from 'node:url';
import { parseFlags } from '../../node-common/flags';
import { TOWN_CODE_PATTERN } from '../../core/grid/codes';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliOptions {
  port: number;
  host: string;
  rendererDir: string;
  /** The replica's SQLite file. */
  db: string;
  /** The county's URL; absent: the embedded county simulator (the demo). */
  county?: string;
  countyToken?: string;
  /** The town's 9-digit code; absent: the embedded simulator's first town (required with --county). */
  town?: string;
  /** The embedded simulator's duty hours (demo only): 'always' (default) or 'day' (08:00-18:00). */
  duty?: 'day' | 'always';
}

export const DEFAULT_DB = '.griddeck/replica.sqlite';
/** electron-vite's output: the shell builds it first when missing or stale (renderer-build.ts); a --renderer folder is served as it is. */
export const DEFAULT_RENDERER = `${ROOT}out/renderer`;

export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): CliOptions {
  const v = parseFlags(argv, ['port', 'host', 'renderer', 'db', 'county', 'county-token', 'town', 'duty']);
  const options: CliOptions = {
    port: 4173,
    host: v.host ?? '127.0.0.1',
    rendererDir: v.renderer ?? DEFAULT_RENDERER,
    db: v.db ?? DEFAULT_DB,
  };
  if (v.port !== undefined) {
    const port = Number(v.port);
    if (v.port.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port: ${v.port}`);
    options.port = port;
  }
  if (v.county !== undefined) {
    if (!/^https?:\/\/[^\s/]+/.test(v.county)) throw new Error(`bad --county: ${v.county} (an http:// or https:// URL)`);
    options.county = v.county;
  }
  // The county token is a secret: the environment keeps it out of `ps` (a flag still wins).
  const token = v['county-token'] ?? env.GRIDDECK_COUNTY_TOKEN;
  if (token) options.countyToken = token;
  if (v.town !== undefined) {
    if (!TOWN_CODE_PATTERN.test(v.town)) throw new Error(`bad --town: ${v.town} (a 9-digit town code)`);
    options.town = v.town;
  }
  if (v.duty !== undefined) {
    if (v.duty !== 'day' && v.duty !== 'always') throw new Error(`bad --duty: ${v.duty} (day or always)`);
    if (v.county !== undefined) throw new Error('--duty sets the bundled simulator\'s duty hours: it has no meaning with --county');
    options.duty = v.duty;
  }
  if (options.county && !options.town) throw new Error('--county needs --town (the town\'s 9-digit code)');
  return options;
}
