// Arguments of the hub's command line (cli.ts), parsed without side effects beyond reading
// the token file. Flags are split by node's util.parseArgs (node-common/flags.ts).
import { readFileSync } from 'node:fs';
import { parseFlags } from '../../node-common/flags';
import { DEFAULT_SEED } from '../demo/town';
import { DUTY_MODES } from '../simulator/patrol';
import { parseTokenFile, type HubOptions, type HubTokens } from './index';

export const USAGE =
  'usage: npm run hub -- --port N [--database URL] [--redis URL] [--token-file F] [--world demo|none] [--seed S] [--towns N --grids-per-town M] [--rate EVENTS_PER_HOUR] [--duty day|always] [--registers synthetic|none]\n' +
  '       npm run hub -- towns (--database URL | --url http://127.0.0.1:N [--token-file F])\n' +
  '       npm run hub -- token (issue|rotate|revoke) --database URL --town CODE';

export const FLAGS = ['port', 'database', 'redis', 'token-file', 'world', 'seed', 'towns', 'grids-per-town', 'rate', 'url', 'duty', 'town', 'registers'] as const;

function int(v: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new Error(`bad --${flag}: ${v}`);
  return n;
}

export function readTokens(file: string | undefined): HubTokens | null {
  if (file === undefined) return null;
  return parseTokenFile(readFileSync(file, 'utf8'));
}

/** The hub's options from its command line (no side effects beyond reading the token file). */
export function parseHubCli(argv: readonly string[]): Omit<HubOptions, 'log'> {
  const v = parseFlags(argv, FLAGS);
  const port = int(v.port, 'port', 0, 65535);
  if (port === undefined) throw new Error('--port is required');
  const towns = int(v.towns, 'towns', 1, 999);
  const perTown = int(v['grids-per-town'], 'grids-per-town', 6, 100_000);
  if ((towns === undefined) !== (perTown === undefined)) throw new Error('--towns and --grids-per-town go together');
  const database = v.database ?? null;
  const world = v.world ?? (database === null ? 'demo' : 'none');
  if (world !== 'demo' && world !== 'none') throw new Error(`bad --world: ${world} (demo or none)`);
  if (v.redis !== undefined && !/^rediss?:\/\//.test(v.redis)) throw new Error(`bad --redis: ${v.redis} (redis://host:port)`);
  const rate = v.rate === undefined ? undefined : Number(v.rate);
  if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) throw new Error(`bad --rate: ${v.rate}`);
  const duty = v.duty === undefined ? undefined : DUTY_MODES.find((m) => m === v.duty);
  if (v.duty !== undefined && !duty) throw new Error(`bad --duty: ${v.duty} (${DUTY_MODES.join(' or ')})`);
  const registers = v.registers ?? 'none';
  if (registers !== 'synthetic' && registers !== 'none') throw new Error(`bad --registers: ${registers} (synthetic or none)`);
  return {
    port,
    registers: registers === 'synthetic',
    database,
    redis: v.redis ?? null,
    tokens: readTokens(v['token-file']),
    world,
    seed: int(v.seed, 'seed', -(2 ** 31), 2 ** 32 - 1) ?? DEFAULT_SEED,
    scale: towns !== undefined && perTown !== undefined ? { towns, gridsPerTown: perTown } : null,
    ...(rate !== undefined ? { eventsPerHour: rate } : {}),
    ...(duty !== undefined ? { duty } : {}),
  };
}

