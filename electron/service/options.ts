// Command-line options of the data service's entries (cli.ts standalone, main.ts in a
// utilityProcess), parsed without side effects. Secrets may come from the
// environment instead of the command line, where other users of the machine could
// read them (`ps`): GRIDDECK_COUNTY_TOKEN.
import { TOWN_CODE_PATTERN } from '../../core/grid/codes';

export interface ServiceArgs {
  /** The replica's SQLite file. */
  db?: string;
  /** The town's 9-digit code; defaults to the embedded simulator's first town. */
  town?: string;
  /** The county's URL; absent: the embedded county simulator (demo). */
  county?: string;
  countyToken?: string;
  mode: 'electron' | 'web';
  appVersion?: string;
}

const VALUE_FLAGS = ['--db', '--town', '--county', '--county-token', '--mode', '--app-version'] as const;

/** `--flag value` or `--flag=value`; throws on an unknown flag or a missing value. */
export function parseServiceArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): ServiceArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
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
  set('countyToken', values.get('--county-token') ?? env.GRIDDECK_COUNTY_TOKEN);
  set('appVersion', values.get('--app-version'));
  return args;
}
