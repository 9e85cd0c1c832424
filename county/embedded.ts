// The one entry through which the town's embedded demo starts the county. The town
// (electron/service, electron/web, electron/main, renderer) imports nothing else of
// county/: a real county is another system, reached only over county-link-v1.
import { DEFAULT_SEED } from './demo/town';
import { startCountySimulator } from './simulator/index';
import type { DutyMode } from './simulator/patrol';

export interface EmbeddedCountyOptions {
  /** 0: any free port on 127.0.0.1. */
  port?: number;
  seed?: number;
  /** The county's own SQLite file. */
  dbFile: string;
  /** The token the town presents; any other is refused. */
  token: string;
  /** false: no spontaneous activity (tests); else a new county first runs this much history. */
  activity?: false | { historyMs: number };
  duty?: DutyMode;
}

export interface EmbeddedCounty {
  url: string;
  /** The town codes it serves. */
  towns: string[];
  close(): Promise<void>;
}

export const DEMO_SEED = DEFAULT_SEED;

export async function startEmbeddedCounty(options: EmbeddedCountyOptions): Promise<EmbeddedCounty> {
  const sim = await startCountySimulator({
    port: options.port ?? 0,
    seed: options.seed ?? DEFAULT_SEED,
    dbFile: options.dbFile,
    token: options.token,
    activity: options.activity ?? {},
    duty: options.duty ?? 'always',
    registers: true,
  });
  return { url: sim.url, towns: [...sim.towns], close: () => sim.close() };
}
