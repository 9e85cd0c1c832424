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
import * as z from 'zod';
import { TOWN_CODE_PATTERN } from '../../core/grid/codes';

/**
 * The installed app's settings file, `<userData>/settings.json` (docs/operations.md): what
 * a town configures once. The command line and the environment win over it. No secret in
 * it: the token stays in its own owner-only file (`countyTokenFile`).
 */
export const AppSettingsSchema = z.strictObject({
  /** The county's https:// URL. */
  county: z.string().url().optional(),
  /** The town's 9-digit code. */
  town: z.string().regex(TOWN_CODE_PATTERN).optional(),
  /** PEM of the county's private CA. */
  countyCa: z.string().min(1).optional(),
  countyTokenFile: z.string().min(1).optional(),
  insecureCounty: z.boolean().optional(),
  /** The backups' folder (default <userData>/backups). */
  backupDir: z.string().min(1).optional(),
  /** The base map, as GRIDDECK_BASEMAP takes it (core/api/basemap.ts). */
  basemap: z.unknown().optional(),
});
export type AppSettings = z.output<typeof AppSettingsSchema>;
export const SETTINGS_FILE = 'settings.json';

/** The settings file's content, checked: `{ settings }`, or `{ error }` in one line (the app then starts without it). */
export function parseSettings(text: string | null): { settings: AppSettings; error?: string } {
  if (text === null) return { settings: {} };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { settings: {}, error: `${SETTINGS_FILE} is not JSON: ${(error as Error).message}` };
  }
  const parsed = AppSettingsSchema.safeParse(json);
  if (!parsed.success) return { settings: {}, error: `${SETTINGS_FILE} ignored: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` };
  return { settings: parsed.data };
}

export interface ServiceLaunchInput {
  /** process.argv of the main process (Chromium's own switches may be mixed in). */
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** app.getPath('userData'). */
  userData: string;
  version: string;
  /** <userData>/settings.json, parsed (parseSettings); the command line and environment win. */
  settings?: AppSettings;
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
  const settings = input.settings ?? {};
  const county = argValue(input.argv, '--county') ?? input.env.GRIDDECK_COUNTY ?? settings.county;
  const town = argValue(input.argv, '--town') ?? input.env.GRIDDECK_TOWN ?? settings.town;
  const token = input.env.GRIDDECK_COUNTY_TOKEN;
  if (county) args.push('--county', county);
  if (town) args.push('--town', town);
  const fromSettings: Record<(typeof PASSED_ON)[number], string | undefined> = { '--county-token-file': settings.countyTokenFile, '--county-ca': settings.countyCa };
  for (const flag of PASSED_ON) {
    const value = argValue(input.argv, flag) ?? fromSettings[flag];
    if (value !== undefined) args.push(flag, value);
  }
  if (input.argv.includes('--insecure-county') || settings.insecureCounty === true) args.push('--insecure-county');
  args.push('--log-dir', argValue(input.argv, '--log-dir') ?? join(input.userData, 'logs'));
  args.push('--backup-dir', argValue(input.argv, '--backup-dir') ?? settings.backupDir ?? join(input.userData, 'backups'));
  const env: Record<string, string> = {};
  if (token) env.GRIDDECK_COUNTY_TOKEN = token;
  // The service answers app.info's base map from its environment (core/api/basemap.ts).
  if (!input.env.GRIDDECK_BASEMAP && settings.basemap !== undefined) env.GRIDDECK_BASEMAP = JSON.stringify(settings.basemap);
  const warnings = input.argv.some((a) => a === '--county-token' || a.startsWith('--county-token='))
    ? ['--county-token on the command line is ignored: every user of this machine can read it (ps). Use --county-token-file FILE (chmod 600) or GRIDDECK_COUNTY_TOKEN']
    : [];
  return { args, env, warnings };
}
