// How the main process launches the data service (a utilityProcess): which replica
// file, which town, which county. Free of any 'electron' import, so it is unit-tested
// under plain Node.
//
// Process layout: main (windows, bridge) → one utilityProcess, the data service
// (replica + county link + app API). The main process never imports the county
// simulator: with no county configured, the data service starts the bundled
// simulator inside its own process (the demo) and connects to it over loopback,
// its state in county.sqlite beside the replica in userData.
import { join } from 'node:path';

export interface ServiceLaunchInput {
  /** process.argv of the main process (Chromium's own switches may be mixed in). */
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** app.getPath('userData'). */
  userData: string;
  version: string;
}

export interface ServiceLaunch {
  args: string[];
  /** Extra environment of the utilityProcess: the county token travels here, never in argv (readable by `ps`). */
  env: Record<string, string>;
  /** Said in the main process's log (a secret given where it must not be). */
  warnings: string[];
}

/** `--name value` or `--name=value` from an argv; the last one wins. */
export function argValue(argv: readonly string[], name: string): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === name) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) found = next;
    } else if (arg.startsWith(`${name}=`)) {
      found = arg.slice(name.length + 1);
    }
  }
  return found;
}

/** Flags of the Electron command line passed on to the data service as they are (paths and switches, no secrets). */
const PASSED_ON = ['--county-token-file', '--county-ca'] as const;

/**
 * The data service's arguments: `--county`/`--town` from the command line, else
 * GRIDDECK_COUNTY/_TOWN; the token only from GRIDDECK_COUNTY_TOKEN (it travels in the
 * environment) or a file (`--county-token-file`); a `--county-token` on the command
 * line is not used (every user of the machine can read it) and comes back in
 * `warnings`. Logs go to userData/logs and backups to userData/backups unless the
 * command line says otherwise.
 */
export function serviceLaunch(input: ServiceLaunchInput): ServiceLaunch {
  const args = ['--mode', 'electron', '--app-version', input.version, '--db', join(input.userData, 'replica.sqlite')];
  const county = argValue(input.argv, '--county') ?? input.env.GRIDDECK_COUNTY;
  const town = argValue(input.argv, '--town') ?? input.env.GRIDDECK_TOWN;
  const token = input.env.GRIDDECK_COUNTY_TOKEN;
  if (county) args.push('--county', county);
  if (town) args.push('--town', town);
  for (const flag of PASSED_ON) {
    const value = argValue(input.argv, flag);
    if (value !== undefined) args.push(flag, value);
  }
  if (input.argv.includes('--insecure-county')) args.push('--insecure-county');
  args.push('--log-dir', argValue(input.argv, '--log-dir') ?? join(input.userData, 'logs'));
  args.push('--backup-dir', argValue(input.argv, '--backup-dir') ?? join(input.userData, 'backups'));
  const env: Record<string, string> = {};
  if (token) env.GRIDDECK_COUNTY_TOKEN = token;
  const warnings = input.argv.some((a) => a === '--county-token' || a.startsWith('--county-token='))
    ? ['--county-token on the command line is ignored: every user of this machine can read it (ps). Use --county-token-file FILE (chmod 600) or GRIDDECK_COUNTY_TOKEN']
    : [];
  return { args, env, warnings };
}
