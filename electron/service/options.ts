// Command-line options of the data service's entries (cli.ts standalone, main.ts in a
// utilityProcess), parsed without side effects. The county token never comes from the
// command line, where other users of the machine could read it (`ps`): it is read from
// a file (--county-token-file, owner-only) or the environment (GRIDDECK_COUNTY_TOKEN);
// an old `--county-token` is refused with that advice.
import { TOWN_CODE_PATTERN } from '../../core/grid/codes';

export interface ServiceArgs {
  /** The replica's SQLite file. */
  db?: string;
  /** The town's 9-digit code; defaults to the embedded simulator's first town. */
  town?: string;
  /** The county's URL; absent: the embedded county simulator (demo). */
  county?: string;
  countyToken?: string;
  /** A file holding the county token (checked and read when the service opens: county-connection.ts). */
  countyTokenFile?: string;
  /** A PEM file of the private CA the county's certificate is checked against. */
  countyCa?: string;
  /** Plain http:// to a county that is not on loopback (a lab drill): warned about in the log. */
  insecureCounty?: boolean;
  /** The folder of the log files; default: `logs/` beside the replica. */
  logDir?: string;
  /** The folder of the replica's backups; default: `backups/` beside the replica. */
  backupDir?: string;
  mode: 'electron' | 'web';
  appVersion?: string;
}

const VALUE_FLAGS = ['--db', '--town', '--county', '--county-token-file', '--county-ca', '--log-dir', '--backup-dir', '--mode', '--app-version'] as const;
const BOOLEAN_FLAGS = ['--insecure-county'] as const;

/** Said when someone still passes the token on the command line. */
export const TOKEN_IN_ARGV =
  '--county-token is not accepted: every user of this machine can read a command line (ps). Put the token in a file only you can read (chmod 600) and pass --county-token-file FILE, or set GRIDDECK_COUNTY_TOKEN';

/** `--flag value` or `--flag=value`; throws on an unknown flag or a missing value. */
export function parseServiceArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ServiceArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === '--county-token') throw new Error(TOKEN_IN_ARGV);
    if ((BOOLEAN_FLAGS as readonly string[]).includes(flag) && eq < 0) {
      values.set(flag, 'true');
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) throw new Error(`unknown option: ${arg}`);
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
      i++;
    }
    values.set(flag, value);
  }
  const town = values.get('--town') ?? env.GRIDDECK_TOWN;
  if (town !== undefined && !TOWN_CODE_PATTERN.test(town)) throw new Error(`bad --town: ${town} (a 9-digit town code)`);
  const county = values.get('--county') ?? env.GRIDDECK_COUNTY;
  if (county !== undefined && !/^https?:\/\/[^\s/]+/.test(county)) throw new Error(`bad --county: ${county} (an http:// or https:// URL)`);
  const mode = values.get('--mode') ?? 'web';
  if (mode !== 'electron' && mode !== 'web') throw new Error(`bad --mode: ${mode}`);
  const args: ServiceArgs = { mode };
  const set = <K extends keyof ServiceArgs>(key: K, value: ServiceArgs[K] | undefined): void => {
    if (value !== undefined) args[key] = value;
  };
  set('db', values.get('--db') ?? env.GRIDDECK_DB);
  set('town', town);
  set('county', county);
  set('countyToken', env.GRIDDECK_COUNTY_TOKEN || undefined);
  set('countyTokenFile', values.get('--county-token-file') ?? env.GRIDDECK_COUNTY_TOKEN_FILE);
  set('countyCa', values.get('--county-ca') ?? env.GRIDDECK_COUNTY_CA);
  if (values.has('--insecure-county') || env.GRIDDECK_INSECURE_COUNTY === '1') args.insecureCounty = true;
  set('logDir', values.get('--log-dir') ?? env.GRIDDECK_LOG_DIR);
  set('backupDir', values.get('--backup-dir') ?? env.GRIDDECK_BACKUP_DIR);
  set('appVersion', values.get('--app-version'));
  return args;
}

/** The data service's options (data-service.ts) that come from the arguments, shared by cli.ts and main.ts. */
export function serviceOptionsOf(args: ServiceArgs): Omit<ServiceArgs, 'db' | 'appVersion'> & { version?: string } {
  const { db: _db, appVersion, ...rest } = args;
  return { ...rest, ...(appVersion !== undefined ? { version: appVersion } : {}) };
}
