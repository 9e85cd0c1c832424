// Arguments of the web shell's command line (cli.ts), parsed without side effects.
import { fileURLToPath } from 'node:url';
import { parseFlags } from '../../node-common/flags';
import { TOWN_CODE_PATTERN } from '../../core/grid/codes';
import { TOKEN_IN_ARGV } from '../service/options';
import { checkLanName } from './hosts';

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
  /** The county link's token file, private CA and drill switch (electron/service/link/county-connection.ts). */
  countyTokenFile?: string;
  countyCa?: string;
  insecureCounty?: boolean;
  /** The town's 9-digit code; absent: the embedded simulator's first town (required with --county). */
  town?: string;
  /** The embedded simulator's duty hours (demo only): 'always' (default) or 'day' (08:00-18:00). */
  duty?: 'day' | 'always';
  /** The embedded simulator's volume (demo only): 'town' (default) or 'heavy' (`--demo-load`, GRIDDECK_DEMO_LOAD). */
  demoLoad?: 'town' | 'heavy';
  /** Names the LAN screens reach the shell by (`--lan-name`, repeatable; GRIDDECK_LAN_NAMES, comma-separated). */
  lanNames: string[];
  /** The operator's certificate and key (PEM files) for HTTPS on the LAN; absent: the shell makes and keeps its own. */
  cert?: string;
  key?: string;
  /** Socket.IO connections one remote address may hold at once. */
  maxConnections?: number;
}

export const DEFAULT_DB = '.griddeck/replica.sqlite';
/** electron-vite's output: the shell builds it first when missing or stale (renderer-build.ts); a --renderer folder is served as it is. */
export const DEFAULT_RENDERER = `${ROOT}out/renderer`;

/** Takes the repeatable `--lan-name NAME` (or `--lan-name=NAME`) out of argv; the rest goes to parseFlags. */
function splitLanNames(argv: readonly string[]): { names: string[]; rest: string[] } {
  const names: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--lan-name=')) names.push(arg.slice('--lan-name='.length));
    else if (arg === '--lan-name') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new Error('--lan-name needs a value');
      names.push(value);
    } else rest.push(arg);
  }
  return { names, rest };
}

export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): CliOptions {
  if (argv.some((a) => a === '--county-token' || a.startsWith('--county-token='))) throw new Error(TOKEN_IN_ARGV);
  const insecureCounty = argv.includes('--insecure-county');
  const { names, rest } = splitLanNames(argv.filter((a) => a !== '--insecure-county'));
  const v = parseFlags(rest, ['port', 'host', 'renderer', 'db', 'county', 'county-token-file', 'county-ca', 'town', 'duty', 'demo-load', 'cert', 'key', 'max-connections']);
  const fromEnv = (env.GRIDDECK_LAN_NAMES ?? '').split(/[\s,]+/).filter((n) => n !== '');
  const options: CliOptions = {
    port: 4173,
    host: v.host ?? '127.0.0.1',
    rendererDir: v.renderer ?? DEFAULT_RENDERER,
    db: v.db ?? DEFAULT_DB,
    lanNames: [...new Set([...names, ...fromEnv].map(checkLanName))],
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
  // The county token is a secret: a file or the environment keeps it out of `ps`.
  if (env.GRIDDECK_COUNTY_TOKEN) options.countyToken = env.GRIDDECK_COUNTY_TOKEN;
  if (v['county-token-file'] !== undefined) options.countyTokenFile = v['county-token-file'];
  if (v['county-ca'] !== undefined) options.countyCa = v['county-ca'];
  if (insecureCounty) options.insecureCounty = true;
  if (v.town !== undefined) {
    if (!TOWN_CODE_PATTERN.test(v.town)) throw new Error(`bad --town: ${v.town} (a 9-digit town code)`);
    options.town = v.town;
  }
  if (v.duty !== undefined) {
    if (v.duty !== 'day' && v.duty !== 'always') throw new Error(`bad --duty: ${v.duty} (day or always)`);
    if (v.county !== undefined) throw new Error('--duty sets the bundled simulator\'s duty hours: it has no meaning with --county');
    options.duty = v.duty;
  }
  if (v['demo-load'] !== undefined && v.county !== undefined) throw new Error('--demo-load sets the bundled simulator\'s volume: it has no meaning with --county');
  // The environment's load applies to the demo only: a shell on a real county ignores it.
  const demoLoad = v['demo-load'] ?? (v.county === undefined ? env.GRIDDECK_DEMO_LOAD : undefined);
  if (demoLoad !== undefined) {
    if (demoLoad !== 'town' && demoLoad !== 'heavy') throw new Error(`bad ${v['demo-load'] !== undefined ? '--demo-load' : 'GRIDDECK_DEMO_LOAD'}: ${demoLoad} (town or heavy)`);
    options.demoLoad = demoLoad;
  }
  if (options.county && !options.town) throw new Error('--county needs --town (the town\'s 9-digit code)');
  if ((v.cert === undefined) !== (v.key === undefined)) throw new Error('--cert and --key go together');
  if (v.cert !== undefined && v.key !== undefined) {
    options.cert = v.cert;
    options.key = v.key;
  }
  if (v['max-connections'] !== undefined) {
    const n = Number(v['max-connections']);
    if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new Error(`bad --max-connections: ${v['max-connections']} (1 to 10000)`);
    options.maxConnections = n;
  }
  return options;
}
