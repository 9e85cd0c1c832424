// The setup of a chaos run: its folder, its random streams, the county and the service
// it drives, what it records (the trace, the statistics, the receipts, the cursor
// watch), and the service's lifecycle (start, maybe armed to die mid-write; reap after
// it ended; restart when a step needs it). Every other phase works on the `Run` built here.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, type Rng } from '../../county/demo/random';
import { CursorWatch, type Receipt, type ScreenCall } from './checks';
import type { Lookups } from './commands';
import { County, RunFailure, Service, readCursor } from './processes';

export interface ChaosOptions {
  /** Steps of chaos before the run heals. Default 14. */
  steps?: number;
  /** One line per step and per notable thing, for a replay with --verbose. */
  log?: (line: string) => void;
  /** Keep the run's folder (replica, county database) even when it passes. */
  keep?: boolean;
  /** How long the healed run may take to converge. Default 90 s. */
  convergeMs?: number;
}

export interface ChaosStats {
  steps: Record<string, number>;
  receipts: number;
  refusedLocally: number;
  unanswered: number;
  /** Commands a screen sent again under their key after it lost the answer (retry.ts). */
  retried: number;
  rejectedByCounty: number;
  kills: number;
  selfKills: number;
  /** Self-kills by the kind of write they interrupted. */
  selfKillsIn: Record<string, number>;
  serviceStarts: number;
  countyRestarts: number;
  resets: number;
}

/** One run's state, shared by its phases. */
export interface Run {
  seed: number;
  options: ChaosOptions;
  /** The run's main stream: the kind of each step (its parameters come from a fork per step). */
  rng: Rng;
  /** The stream of the run's set-up: batch size, ack timeout, the first start's kill. */
  setup: Rng;
  dir: string;
  replicaFile: string;
  countyFile: string;
  trace: string[];
  stats: ChaosStats;
  watch: CursorWatch;
  receipts: Receipt[];
  /** What a screen was finally told of each command it sent again under its key (retry.ts). */
  screenCalls: ScreenCall[];
  county: County;
  service: Service;
  log: (line: string) => void;
  /** A line of the trace (and of the log). */
  note: (line: string) => void;
  /** The town's grids, categories, departments and workers as the current service showed them. */
  lookups: Lookups | null;
}

/** The kinds of write a service may be armed to die in, with the range of the write's number. */
const KILL_KINDS = [
  ['batch', 1, 4],
  ['item', 1, 15],
  ['command', 1, 3],
  ['ack', 1, 3],
  ['positions', 1, 150],
] as const;

export function createRun(seed: number, options: ChaosOptions): Run {
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), `griddeck-chaos-${seed}-`));
  const replicaFile = join(dir, 'replica.sqlite');
  const countyFile = join(dir, 'county.sqlite');
  const rng = createRng(seed);
  const setup = rng.fork('setup');
  const trace: string[] = [];
  const stats: ChaosStats = {
    steps: {},
    receipts: 0,
    refusedLocally: 0,
    unanswered: 0,
    retried: 0,
    rejectedByCounty: 0,
    kills: 0,
    selfKills: 0,
    selfKillsIn: {},
    serviceStarts: 0,
    countyRestarts: 0,
    resets: 0,
  };
  const watch = new CursorWatch();
  const county = new County(seed, countyFile, setup.pick([7, 25, 60, 500]), setup.pick([150, 300, 600]));
  const service = new Service(replicaFile, watch, log);
  const note = (line: string): void => {
    trace.push(line);
    log(line);
  };
  return { seed, options, rng, setup, dir, replicaFile, countyFile, trace, stats, watch, receipts: [], screenCalls: [], county, service, log, note, lookups: null };
}

/**
 * After the service ended (or to notice that it did): an armed kill that fired is
 * counted, any other death the driver did not cause is a crash, and the file is read
 * (nothing more can be reported by that process).
 */
export async function reap(run: Run): Promise<void> {
  const { service, stats } = run;
  if (!service.proc || service.up) return;
  await service.kill();
  const exit = service.exit;
  if (!service.endedByDriver) {
    if (service.armed !== null && exit?.signal === 'SIGKILL') {
      stats.selfKills++;
      const kind = service.armed.split(':')[0] as string;
      stats.selfKillsIn[kind] = (stats.selfKillsIn[kind] ?? 0) + 1;
    }
    else throw new RunFailure(`the service crashed (${exit?.signal ?? `exit code ${exit?.code}`}): ${service.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  run.watch.observe(readCursor(run.replicaFile), 'file after the service ended');
  service.proc = null;
}

/**
 * Starts the service. `arm`: the stream that decides whether it is armed to die mid-write
 * (null: never); `killAfterMs`: a first attempt SIGKILLed from outside that soon after its spawn.
 */
export async function startService(run: Run, arm: Rng | null, killAfterMs: number | null = null): Promise<void> {
  const { service, stats } = run;
  // The county may be down: the service then starts offline, as a town's would.
  for (let attempt = 0; attempt < 10; attempt++) {
    let killIn: string | null = null;
    if (arm !== null && attempt === 0 && arm.chance(0.4)) {
      const [kind, lo, hi] = arm.pick(KILL_KINDS);
      killIn = `${kind}:${arm.int(lo, hi)}`;
    }
    const early = attempt === 0 ? killAfterMs : null;
    stats.serviceStarts++;
    if (early !== null) stats.kills++;
    const started = await service.start(run.county, killIn, early);
    if (started) {
      run.log(`  service ${service.proc?.pid} listening${killIn ? `, armed to die in ${killIn}` : ''}${early !== null ? `, killed ${early} ms after its spawn` : ''}`);
      run.lookups = null;
      return;
    }
    run.log(`  service died during its start (${early !== null ? `killed ${early} ms after its spawn` : (killIn ?? 'not armed')})`);
    await reap(run);
  }
  throw new RunFailure('the service would not start 10 times in a row');
}

/** The service up for a step: reaped if it ended, started again (maybe armed, from the step's stream; never when null) if down. */
export async function ensureService(run: Run, p: Rng | null, killAfterMs: number | null = null): Promise<void> {
  await reap(run);
  if (!run.service.up) await startService(run, p === null ? null : p.fork('spawn'), killAfterMs);
}
