// The one entry through which the town's embedded demo starts the county. The town
// (electron/service, electron/web, electron/main, renderer) imports nothing else of
// county/: a real county is another system, reached only over county-link-v1.
import { DEFAULT_SEED } from './demo/town';
import { DEFAULT_DEMO_LOAD, DEMO_LOADS, type DemoLoad } from './demo/volume';
import { startCountySimulator } from './simulator/index';
import type { DutyMode } from './simulator/patrol';
import type { Grid, PositionFix, Worker } from '../core/model';

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
  /** How busy the demo town is (county/demo/volume.ts): 'town' (default) or 'heavy'. */
  load?: DemoLoad;
}

export type { DemoLoad } from './demo/volume';
export { DEMO_LOADS, parseDemoLoad } from './demo/volume';

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
    activity: options.activity === false ? false : { ...options.activity, eventsPerHour: DEMO_LOADS[options.load ?? DEFAULT_DEMO_LOAD].eventsPerHour },
    duty: options.duty ?? 'always',
    devices: true,
    absence: true,
    registers: true,
  });
  return { url: sim.url, towns: [...sim.towns], close: () => sim.close() };
}

/**
 * The demo's patrol model (county/simulator/patrol.ts) as a function of (worker, time):
 * the county's positions are live only, so the town's demo builds the summaries of the
 * past weeks (patrol_days) from the same model the simulator streams today's fixes from.
 */
export async function demoPatrolModel(options: { seed?: number; duty?: DutyMode; workers: readonly Worker[]; grids: readonly Grid[] }): Promise<(workerId: string, t: number) => PositionFix | null> {
  const { Patrol, dutyAt } = await import('./simulator/patrol');
  const { shapeOf } = await import('./simulator/geo');
  const shapes = new Map(options.grids.map((g) => [g.code, shapeOf(g.geometry)]));
  const patrol = new Patrol(options.seed ?? DEFAULT_SEED, options.workers, (code) => shapes.get(code));
  const duty = options.duty ?? 'always';
  patrol.setDuty(duty);
  return (workerId, t) => (dutyAt(duty, t) ? patrol.fixAt(workerId, t) : null);
}
