// Arguments of the county simulator's command line (cli.ts), parsed without side effects.
// Flags are split by node's util.parseArgs; this file only checks the values.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFlags } from '../../node-common/flags';
import { DUTY_MODES, type DutyMode } from './patrol';

export interface CountyCliOptions {
  port: number;
  seed: number;
  token?: string;
  db: string;
  scale?: { towns: number; gridsPerTown: number };
  rate?: number;
  speedup?: number;
  duty?: DutyMode;
}

export const USAGE =
  'usage: npm run county -- --port N --seed S [--token T] [--db FILE] [--towns N --grids-per-town M] [--rate EVENTS_PER_HOUR] [--speedup X] [--duty day|always]';

const FLAGS = ['port', 'seed', 'token', 'db', 'towns', 'grids-per-town', 'rate', 'speedup', 'duty'] as const;

export function parseCountyCli(argv: readonly string[]): CountyCliOptions {
  const v = parseFlags(argv, FLAGS);
  const int = (flag: (typeof FLAGS)[number], min: number, max: number): number | undefined => {
    const raw = v[flag];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new Error(`bad --${flag}: ${raw}`);
    return n;
  };
  const positive = (flag: 'rate' | 'speedup'): number | undefined => {
    const raw = v[flag];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n <= 0) throw new Error(`bad --${flag}: ${raw}`);
    return n;
  };
  const port = int('port', 0, 65535);
  const seed = int('seed', -(2 ** 31), 2 ** 32 - 1);
  const towns = int('towns', 1, 999);
  const perTown = int('grids-per-town', 6, 100_000);
  if (port === undefined) throw new Error('--port is required');
  if (seed === undefined) throw new Error('--seed is required');
  if ((towns === undefined) !== (perTown === undefined)) throw new Error('--towns and --grids-per-town go together');
  const options: CountyCliOptions = { port, seed, db: v.db ?? join(tmpdir(), `griddeck-county-${seed}.sqlite`) };
  if (v.token !== undefined) options.token = v.token;
  if (towns !== undefined && perTown !== undefined) options.scale = { towns, gridsPerTown: perTown };
  const rate = positive('rate');
  if (rate !== undefined) options.rate = rate;
  const speedup = positive('speedup');
  if (speedup !== undefined) options.speedup = speedup;
  if (v.duty !== undefined) {
    const duty = DUTY_MODES.find((m) => m === v.duty);
    if (!duty) throw new Error(`bad --duty: ${v.duty} (${DUTY_MODES.join(' or ')})`);
    options.duty = duty;
  }
  return options;
}
