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

/** The data service's arguments: `--county`/`--town`/`--county-token` from the command line, else GRIDDECK_COUNTY/_TOWN/_COUNTY_TOKEN. */
export function serviceLaunch(input: ServiceLaunchInput): ServiceLaunch {
  const args = ['--mode', 'electron', '--app-version', input.version, '--db', join(input.userData, 'replica.sqlite')];
  const county = argValue(input.argv, '--county') ?? input.env.GRIDDECK_COUNTY;
  const town = argValue(input.argv, '--town') ?? input.env.GRIDDECK_TOWN;
  const token = argValue(input.argv, '--county-token') ?? input.env.GRIDDECK_COUNTY_TOKEN;
  if (county) args.push('--county', county);
  if (town) args.push('--town', town);
  const env: Record<string, string> = {};
  if (token) env.GRIDDECK_COUNTY_TOKEN = token;
  return { args, env };
}
