// Arguments of the county simulator's command line (cli.ts), parsed without side effects.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CountyCliOptions {
  port: number;
  seed: number;
  token?: string;
  db: string;
  scale?: { towns: number; gridsPerTown: number };
  rate?: number;
  speedup?: number;
}

export const USAGE =
  'usage: npm run county -- --port N --seed S [--token T] [--db FILE] [--towns N --grids-per-town M] [--rate EVENTS_PER_HOUR] [--speedup X]';

export function parseCountyCli(argv: readonly string[]): CountyCliOptions {
  let port: number | undefined;
  let seed: number | undefined;
  let towns: number | undefined;
  let perTown: number | undefined;
  const out: Partial<CountyCliOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const need = (): string => {
      if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    const int = (min: number, max: number): number => {
      const raw = need();
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`bad ${flag}: ${raw}`);
      return n;
    };
    const positive = (): number => {
      const raw = need();
      const n = Number(raw);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`bad ${flag}: ${raw}`);
      return n;
    };
    switch (flag) {
      case '--port':
        port = int(0, 65535);
        break;
      case '--seed':
        seed = int(-(2 ** 31), 2 ** 32 - 1);
        break;
      case '--token':
        out.token = need();
        break;
      case '--db':
        out.db = need();
        break;
      case '--towns':
        towns = int(1, 999);
        break;
      case '--grids-per-town':
        perTown = int(6, 100_000);
        break;
      case '--rate':
        out.rate = positive();
        break;
      case '--speedup':
        out.speedup = positive();
        break;
      default:
        throw new Error(`unknown option: ${flag}`);
    }
  }
  if (port === undefined) throw new Error('--port is required');
  if (seed === undefined) throw new Error('--seed is required');
  if ((towns === undefined) !== (perTown === undefined)) throw new Error('--towns and --grids-per-town go together');
  const options: CountyCliOptions = { ...out, port, seed, db: out.db ?? join(tmpdir(), `griddeck-county-${seed}.sqlite`) };
  if (towns !== undefined && perTown !== undefined) options.scale = { towns, gridsPerTown: perTown };
  return options;
}
