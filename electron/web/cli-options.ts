// Arguments of the web shell's command line (cli.ts), parsed without side effects.
import { fileURLToPath } from 'node:url';

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
}

export const DEFAULT_DB = '.griddeck/replica.sqlite';

export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): CliOptions {
  const options: CliOptions = {
    port: 4173,
    host: '127.0.0.1',
    rendererDir: `${ROOT}out/renderer`,
    db: DEFAULT_DB,
  };
  // The county token is a secret: the environment keeps it out of `ps`.
  if (env.GRIDDECK_COUNTY_TOKEN) options.countyToken = env.GRIDDECK_COUNTY_TOKEN;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const need = (): string => {
      if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    switch (flag) {
      case '--port': {
        const port = Number(need());
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port: ${value}`);
        options.port = port;
        break;
      }
      case '--host':
        options.host = need();
        break;
      case '--renderer':
        options.rendererDir = need();
        break;
      case '--db':
        options.db = need();
        break;
      case '--county': {
        const url = need();
        if (!/^https?:\/\/[^\s/]+/.test(url)) throw new Error(`bad --county: ${url} (an http:// or https:// URL)`);
        options.county = url;
        break;
      }
      case '--county-token':
        options.countyToken = need();
        break;
      case '--town': {
        const town = need();
        if (!/^\d{9}$/.test(town)) throw new Error(`bad --town: ${town} (a 9-digit town code)`);
        options.town = town;
        break;
      }
      default:
        throw new Error(`unknown option: ${flag}`);
    }
  }
  if (options.county && !options.town) throw new Error('--county needs --town (the town\'s 9-digit code)');
  return options;
}
